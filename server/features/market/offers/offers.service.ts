/**
 * Bids, sell offers and their negotiation. Each action: load, ask the pure state machine,
 * save conditionally on the version read (retrying on a concurrent change), publish.
 * Accepting also places the order through the reservation protocol (orders/reservation.ts).
 */
import type { PageCursor } from '../../../../shared/domain/paging';
import {
  applyOfferAction,
  makeOffer,
  undoAccept,
  type Actor,
  type Offer,
  type OfferAction,
  type OfferKind,
  type Side,
} from '../../../../shared/domain/offers';
import { checkMinTake, minTakeOf } from '../../../../shared/domain/lots';
import { newOrder } from '../../../../shared/domain/orders';
import { mayBid } from '../../../../shared/domain/permissions';
import type { CounterOfferBody, CreateBidBody, MarketEventType } from '../../../../shared/schemas/market';
import type { Logger } from '../../../logger';
import type { LotsRepository } from '../lots/lots.repository';
import { lotView, type LotView } from '../lots/lots.views';
import {
  counterpartyNotTrading,
  everyoneTrades,
  forbidden,
  noNames,
  notFound,
  partyNames,
  type Now,
  type IsTrading,
  type OrganisationName,
  type PartyNames,
  type Publish,
  type Trader,
} from '../kernel/market.types';
import type { OrderRecord, OrdersRepository } from '../orders/orders.repository';
import { orderView } from '../orders/orders.views';
import { findAttempt, placeOrder } from '../orders/reservation';
import type { MakerKey, OfferRecord, OffersRepository } from './offers.repository';
import { offerView } from './offers.views';
import type { Failed } from '../../../outcome';
import { marketFail, refusedBy } from '../kernel/market.failures';

export interface OffersServiceDeps {
  lots: LotsRepository;
  offers: OffersRepository;
  orders: OrdersRepository;
  now: Now;
  newId: () => string;
  publish: Publish;
  /**
   * Awaited after an offer's order is confirmed, before the offer counts as settled — e.g. the
   * desk's assistance ledger for brokered deals. If it throws, the offer stays unsettled and
   * the sweep calls it again (settleStale), so it must be idempotent per order.
   */
  onOrderConfirmed?: (order: OrderRecord, offer: OfferRecord) => Promise<void>;
  logger?: Pick<Logger, 'error'>;
  /** New offers and accepts need the other side to be able to trade too (not pending, rejected or suspended). */
  isTrading?: IsTrading;
  /** The parties' names, copied onto each new offer (and from it onto its order). */
  organisationName?: OrganisationName;
}

const MAX_ATTEMPTS = 5;
const concurrentUpdate: Failed = marketFail(
  'CONCURRENT_UPDATE',
  'The offer changed while we were saving; please retry',
);

export type OfferOutcome = { ok: true; offer: OfferRecord } | Failed;
/** A new bid or sell offer; `created: false` when an earlier request with the same Idempotency-Key made it. */
export type MakeOutcome = { ok: true; offer: OfferRecord; created: boolean } | Failed;
/** `lot`: the lot after the order took its stock, as the REST API shows it (null only if it has gone). */
export type AcceptOutcome = { ok: true; offer: OfferRecord; order: OrderRecord; lot: LotView | null } | Failed;

/** What an offer's orders are for; each accept of the offer is a new attempt under it (orders/reservation.ts). */
export const orderKeyForOffer = (offerId: string) => `offer:${offerId}`;

/** What a keyed request asked for, as one comparable string: a retry must ask for exactly this again. */
interface AskedTerms extends CreateBidBody {
  kind: OfferKind;
  lotId: string;
  demandId?: string;
  buyerOrgId: string;
}
const madeTerms = (t: AskedTerms): string =>
  JSON.stringify([
    t.kind,
    t.lotId,
    t.demandId ?? null,
    t.buyerOrgId,
    t.quantityGrams,
    t.priceFenPerKg,
    t.validUntil?.toISOString() ?? null,
  ]);

/** The key is the acting organisation's (a broker's retry on its behalf shares it). */
const makerKey = (trader: Trader, key: string, terms: AskedTerms): MakerKey => ({
  makerOrgId: trader.organisationId,
  makerKey: key,
  makerTerms: madeTerms(terms),
});

const keyReused = (offerId: string): Failed =>
  marketFail(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used for a bid or offer with other terms; send a new key for new terms',
    { field: 'Idempotency-Key', details: { offerId } },
  );

/** The acting side, marked when a broker acts for the organisation. */
const actor = (trader: Trader, side: Side): Actor =>
  trader.viaBroker ? { userId: trader.userId, side, viaBroker: true } : { userId: trader.userId, side };

function sideOf(trader: Trader, offer: Pick<OfferRecord, 'buyerOrgId' | 'sellerOrgId'>): Side | undefined {
  if (trader.organisationId === offer.buyerOrgId) return 'buyer';
  if (trader.organisationId === offer.sellerOrgId) return 'seller';
  return undefined;
}

export function createOffersService(deps: OffersServiceDeps) {
  const { lots, offers, publish } = deps;
  const isTrading = deps.isTrading ?? everyoneTrades;
  const organisationName = deps.organisationName ?? noNames;

  const namesOf = async (offer: { sellerOrgId: string; buyerOrgId: string }): Promise<PartyNames> =>
    partyNames({
      sellerName: await organisationName(offer.sellerOrgId),
      buyerName: await organisationName(offer.buyerOrgId),
    });

  function announce(type: MarketEventType, offer: OfferRecord, data: Record<string, unknown> = {}): void {
    publish({
      type,
      lotId: offer.lotId,
      offerId: offer.id,
      buyerOrgId: offer.buyerOrgId,
      sellerOrgId: offer.sellerOrgId,
      data: { offer: offerView(offer), ...data },
    });
  }

  /** The sale stands even if the hook fails: the offer stays unsettled and the sweep retries the hook. */
  async function runOrderConfirmedHook(order: OrderRecord, offer: OfferRecord): Promise<boolean> {
    if (!deps.onOrderConfirmed) return true;
    try {
      await deps.onOrderConfirmed(order, offer);
      return true;
    } catch (err) {
      deps.logger?.error(
        { err, orderId: order.id, offerId: offer.id },
        'order-confirmed hook failed; the sweep will retry it',
      );
      return false;
    }
  }

  /**
   * Turns an accepted offer into its confirmed order, or — when that accept's order failed —
   * puts the offer back as it was before the accept. Safe to call any number of times, with
   * any snapshot, from the request, a duplicate, or the sweep after a crash: the order id is
   * the accept attempt's own, a failed attempt never confirms, and the offer is only put back
   * while it is still accepted for that same attempt.
   */
  async function settleAccepted(offer: OfferRecord): Promise<AcceptOutcome> {
    if (offer.state !== 'accepted' || !offer.orderId || offer.acceptedGrams === undefined) {
      return marketFail('OFFER_CLOSED', `The offer is ${offer.state}`);
    }
    const lot = await lots.findById(offer.lotId);
    const order = newOrder(
      {
        id: offer.orderId,
        lotId: offer.lotId,
        source: 'offer',
        offerId: offer.id,
        buyerOrgId: offer.buyerOrgId,
        sellerOrgId: offer.sellerOrgId,
        productCode: lot?.productCode ?? 'unknown',
        quantityGrams: offer.acceptedGrams,
        priceFenPerKg: offer.priceFenPerKg,
      },
      deps.now(),
    );
    const placed = await placeOrder(deps, {
      ...order,
      ...partyNames(offer),
      key: orderKeyForOffer(offer.id),
      ...(offer.idempotencyKey ? { idempotencyKey: offer.idempotencyKey } : {}),
    });
    if (placed.ok) {
      const after = placed.lot ? lotView(placed.lot, deps.now()) : null;
      let settled = offer.settled === true;
      if (!settled && (await runOrderConfirmedHook(placed.order, offer))) {
        await offers.markSettled(offer.id, placed.order.id);
        settled = true;
      }
      if (placed.created) {
        publish({
          type: 'order:confirmed',
          lotId: offer.lotId,
          offerId: offer.id,
          orderId: placed.order.id,
          buyerOrgId: offer.buyerOrgId,
          sellerOrgId: offer.sellerOrgId,
          data: { order: orderView(placed.order), ...(after ? { lot: after } : {}) },
        });
      }
      return { ok: true, offer: { ...offer, settled }, order: placed.order, lot: after };
    }
    await undoFailedAccept(offer.id, offer.orderId);
    return placed;
  }

  /** The attempt's order failed for good: the offer goes back to before the accept, if it is still accepted for that attempt. */
  async function undoFailedAccept(offerId: string, orderId: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await offers.findById(offerId);
      if (current?.state !== 'accepted' || current.orderId !== orderId) return;
      const previous = undoAccept(current);
      if (!previous) return;
      const reverted = await offers.save(previous, current.version, {
        orderId: undefined,
        settled: undefined,
        idempotencyKey: undefined,
      });
      if (reverted) {
        announce('offer:updated', reverted);
        return;
      }
    }
  }

  /** The offer a key already made for this organisation — or the refusal, if the key is reused for other terms. */
  function answerReplay(existing: OfferRecord, maker: MakerKey): MakeOutcome {
    if (existing.makerTerms !== maker.makerTerms) return keyReused(existing.id);
    return { ok: true, offer: existing, created: false };
  }

  async function replayOf(maker: MakerKey): Promise<MakeOutcome | null> {
    const existing = await offers.findByMakerKey(maker.makerOrgId, maker.makerKey);
    return existing ? answerReplay(existing, maker) : null;
  }

  /** Stores a new offer and announces it; with a key, a concurrent request that won the key's index entry answers instead. */
  async function insertMade(offer: Offer, maker: MakerKey | undefined): Promise<MakeOutcome> {
    const named = { ...offer, ...(await namesOf(offer)) };
    if (!maker) {
      const inserted = await offers.insert(named);
      announce('offer:made', inserted);
      return { ok: true, offer: inserted, created: true };
    }
    const keyed = await offers.insertKeyed({ ...named, ...maker });
    if (!keyed.inserted) return answerReplay(keyed.offer, maker);
    announce('offer:made', keyed.offer);
    return { ok: true, offer: keyed.offer, created: true };
  }

  /** Load → state machine → conditional save, retried when someone else saved in between. */
  async function act(
    trader: Trader,
    offerId: string,
    build: (by: Actor) => OfferAction,
    eventType: MarketEventType,
  ): Promise<OfferOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const offer = await offers.findById(offerId);
      if (!offer) return notFound('Offer');
      const side = sideOf(trader, offer);
      if (!side) return forbidden('Only the buyer and the seller of this offer may act on it');
      const lot = await lots.findById(offer.lotId);
      if (!lot) return notFound('Lot');
      const result = applyOfferAction(offer, build(actor(trader, side)), { now: deps.now(), lot });
      if (!result.ok) return refusedBy(result);
      const saved = await offers.save(result.offer, offer.version);
      if (!saved) continue;
      announce(eventType, saved);
      return { ok: true, offer: saved };
    }
    return concurrentUpdate;
  }

  return {
    settleAccepted,

    /**
     * A restaurant bids on a lot. With an Idempotency-Key the bid is made at most once per key and
     * organisation: a retry (any transport, also while another request with the key is in flight) gets
     * the offer the key made, as it stands now, with `created: false`; other terms under the key are
     * refused (IDEMPOTENCY_KEY_REUSED). The replay is answered before the lot is checked again, so a
     * bid made just before the lot sold out is still found.
     */
    async createBid(trader: Trader, lotId: string, body: CreateBidBody, idempotencyKey?: string): Promise<MakeOutcome> {
      if (!mayBid(trader.kind))
        return forbidden('Only buyers (restaurants, canteens, retailers, enterprises, the chamber) bid on lots');
      const maker = idempotencyKey
        ? makerKey(trader, idempotencyKey, { kind: 'bid', lotId, buyerOrgId: trader.organisationId, ...body })
        : undefined;
      const replayed = maker && (await replayOf(maker));
      if (replayed) return replayed;
      const lot = await lots.findById(lotId);
      if (!lot) return notFound('Lot');
      if (!(await isTrading(lot.sellerOrgId))) return counterpartyNotTrading('farm');
      const enough = checkMinTake(body.quantityGrams, minTakeOf(lot), lot.remainingGrams);
      if (!enough.ok) return refusedBy(enough);
      const made = makeOffer(
        {
          id: deps.newId(),
          lotId,
          buyerOrgId: trader.organisationId,
          sellerOrgId: lot.sellerOrgId,
          by: actor(trader, 'buyer'),
          quantityGrams: body.quantityGrams,
          priceFenPerKg: body.priceFenPerKg,
          ...(body.validUntil ? { validUntil: body.validUntil } : {}),
        },
        { now: deps.now(), lot },
      );
      if (!made.ok) return refusedBy(made);
      return insertMade(made.offer, maker);
    },

    /**
     * A farm offers (part of) its lot to a restaurant, e.g. answering its demand (demand.service.ts checks the fit).
     * An Idempotency-Key works as for createBid.
     */
    async createSellOffer(
      trader: Trader,
      input: { lotId: string; buyerOrgId: string; demandId?: string } & CreateBidBody,
      idempotencyKey?: string,
    ): Promise<MakeOutcome> {
      if (trader.kind !== 'farm') return forbidden('Only farms make sell offers');
      const maker = idempotencyKey ? makerKey(trader, idempotencyKey, { kind: 'sell_offer', ...input }) : undefined;
      const replayed = maker && (await replayOf(maker));
      if (replayed) return replayed;
      const lot = await lots.findById(input.lotId);
      if (!lot) return notFound('Lot', 'lotId');
      if (lot.sellerOrgId !== trader.organisationId) return forbidden('You can only offer your own lots');
      if (!(await isTrading(input.buyerOrgId))) return counterpartyNotTrading('restaurant');
      const made = makeOffer(
        {
          id: deps.newId(),
          lotId: lot.id,
          ...(input.demandId ? { demandId: input.demandId } : {}),
          buyerOrgId: input.buyerOrgId,
          sellerOrgId: lot.sellerOrgId,
          by: actor(trader, 'seller'),
          quantityGrams: input.quantityGrams,
          priceFenPerKg: input.priceFenPerKg,
          ...(input.validUntil ? { validUntil: input.validUntil } : {}),
        },
        { now: deps.now(), lot },
      );
      if (!made.ok) return refusedBy(made);
      return insertMade(made.offer, maker);
    },

    async getOffer(trader: Trader, offerId: string): Promise<OfferOutcome> {
      const offer = await offers.findById(offerId);
      if (!offer || !sideOf(trader, offer)) return notFound('Offer');
      return { ok: true, offer };
    },

    /** Newest made first (creation time never changes: keyset pages), `limit` rows after `after`. */
    async listOffers(
      trader: Trader,
      { after, limit, ...filter }: { lotId?: string; state?: OfferRecord['state']; limit: number; after?: PageCursor },
    ): Promise<OfferRecord[]> {
      const created = { order: 'newest' as const, ...(after ? { after } : {}) };
      // The chamber oversees the whole market (read-only); traders see the offers they are party to.
      if (trader.kind === 'chamber') return offers.list({ ...filter, created, limit });
      return offers.list({ ...filter, orgId: trader.organisationId, created, limit });
    },

    /**
     * Accepting (all or `quantityGrams` of) an offer. The offer is claimed first (state
     * `accepted` with the next unused order attempt, conditional on its version — so a
     * concurrent withdraw or second accept loses cleanly), then its order is placed.
     * Accepting an accepted offer again returns the same order (or that attempt's failure);
     * with a different Idempotency-Key it is refused as ALREADY_ACCEPTED. After a failure
     * the offer is open again and an accept (same key or not) is a fresh attempt.
     */
    async accept(
      trader: Trader,
      offerId: string,
      quantityGrams: number | undefined,
      idempotencyKey: string | undefined,
    ): Promise<AcceptOutcome> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const offer = await offers.findById(offerId);
        if (!offer) return notFound('Offer');
        const side = sideOf(trader, offer);
        if (!side) return forbidden('Only the party whose turn it is may accept');
        if (offer.state === 'accepted') {
          if (side !== offer.history.at(-1)?.side)
            return marketFail('OFFER_CLOSED', 'The offer is already accepted', { details: { orderId: offer.orderId } });
          if (idempotencyKey && offer.idempotencyKey && idempotencyKey !== offer.idempotencyKey) {
            return marketFail('ALREADY_ACCEPTED', 'This offer was already accepted (with another Idempotency-Key)', {
              details: { orderId: offer.orderId },
            });
          }
          const settled = await settleAccepted(offer);
          // that attempt was cut off (a crash) and cleaned up by the sweep: this request makes a fresh one
          if (!settled.ok && settled.error.code === 'RESERVATION_INTERRUPTED') continue;
          return settled;
        }
        if (!(await isTrading(side === 'buyer' ? offer.sellerOrgId : offer.buyerOrgId)))
          return counterpartyNotTrading(side === 'buyer' ? 'farm' : 'restaurant');
        const lot = await lots.findById(offer.lotId);
        if (!lot) return notFound('Lot');
        const result = applyOfferAction(
          offer,
          { type: 'accept', by: actor(trader, side), ...(quantityGrams !== undefined ? { quantityGrams } : {}) },
          { now: deps.now(), lot },
        );
        if (!result.ok) {
          if (result.reason === 'NOT_ENOUGH_LEFT')
            return marketFail(result.reason, result.message, {
              ...(result.field === undefined ? {} : { field: result.field }),
              details: { remainingGrams: lot.remainingGrams },
            });
          return refusedBy(result);
        }
        const attempt = await findAttempt(deps.orders, orderKeyForOffer(offer.id), 'unused');
        const claimed = await offers.save(result.offer, offer.version, {
          orderId: attempt.id,
          settled: false,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        });
        if (!claimed) continue;
        announce('offer:accepted', claimed);
        return settleAccepted(claimed);
      }
      return concurrentUpdate;
    },

    counter(trader: Trader, offerId: string, body: CounterOfferBody): Promise<OfferOutcome> {
      return act(trader, offerId, (by) => ({ type: 'counter', by, ...body }), 'offer:countered');
    },

    reject(trader: Trader, offerId: string, reason: string): Promise<OfferOutcome> {
      return act(trader, offerId, (by) => ({ type: 'reject', by, reason }), 'offer:rejected');
    },

    withdraw(trader: Trader, offerId: string): Promise<OfferOutcome> {
      return act(trader, offerId, (by) => ({ type: 'withdraw', by }), 'offer:withdrawn');
    },

    /** The sweep: mark offers past their validUntil (or their lot's expiry) expired. */
    async expireLapsed(batch = 200): Promise<number> {
      const now = deps.now();
      let expired = 0;
      for (const offer of await offers.findLapsed(now, batch)) {
        const lot = await lots.findById(offer.lotId);
        const result = applyOfferAction(
          offer,
          { type: 'expire' },
          { now, lot: lot ?? { status: 'expired', remainingGrams: 0, reservePriceFenPerKg: 0, expiresAt: now } },
        );
        if (!result.ok) continue;
        const saved = await offers.save(result.offer, offer.version);
        if (saved) {
          expired++;
          announce('offer:expired', saved);
        }
      }
      return expired;
    },

    /** The sweep: roll forward offers accepted by a request that died before its order was confirmed. */
    async settleStale(staleAfterMs: number, batch = 100): Promise<number> {
      const stale = await offers.findUnsettled(new Date(deps.now().getTime() - staleAfterMs), batch);
      for (const offer of stale) await settleAccepted(offer);
      return stale.length;
    },
  };
}

export type OffersService = ReturnType<typeof createOffersService>;
