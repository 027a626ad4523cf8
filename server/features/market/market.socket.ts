/**
 * The market's actions over socket.io: bid, counter, accept, reject, withdraw, clock take. Each event is its
 * REST route on another transport — the same schemas (shared/schemas/market-socket.ts wraps the REST bodies),
 * the same checks (signed in, verified organisation, On-Behalf-Of), the same service call and the same answer
 * (docs/market.md "Socket actions").
 */
import type { Failure } from '../../../shared/failures';
import { parseMarketAction, type MarketActionEvent } from '../../../shared/schemas/market-socket';
import { success, type Outcome, type Result } from '../../outcome';
import { socketHandler, type PayloadSchema } from '../../realtime/handler';
import { offerView } from './offers/offers.views';
import { tradeView } from './orders/orders.views';
import { resolveTrader } from './kernel/market.http';
import type { Market } from './market.module';
import type { FindOrganisation, Trader } from './kernel/market.types';

interface MarketSocketDeps {
  market: Market;
  findOrganisation: FindOrganisation;
}

type Parsed<E extends MarketActionEvent> = Extract<ReturnType<typeof parseMarketAction<E>>, { ok: true }>;
type Run<E extends MarketActionEvent, T> = (market: Market, trader: Trader, input: Parsed<E>) => Promise<Result<T>>;

/** A failure naming a header names it as the payload carries it (IDEMPOTENCY_KEY_REUSED → `idempotencyKey`). */
function socketFieldsOf(failure: Failure): Failure {
  const header = failure.fields?.['Idempotency-Key'];
  if (header === undefined) return failure;
  const { 'Idempotency-Key': _header, ...others } = failure.fields ?? {};
  return { ...failure, fields: { ...others, idempotencyKey: header } };
}

/** The action's payload split into target (lot, offer, key, On-Behalf-Of) and REST body, as a PayloadSchema. */
const actionSchema = <E extends MarketActionEvent>(event: E): PayloadSchema<Parsed<E>> => ({
  safeParse: (value) => {
    const parsed = parseMarketAction(event, value);
    return parsed.ok
      ? { success: true, data: parsed as Parsed<E> }
      : { success: false, error: { issues: parsed.issues } };
  },
});

/**
 * One market action over the socket (the handler factory does who-acts, verification, rate limit and
 * payload): On-Behalf-Of is resolved as over HTTP, then the same service call. An event without an ack
 * callback is ignored: a trade nobody can hear the answer to is not made.
 */
function marketAction<E extends MarketActionEvent, T, D>(event: E, run: Run<E, T>, view: (value: T) => D) {
  return ({ market, findOrganisation }: MarketSocketDeps) =>
    socketHandler({
      event,
      access: 'verified',
      payload: 'required',
      ackRequired: true,
      schema: actionSchema(event),
      handle: async ({ user, payload }): Promise<Outcome<D>> => {
        const resolved = await resolveTrader(user.principal, payload.target.onBehalfOf, findOrganisation, 'onBehalfOf');
        if (!resolved.ok) return resolved;
        const outcome = await run(market, resolved.value, payload);
        return outcome.ok ? success(view(outcome)) : { ok: false, error: socketFieldsOf(outcome.error) };
      },
    });
}

/** `market:bid` — POST /api/lots/:id/bids, with an optional Idempotency-Key: a retry (over either transport) returns the same offer. */
const bidHandler = marketAction(
  'market:bid',
  (market, trader, { target, body }) => market.offers.createBid(trader, target.lotId, body, target.idempotencyKey),
  (r) => offerView(r.offer),
);

/** `market:counter` — POST /api/bids/:id/counter. */
const counterHandler = marketAction(
  'market:counter',
  (market, trader, { target, body }) => market.offers.counter(trader, target.offerId, body),
  (r) => offerView(r.offer),
);

/** `market:accept` — POST /api/bids/:id/accept with an Idempotency-Key: a retry (over either transport) returns the same order. */
const acceptHandler = marketAction(
  'market:accept',
  (market, trader, { target, body }) =>
    market.offers.accept(trader, target.offerId, body.quantityGrams, target.idempotencyKey),
  (r) => ({ ...tradeView(r), offer: offerView(r.offer) }),
);

/** `market:reject` — POST /api/bids/:id/reject. */
const rejectHandler = marketAction(
  'market:reject',
  (market, trader, { target, body }) => market.offers.reject(trader, target.offerId, body.reason),
  (r) => offerView(r.offer),
);

/** `market:withdraw` — POST /api/bids/:id/withdraw. */
const withdrawHandler = marketAction(
  'market:withdraw',
  (market, trader, { target }) => market.offers.withdraw(trader, target.offerId),
  (r) => offerView(r.offer),
);

/** `market:clockTake` — POST /api/lots/:id/clock/take with an Idempotency-Key. */
const clockTakeHandler = marketAction(
  'market:clockTake',
  (market, trader, { target, body }) => market.lots.takeFromClock(trader, target.lotId, body, target.idempotencyKey),
  tradeView,
);

export const MARKET_SOCKET_HANDLERS = [
  bidHandler,
  counterHandler,
  acceptHandler,
  rejectHandler,
  withdrawHandler,
  clockTakeHandler,
];
