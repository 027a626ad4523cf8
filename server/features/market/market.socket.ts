/**
 * The market's actions over socket.io: bid, counter, accept, reject, withdraw, clock take. Each event is its
 * REST route on another transport — the same schemas (shared/schemas/market-socket.ts wraps the REST bodies),
 * the same checks (signed in, verified organisation, On-Behalf-Of), the same service call and the same answer
 * (docs/market.md "Socket actions").
 */
import type { Ack } from '../../../shared/events';
import { parseMarketAction, type MarketActionEvent } from '../../../shared/schemas/market-socket';
import { verificationRefusal } from '../../http/guards';
import { issuesToFields } from '../../http/validate';
import { failure } from '../../outcome';
import { ackOf, ackOfMarketFailure, answerAck, signedIn } from '../../realtime/ack';
import type { SocketContext } from '../../realtime/context';
import { offerView } from './offers/offers.views';
import { orderView } from './orders/orders.views';
import { resolveTrader } from './kernel/market.http';
import type { Market } from './market.module';
import type { FindOrganisation, MarketFailure, Trader } from './kernel/market.types';

export interface MarketSocketDeps {
  market: Market;
  findOrganisation: FindOrganisation;
}

type Parsed<E extends MarketActionEvent> = Extract<ReturnType<typeof parseMarketAction<E>>, { ok: true }>;
type Run<E extends MarketActionEvent, T> = (
  market: Market,
  trader: Trader,
  input: Parsed<E>,
) => Promise<({ ok: true } & T) | MarketFailure>;

/** A failure naming a header names it as the payload carries it (IDEMPOTENCY_KEY_REUSED → `idempotencyKey`). */
const socketFieldOf = (failed: MarketFailure): MarketFailure =>
  failed.field === 'Idempotency-Key' ? { ...failed, field: 'idempotencyKey' } : failed;

/**
 * One event's handler factory. The user is re-read on every event (a logout, password change, removal or
 * suspension since the handshake stops the next action). An event without an ack callback is ignored:
 * a trade nobody can hear the answer to is not made.
 */
function marketAction<E extends MarketActionEvent, T, D>(event: E, run: Run<E, T>, view: (value: T) => D) {
  return ({ market, findOrganisation }: MarketSocketDeps) =>
    (ctx: SocketContext) => {
      (ctx.socket.on as (e: string, listener: (payload: unknown, ack: unknown) => void) => void)(
        event,
        (payload, ack) => {
          if (typeof ack !== 'function') return;
          void answerAck(ack as (response: Ack<D>) => void, ctx.logger, async (): Promise<Ack<D>> => {
            const user = signedIn(await ctx.currentUser());
            if (!user.ok) return ackOf(user);
            const refusal = verificationRefusal(user.value.principal);
            if (refusal) return ackOf({ ok: false, error: refusal });
            const parsed = parseMarketAction(event, payload);
            if (!parsed.ok) {
              const fields = issuesToFields(parsed.issues);
              return ackOf(failure('VALIDATION', `Invalid request: ${Object.keys(fields).join(', ')}`, { fields }));
            }
            const resolved = await resolveTrader(user.value.principal, parsed.target.onBehalfOf, findOrganisation);
            if (!resolved.ok) {
              return resolved.badOnBehalfOf
                ? ackOf(
                    failure('VALIDATION', 'Invalid request: onBehalfOf', { fields: { onBehalfOf: resolved.message } }),
                  )
                : ackOf(failure('FORBIDDEN', resolved.message));
            }
            const outcome = await run(market, resolved.trader, parsed as Parsed<E>);
            return outcome.ok ? { ok: true, data: view(outcome) } : ackOfMarketFailure(socketFieldOf(outcome));
          });
        },
      );
    };
}

/** `market:bid` — POST /api/lots/:id/bids, with an optional Idempotency-Key: a retry (over either transport) returns the same offer. */
export const bidHandler = marketAction(
  'market:bid',
  (market, trader, { target, body }) => market.offers.createBid(trader, target.lotId, body, target.idempotencyKey),
  (r) => offerView(r.offer),
);

/** `market:counter` — POST /api/bids/:id/counter. */
export const counterHandler = marketAction(
  'market:counter',
  (market, trader, { target, body }) => market.offers.counter(trader, target.offerId, body),
  (r) => offerView(r.offer),
);

/** `market:accept` — POST /api/bids/:id/accept with an Idempotency-Key: a retry (over either transport) returns the same order. */
export const acceptHandler = marketAction(
  'market:accept',
  (market, trader, { target, body }) =>
    market.offers.accept(trader, target.offerId, body.quantityGrams, target.idempotencyKey),
  (r) => ({ order: orderView(r.order), offer: offerView(r.offer) }),
);

/** `market:reject` — POST /api/bids/:id/reject. */
export const rejectHandler = marketAction(
  'market:reject',
  (market, trader, { target, body }) => market.offers.reject(trader, target.offerId, body.reason),
  (r) => offerView(r.offer),
);

/** `market:withdraw` — POST /api/bids/:id/withdraw. */
export const withdrawHandler = marketAction(
  'market:withdraw',
  (market, trader, { target }) => market.offers.withdraw(trader, target.offerId),
  (r) => offerView(r.offer),
);

/** `market:clockTake` — POST /api/lots/:id/clock/take with an Idempotency-Key. */
export const clockTakeHandler = marketAction(
  'market:clockTake',
  (market, trader, { target, body }) => market.lots.takeFromClock(trader, target.lotId, body, target.idempotencyKey),
  (r) => ({ order: orderView(r.order) }),
);

export const MARKET_SOCKET_HANDLERS = [
  bidHandler,
  counterHandler,
  acceptHandler,
  rejectHandler,
  withdrawHandler,
  clockTakeHandler,
];
