/**
 * Atomic reservation without transactions — how an order takes stock from a lot so that
 * the lot is never oversold and a retried request never makes a second order.
 *
 * Two documents change (the order and the lot) and MongoDB-compatible storage only makes
 * single-document updates atomic, so the sequence is built so that every crash point
 * leaves a state the next step (or a retry, or the sweep) can finish unambiguously:
 *
 *  1. The order is inserted FIRST, `pending`, with a deterministic `_id` derived from
 *     what it is for (`offer:<offerId>`, `take:<lot>:<buyer>:<Idempotency-Key>`).
 *     A retry collides on the `_id` unique index and continues with the existing order.
 *  2. The lot is decremented with ONE conditional findOneAndUpdate:
 *       { _id, status: 'open', expiresAt > now, remainingGrams >= q,
 *         'reservations.orderId' ≠ orderId, fencedOrderIds ≠ orderId }
 *       → $inc remainingGrams −q, $push reservations {orderId, grams}
 *     The lot document is the single source of truth: an order holds stock iff its id is
 *     in the lot's `reservations`. Concurrent takes serialise on this one document; the
 *     `≠ orderId` condition makes the step idempotent.
 *  3. The order is marked `confirmed` (from pending, or from failed: holding the
 *     reservation is proof enough). If step 2 matched nothing, the order is marked
 *     `failed` (from pending only) and the caller gets the reason (NOT_ENOUGH_LEFT …).
 *
 * Recovery sweep (market.jobs.ts, at start-up and every few seconds, on every node):
 *  - a `pending` order untouched for `staleAfterMs`: FENCE the lot ($addToSet
 *    fencedOrderIds, only if the order has no reservation). Fenced → the order can never
 *    reserve, so mark it failed (only if still untouched). Not fenced because the
 *    reservation exists → confirm it.
 *  - a retry of a failed order (same key) resets it to pending and lifts the fence first;
 *    any zombie of the first attempt then shares the order id, so at most one reserves.
 * An accepted offer whose order is not yet confirmed is rolled forward by the offers
 * service through this same function (offers.service.ts, settleAccepted).
 */
import { fail } from '../../../shared/domain/outcome';
import type { LotsRepository } from '../lots/lots.repository';
import type { Clock, MarketFailure } from '../market/market.types';
import type { NewOrderRecord, OrderRecord, OrdersRepository } from './orders.repository';

export interface ReservationDeps {
  lots: LotsRepository;
  orders: OrdersRepository;
  clock: Clock;
}

export type PlaceOrderOutcome = { ok: true; order: OrderRecord; created: boolean } | MarketFailure;

/** Reasons after which retrying the same order is pointless until something changes. */
export const STOCK_FAILURES = new Set(['NOT_ENOUGH_LEFT', 'LOT_EXPIRED', 'LOT_NOT_OPEN', 'NOT_FOUND']);

export async function placeOrder(deps: ReservationDeps, order: NewOrderRecord): Promise<PlaceOrderOutcome> {
  const { lots, orders } = deps;
  const now = deps.clock();

  // 1. the pending order, or the one a previous attempt left
  const inserted = await orders.insertPending(order);
  let current = inserted.order;
  if (!inserted.inserted && current.status === 'failed') {
    const terms = { quantityGrams: order.quantityGrams, priceFenPerKg: order.priceFenPerKg, totalFen: order.totalFen };
    const retried = await orders.retryFailed(current.id, terms, now);
    if (retried) {
      await lots.unfence(current.lotId, current.id);
      current = retried;
    } else {
      current = (await orders.findById(current.id)) ?? current;
    }
  }
  if (current.status !== 'pending' && current.status !== 'failed') return { ok: true, order: current, created: false };

  // 2. the one conditional update that takes the stock
  const reserved = await lots.reserve(current.lotId, current.id, current.quantityGrams, now);
  if (reserved || (await lots.hasReservation(current.lotId, current.id))) {
    return confirm(deps, current.id, inserted.inserted);
  }

  // 3. not reserved: say why, and fail the order unless a concurrent retry reserved meanwhile
  const why = await explain(lots, current, now);
  await orders.markFailed(current.id, why.reason, deps.clock());
  if (await lots.hasReservation(current.lotId, current.id)) return confirm(deps, current.id, inserted.inserted);
  return why;
}

async function confirm(deps: ReservationDeps, orderId: string, created: boolean): Promise<PlaceOrderOutcome> {
  const order = await deps.orders.confirm(orderId, deps.clock());
  if (!order) throw new Error(`order ${orderId} vanished after its reservation`);
  return { ok: true, order, created };
}

async function explain(lots: LotsRepository, order: OrderRecord, now: Date): Promise<MarketFailure> {
  const lot = await lots.findById(order.lotId);
  if (!lot) return fail('NOT_FOUND', 'The lot no longer exists');
  if (lot.fencedOrderIds.includes(order.id)) {
    return fail('RESERVATION_INTERRUPTED', 'This attempt was interrupted and cleaned up; please retry');
  }
  if (lot.status === 'expired' || lot.expiresAt.getTime() <= now.getTime()) return fail('LOT_EXPIRED', `The lot expired at ${lot.expiresAt.toISOString()}`);
  if (lot.status !== 'open') return fail('LOT_NOT_OPEN', `The lot is ${lot.status.replace('_', ' ')}`);
  return {
    ...fail('NOT_ENOUGH_LEFT', `Only ${lot.remainingGrams} g left in the lot; ${order.quantityGrams} g asked`, 'quantityGrams'),
    details: { remainingGrams: lot.remainingGrams },
  };
}

/**
 * The sweep's half of the protocol: settle every pending order nobody has touched for
 * `staleAfterMs`. Returns what it did, for logs and tests.
 */
export async function recoverPendingOrders(
  deps: ReservationDeps,
  staleAfterMs: number,
  batch = 100,
): Promise<{ confirmed: OrderRecord[]; failed: OrderRecord[] }> {
  const now = deps.clock();
  const stale = await deps.orders.findStalePending(new Date(now.getTime() - staleAfterMs), batch);
  const confirmed: OrderRecord[] = [];
  const failed: OrderRecord[] = [];
  for (const order of stale) {
    const fence = await deps.lots.fence(order.lotId, order.id);
    if (fence === 'reserved') {
      const done = await deps.orders.confirm(order.id, now);
      if (done) confirmed.push(done);
    } else if (await deps.orders.markFailed(order.id, fence === 'missing' ? 'NOT_FOUND' : 'RESERVATION_INTERRUPTED', now, order.updatedAt)) {
      failed.push(order);
    }
  }
  return { confirmed, failed };
}
