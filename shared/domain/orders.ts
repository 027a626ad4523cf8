/**
 * An order is a sale that happened: stock is reserved for it in the lot.
 *
 *   pending ─(reserved)→ confirmed ─dispatch→ dispatched ─deliver→ delivered ─complete→ completed
 *      └─(not reserved)→ failed      └─cancel→ cancelled              └─dispute (≤24 h)→ disputed
 *
 * pending/failed belong to the reservation protocol (orders.repository.ts), not to people.
 * A delivered order completes when the buyer says so, or by itself 24 h after delivery
 * if nobody disputed it.
 */
import type { Side } from './offers';
import { isPositiveInteger } from './lots';
import { fail, type Failure } from './outcome';
import { totalFen } from './units';

export type OrderStatus =
  'pending' | 'confirmed' | 'failed' | 'dispatched' | 'delivered' | 'completed' | 'cancelled' | 'disputed';
export const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'failed',
  'dispatched',
  'delivered',
  'completed',
  'cancelled',
  'disputed',
] as const satisfies readonly OrderStatus[];
export type OrderSource = 'offer' | 'clock' | 'standing_order';

export const DISPUTE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface Order {
  id: string;
  lotId: string;
  source: OrderSource;
  offerId?: string;
  buyerOrgId: string;
  sellerOrgId: string;
  productCode: string;
  quantityGrams: number;
  priceFenPerKg: number;
  totalFen: number;
  status: OrderStatus;
  createdAt: Date;
  updatedAt: Date;
  dispatchedAt?: Date;
  deliveredAt?: Date;
  deliveredGrams?: number;
  completedAt?: Date;
  cancelReason?: string;
  disputeNote?: string;
}

export type OrderAction =
  | { type: 'dispatch'; side: Side }
  | { type: 'deliver'; side: Side; deliveredGrams: number }
  | { type: 'complete'; side: Side | 'system' }
  | { type: 'cancel'; side: Side; reason: string }
  | { type: 'dispute'; side: Side; note: string };

export type OrderFailure = Failure<
  'WRONG_STATUS' | 'WRONG_SIDE' | 'INVALID_QUANTITY' | 'REASON_REQUIRED' | 'DISPUTE_WINDOW_CLOSED' | 'NOT_DUE'
> & {
  status?: OrderStatus;
};

/** `releaseGrams` > 0 tells the service to give the stock back to the lot (cancel before dispatch). */
export type OrderOutcome = { ok: true; order: Order; releaseGrams: number } | OrderFailure;

function wrongStatus(order: Order, action: string): OrderFailure {
  return { ...fail('WRONG_STATUS', `Cannot ${action} an order that is ${order.status}`), status: order.status };
}

export function applyOrderAction(order: Order, action: OrderAction, now: Date): OrderOutcome {
  const done = (patch: Partial<Order>, releaseGrams = 0): OrderOutcome => ({
    ok: true,
    order: { ...order, ...patch, updatedAt: now },
    releaseGrams,
  });
  switch (action.type) {
    case 'dispatch':
      if (order.status !== 'confirmed') return wrongStatus(order, 'dispatch');
      if (action.side !== 'seller') return fail('WRONG_SIDE', 'Only the seller dispatches');
      return done({ status: 'dispatched', dispatchedAt: now });
    case 'deliver':
      if (order.status !== 'dispatched') return wrongStatus(order, 'mark delivered');
      if (
        !Number.isSafeInteger(action.deliveredGrams) ||
        action.deliveredGrams < 0 ||
        action.deliveredGrams > order.quantityGrams
      ) {
        return fail(
          'INVALID_QUANTITY',
          `deliveredGrams must be between 0 and the ${order.quantityGrams} g ordered`,
          'deliveredGrams',
        );
      }
      return done({
        status: 'delivered',
        deliveredAt: now,
        deliveredGrams: action.deliveredGrams,
        totalFen: totalFen(action.deliveredGrams, order.priceFenPerKg),
      });
    case 'complete': {
      if (order.status !== 'delivered' || !order.deliveredAt) return wrongStatus(order, 'complete');
      if (action.side === 'seller')
        return fail('WRONG_SIDE', 'The buyer completes (or it completes itself 24 h after delivery)');
      if (action.side === 'system' && now.getTime() < order.deliveredAt.getTime() + DISPUTE_WINDOW_MS) {
        return fail('NOT_DUE', 'The dispute window is still open');
      }
      return done({ status: 'completed', completedAt: now });
    }
    case 'cancel': {
      if (order.status !== 'confirmed') return wrongStatus(order, 'cancel');
      const reason = action.reason.trim();
      if (reason === '') return fail('REASON_REQUIRED', 'Give a reason for cancelling', 'reason');
      return done({ status: 'cancelled', cancelReason: reason }, order.quantityGrams);
    }
    case 'dispute': {
      if (order.status !== 'delivered' || !order.deliveredAt) return wrongStatus(order, 'dispute');
      if (action.side !== 'buyer') return fail('WRONG_SIDE', 'Only the buyer disputes a delivery');
      if (now.getTime() > order.deliveredAt.getTime() + DISPUTE_WINDOW_MS) {
        return fail('DISPUTE_WINDOW_CLOSED', 'Disputes are possible within 24 h of delivery');
      }
      const note = action.note.trim();
      if (note === '') return fail('REASON_REQUIRED', 'Describe the problem', 'note');
      return done({ status: 'disputed', disputeNote: note });
    }
  }
}

export interface NewOrderInput {
  id: string;
  lotId: string;
  source: OrderSource;
  offerId?: string;
  buyerOrgId: string;
  sellerOrgId: string;
  productCode: string;
  quantityGrams: number;
  priceFenPerKg: number;
}

/** A new order starts `pending` until its stock is reserved in the lot. */
export function newOrder(input: NewOrderInput, now: Date): Order {
  if (!isPositiveInteger(input.quantityGrams)) throw new RangeError('order quantity must be positive');
  return {
    ...input,
    totalFen: totalFen(input.quantityGrams, input.priceFenPerKg),
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  };
}
