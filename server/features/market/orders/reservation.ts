/**
 * Atomic reservation without transactions — how an order takes stock from a lot so that
 * the lot is never oversold, a retried request never makes a second order, and an attempt
 * that failed can never come back to life behind its caller's back.
 *
 * Two documents change (the order and the lot) and MongoDB-compatible storage only makes
 * single-document updates atomic, so the sequence is built so that every crash point
 * leaves a state the next step (or a retry, or the sweep) can finish unambiguously:
 *
 *  1. The order is inserted FIRST, `pending`, with a deterministic `_id` derived from what it
 *     is for and which ATTEMPT it is: `attemptKey(key, n)`, where `key` is `offer:<offerId>`
 *     or `take:<lot>:<buyer>:<Idempotency-Key>` and n = 1, 2, … A request that joins the same
 *     attempt collides on the `_id` unique index and continues with the existing order.
 *  2. The lot is decremented with ONE conditional findOneAndUpdate:
 *       { _id, status: 'open', expiresAt > now, remainingGrams >= q,
 *         'reservations.orderId' ≠ orderId, fencedOrderIds ≠ orderId }
 *       → $inc remainingGrams −q, $push reservations {orderId, grams}
 *     The lot document is the single source of truth: an order holds stock iff its id is
 *     in the lot's `reservations`. Concurrent takes serialise on this one document; the
 *     `≠ orderId` condition makes the step idempotent.
 *  3. Reserved → the order is marked `confirmed` (from pending only). Not reserved → the lot
 *     is FENCED for this order first ($addToSet fencedOrderIds, only if it holds no
 *     reservation — the same document, so fence and reserve cannot both win), then the
 *     order is marked `failed`. Fenced means no zombie or stale request can ever reserve
 *     for it again: a FAILED ORDER IS FINAL. (If the fence finds the reservation — a request
 *     sharing the attempt won — the order is confirmed instead.)
 *
 * Because a failed attempt is final, trying again is a NEW attempt with a new order id:
 *  - offers: every claim of an offer (state → accepted, conditional on its version) picks
 *    the next unused attempt and stores its order id on the offer; the offer goes back to
 *    open only after that order has failed (offers.service.ts, settleAccepted). So an
 *    offer's order is confirmed only while the offer is accepted for that very attempt, and a
 *    stale settle (double click, the sweep's old list) finds its attempt failed and stops.
 *  - clock takes: a request with an Idempotency-Key works on the key's first attempt that
 *    has not failed (`currentAttempt`); so at most one order per key is ever not failed.
 *    Concurrent duplicates share an attempt and its outcome; a retry after a failure is a
 *    fresh attempt at the current price.
 *
 * Recovery sweep (market.jobs.ts, at start-up and every few seconds, on every node):
 *  - a `pending` order untouched for `staleAfterMs`: fence the lot as in step 3. Fenced →
 *    mark it failed (a standing order's: back to proposed, standing-fill.ts); not fenced because the
 *    reservation exists → confirm it.
 * An accepted offer whose order is not yet confirmed (or has failed) is settled by the offers
 * service through this same function (offers.service.ts, settleStale).
 */
import { isMarketCode, marketFail } from '../kernel/market.failures';
import type { LotRecord, LotsRepository } from '../lots/lots.repository';
import { deterministicId } from '../kernel/market.ids';
import type { Now } from '../kernel/market.types';
import type { NewOrderRecord, OrderRecord, OrdersRepository } from './orders.repository';
import type { Failed } from '../../../outcome';

export interface ReservationDeps {
  lots: LotsRepository;
  orders: OrdersRepository;
  now: Now;
}

/**
 * `lot`: the lot as it stands after the order took its stock (as the reservation wrote it; read again when
 * the attempt was made earlier), so the caller can answer and announce it without another read by the client.
 * Null only if the lot has gone.
 */
export type PlaceOrderOutcome = { ok: true; order: OrderRecord; created: boolean; lot: LotRecord | null } | Failed;

/** Attempt 1 keeps the plain key, so first attempts have the ids orders always had ('#' is in no key). */
const attemptKey = (key: string, attempt: number): string => (attempt === 1 ? key : `${key}#${attempt}`);

/** Past this many failed attempts under one key, the last failure is the answer. */
const MAX_ATTEMPTS_PER_KEY = 50;

export interface Attempt {
  id: string;
  /** The existing order of this attempt, or null when nobody has made it yet. */
  order: OrderRecord | null;
}

/**
 * Walks the attempts under `key` (their ids are deterministic, so this reads by `_id` only):
 * `current` is the first that has not failed — the one a request with this key works on;
 * `unused` is the first nobody has made — the one a new claim of an offer takes.
 */
export async function findAttempt(
  orders: OrdersRepository,
  key: string,
  which: 'current' | 'unused',
): Promise<Attempt> {
  let attempt: Attempt = { id: deterministicId(key), order: null };
  for (let n = 1; n <= MAX_ATTEMPTS_PER_KEY; n++) {
    const id = deterministicId(attemptKey(key, n));
    attempt = { id, order: await orders.findById(id) };
    if (!attempt.order || (which === 'current' && attempt.order.status !== 'failed')) return attempt;
  }
  return attempt;
}

const FAILED_BEFORE: Record<string, string> = {
  NOT_ENOUGH_LEFT: 'There was not enough left in the lot for this order',
  LOT_EXPIRED: 'The lot expired before this order could take its stock',
  LOT_NOT_OPEN: 'The lot was no longer open for this order',
  NOT_FOUND: 'The lot no longer exists',
  RESERVATION_INTERRUPTED: 'This attempt was interrupted and cleaned up; please retry',
};

/** The answer for an attempt that failed earlier: the reason it was given then. */
function failureOf(order: OrderRecord): Failed {
  const reason =
    order.failedReason && isMarketCode(order.failedReason) ? order.failedReason : 'RESERVATION_INTERRUPTED';
  return marketFail(
    reason,
    FAILED_BEFORE[reason] ?? `This order failed (${reason})`,
    reason === 'NOT_ENOUGH_LEFT' ? { field: 'quantityGrams' } : {},
  );
}

/**
 * Places `order` (one attempt; its id fixed by the caller), or continues the attempt a
 * concurrent or earlier request made under that id. A failed attempt stays failed.
 */
export async function placeOrder(deps: ReservationDeps, order: NewOrderRecord): Promise<PlaceOrderOutcome> {
  const { lots, orders } = deps;
  const now = deps.now();

  // 1. the pending order, or the one a request sharing this attempt made
  const inserted = await orders.insertPending(order);
  const current = inserted.order;
  if (current.status === 'failed') return failureOf(current);
  if (current.status !== 'pending')
    return { ok: true, order: current, created: false, lot: await lots.findById(current.lotId) };

  // 2. the one conditional update that takes the stock (with the attempt's own terms)
  const reserved = await lots.reserve(current.lotId, current.id, current.quantityGrams, now);
  if (reserved) return confirm(deps, current.id, inserted.inserted, reserved);

  // 3. not reserved by us: fence, so that nobody ever can; unless someone sharing the attempt already did
  const why = await explain(lots, current, now);
  const fence = await lots.fence(current.lotId, current.id);
  if (fence === 'reserved') return confirm(deps, current.id, inserted.inserted, await lots.findById(current.lotId));
  if (await orders.markFailed(current.id, fence === 'missing' ? 'NOT_FOUND' : why.error.code, deps.now())) return why;
  // a request sharing this attempt (or the sweep) settled it first: its reason is the attempt's answer
  const settled = await orders.findById(current.id);
  return settled?.status === 'failed' ? failureOf(settled) : why;
}

async function confirm(
  deps: ReservationDeps,
  orderId: string,
  created: boolean,
  lot: LotRecord | null,
): Promise<PlaceOrderOutcome> {
  const order = await deps.orders.confirm(orderId, deps.now());
  // a failed order holding stock would break "failed is final": an operational fault, not an outcome
  if (!order || order.status === 'pending' || order.status === 'failed')
    throw new Error(`order ${orderId} holds a reservation but is ${order?.status ?? 'gone'}`);
  return { ok: true, order, created, lot };
}

async function explain(lots: LotsRepository, order: OrderRecord, now: Date): Promise<Failed> {
  const lot = await lots.findById(order.lotId);
  if (!lot) return marketFail('NOT_FOUND', 'The lot no longer exists');
  if (lot.status === 'expired' || lot.expiresAt.getTime() <= now.getTime())
    return marketFail('LOT_EXPIRED', `The lot expired at ${lot.expiresAt.toISOString()}`);
  if (lot.status !== 'open') return marketFail('LOT_NOT_OPEN', `The lot is ${lot.status.replace('_', ' ')}`);
  // fenced while the lot could have held it: the sweep (not a sibling request that found too little) fenced it
  if (lot.fencedOrderIds.includes(order.id) && lot.remainingGrams >= order.quantityGrams) {
    return marketFail('RESERVATION_INTERRUPTED', 'This attempt was interrupted and cleaned up; please retry');
  }
  return marketFail('NOT_ENOUGH_LEFT', `Only ${lot.remainingGrams} g left in the lot; ${order.quantityGrams} g asked`, {
    field: 'quantityGrams',
    details: { remainingGrams: lot.remainingGrams },
  });
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
  const now = deps.now();
  const stale = await deps.orders.findStalePending(new Date(now.getTime() - staleAfterMs), batch);
  const confirmed: OrderRecord[] = [];
  const failed: OrderRecord[] = [];
  for (const order of stale) {
    const fence = await deps.lots.fence(order.lotId, order.id);
    if (fence === 'reserved') {
      const done = await deps.orders.confirm(order.id, now);
      if (done) confirmed.push(done);
    } else if (order.source === 'standing_order') {
      // A standing order's occurrence is not lost with its lot: the farm may name another (standing-fill.ts).
      await deps.orders.revertToProposed(order.id, now, order.updatedAt);
    } else if (
      await deps.orders.markFailed(
        order.id,
        fence === 'missing' ? 'NOT_FOUND' : 'RESERVATION_INTERRUPTED',
        now,
        order.updatedAt,
      )
    ) {
      failed.push(order);
    }
  }
  return { confirmed, failed };
}
