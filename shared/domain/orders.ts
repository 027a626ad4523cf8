/**
 * An order is a sale that happened: stock is reserved for it in the lot.
 *
 *   pending ─(reserved)→ confirmed ─dispatch→ dispatched ─deliver→ delivered ─complete→ completed
 *      └─(not reserved)→ failed      └─cancel→ cancelled              └─dispute (≤24 h)→ disputed
 *
 *   proposed ─(farm names a lot, reserved)→ pending → confirmed …     (a standing order's occurrence)
 *      └─decline (farm, reason)→ declined
 *
 * pending/failed belong to the reservation protocol (orders.repository.ts), not to people.
 * A delivered order completes when the buyer says so, or by itself 24 h after delivery
 * if nobody disputed it.
 */
import type { Side } from './offers';
import { isPositiveInteger } from './lots';
import { fail, type Failure } from './outcome';
import { proposalTotalFen } from './standing-orders';
import { totalFen } from './units';

export type OrderStatus =
  | 'pending'
  | 'confirmed'
  | 'failed'
  | 'dispatched'
  | 'delivered'
  | 'completed'
  | 'cancelled'
  | 'disputed'
  | 'proposed'
  | 'declined';
export const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'failed',
  'dispatched',
  'delivered',
  'completed',
  'cancelled',
  'disputed',
  'proposed',
  'declined',
] as const satisfies readonly OrderStatus[];
type OrderSource = 'offer' | 'clock' | 'standing_order';

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
  /** Human order number `XL-YYYYMMDD-NNNN` (Shanghai date of confirmation or proposal); older orders: absent. */
  number?: string;
  /** Where the goods go: delivered to the buyer or picked up at the farm; editable until dispatch. */
  delivery?: OrderDelivery;
  /** The agreed delivery slot. */
  slot?: DeliverySlot;
  /** A chamber broker took a step in the deal that made this order. */
  brokered?: boolean;
  /** Who moved the order, and when: one entry per step (bounded, MAX_TIMELINE). */
  timeline?: TimelineEntry[];
  /** A standing order's occurrence this order is for (source `standing_order`). */
  standing?: StandingOccurrenceRef;
  declineReason?: string;
}

export interface OrderDelivery {
  mode: 'delivery' | 'pickup';
  address: string;
}
export interface DeliverySlot {
  from: Date;
  to: Date;
}
export interface TimelineEntry {
  status: OrderStatus | 'edited';
  at: Date;
  side?: Side | 'system';
  userId?: string;
  viaBroker?: boolean;
  note?: string;
}
interface StandingOccurrenceRef {
  standingOrderId: string;
  date: string;
  baseGrams: number;
  maxExtraGrams: number;
  /** Fen per kg for the grams above the base (the tolerance's discount). */
  extraPriceFenPerKg: number;
}

/** More steps than any order has; address edits past it drop the oldest edit, never a status step. */
const MAX_TIMELINE = 30;
const MAX_ADDRESS_LENGTH = 200;
/** Longest delivery slot (a day), so a slot is a promise, not a season. */
export const MAX_SLOT_MS = 24 * 60 * 60 * 1000;

/** The order's timeline with `entry` appended, keeping it bounded (oldest edit entries go first). */
export function withTimeline(timeline: readonly TimelineEntry[] | undefined, entry: TimelineEntry): TimelineEntry[] {
  const next = [...(timeline ?? []), entry];
  while (next.length > MAX_TIMELINE) {
    const oldestEdit = next.findIndex((e) => e.status === 'edited');
    next.splice(oldestEdit >= 0 ? oldestEdit : 0, 1);
  }
  return next;
}

/** `XL-YYYYMMDD-NNNN`: the Shanghai calendar day and that day's counter (more than 9 999 a day widens it). */
export function formatOrderNumber(shanghaiDay: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError('order number sequence must be positive');
  return `XL-${shanghaiDay.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

export type DeliveryEditFailure = Failure<'WRONG_STATUS' | 'INVALID_ADDRESS' | 'INVALID_SLOT'>;

/**
 * Whether the delivery details may change to `edit` now: before dispatch only (proposed or confirmed),
 * a non-empty address of at most 200 characters, a slot that ends after it starts and spans a day at most.
 */
export function checkDeliveryEdit(
  order: Pick<Order, 'status'>,
  edit: { address?: string; slot?: DeliverySlot },
): { ok: true } | DeliveryEditFailure {
  if (order.status !== 'confirmed' && order.status !== 'proposed')
    return fail('WRONG_STATUS', `The delivery details are fixed once the order is ${order.status}`);
  if (edit.address !== undefined) {
    const address = edit.address.trim();
    if (address === '' || address.length > MAX_ADDRESS_LENGTH)
      return fail('INVALID_ADDRESS', `address must be 1–${MAX_ADDRESS_LENGTH} characters`, 'address');
  }
  if (edit.slot) {
    const span = edit.slot.to.getTime() - edit.slot.from.getTime();
    if (!(span > 0)) return fail('INVALID_SLOT', 'The slot must end after it starts', 'slot.to');
    if (span > MAX_SLOT_MS) return fail('INVALID_SLOT', 'A delivery slot spans one day at most', 'slot.to');
  }
  return { ok: true };
}

export type OrderAction =
  | { type: 'dispatch'; side: Side }
  | { type: 'deliver'; side: Side; deliveredGrams: number }
  | { type: 'complete'; side: Side | 'system' }
  | { type: 'cancel'; side: Side; reason: string }
  | { type: 'dispute'; side: Side; note: string }
  | { type: 'decline'; side: Side; reason: string };

type OrderFailure = Failure<
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
        // A standing order's grams above the base are at the tolerance's discount, received or not.
        totalFen: order.standing
          ? proposalTotalFen(action.deliveredGrams, { ...order.standing, priceFenPerKg: order.priceFenPerKg })
          : totalFen(action.deliveredGrams, order.priceFenPerKg),
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
    case 'decline': {
      if (order.status !== 'proposed') return wrongStatus(order, 'decline');
      if (action.side !== 'seller') return fail('WRONG_SIDE', 'Only the farm declines a proposed order');
      const reason = action.reason.trim();
      if (reason === '') return fail('REASON_REQUIRED', 'Say why the farm declines', 'reason');
      return done({ status: 'declined', declineReason: reason });
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
