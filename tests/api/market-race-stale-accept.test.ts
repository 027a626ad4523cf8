/**
 * Stale accepts: a request (or the sweep) holding an offer as it read it a moment earlier —
 * `accepted`, for an attempt that has since failed — must not be able to bring that attempt
 * back to life. Each accept of an offer is its own attempt with its own order id; a failed
 * attempt's order is final (fenced on the lot), and the offer leaves `accepted` only once its
 * attempt's order has failed. (docs/market-bench.md, "A bug found"; orders/reservation.ts.)
 *
 * The interleavings are forced with a lots repository that runs the racing step inside another
 * request's reservation.
 */
import { createOffersService } from '../../server/features/market/offers/offers.service';
import type { OfferRecord, OffersRepository } from '../../server/features/market/offers/offers.repository';
import type { LotsRepository } from '../../server/features/market/lots/lots.repository';
import type { OrderRecord } from '../../server/features/market/orders/orders.repository';
import { recoverPendingOrders } from '../../server/features/market/orders/reservation';
import { newId } from '../../server/features/market/kernel/market.ids';
import type { Trader } from '../../server/features/market/kernel/market.types';
import {
  aFarm,
  aLotBody,
  aRestaurant,
  marketOn,
  startTestDb,
  type MarketHarness,
  type TestDb,
} from '../fixtures/market-db';

let db: TestDb;
let h: MarketHarness;
beforeAll(async () => {
  db = await startTestDb();
  h = await marketOn(db);
});
afterAll(async () => {
  await h.close();
  await db.close();
});

async function lotAndBid(lotGrams: number, bidGrams: number) {
  const farm = aFarm();
  const lot = await h.market.lots.createLot(farm, aLotBody({ quantityGrams: lotGrams }));
  if (!lot.ok) throw new Error(lot.error.code);
  const bid = await h.market.offers.createBid(aRestaurant(), lot.lot.id, {
    quantityGrams: bidGrams,
    priceFenPerKg: 1200,
  });
  if (!bid.ok) throw new Error(bid.error.code);
  return { farm, lotId: lot.lot.id, offerId: bid.offer.id };
}

/**
 * A first accept that finds the stock gone: just before its reservation another buyer takes
 * `takenGrams`; returns the offer as a concurrent request read it at that moment (accepted).
 */
async function acceptThatLosesTheStock(
  farm: Trader,
  lotId: string,
  offerId: string,
  takenGrams: number,
  key: string,
): Promise<OfferRecord> {
  const { lots, offers, orders } = h.market.repositories;
  let staleSnapshot: OfferRecord | null = null;
  const racingLots: LotsRepository = {
    ...lots,
    async reserve(lot, orderId, grams, now) {
      if (!staleSnapshot) {
        staleSnapshot = await offers.findById(offerId);
        await lots.reserve(lot, 'someone-else', takenGrams, now);
      }
      return lots.reserve(lot, orderId, grams, now);
    },
  };
  const firstClick = createOffersService({
    lots: racingLots,
    offers,
    orders,
    now: h.now,
    newId,
    publish: () => undefined,
  });
  expect(await firstClick.accept(farm, offerId, undefined, key)).toMatchObject({
    ok: false,
    error: { code: 'NOT_ENOUGH_LEFT' },
  });
  expect((await offers.findById(offerId))?.state).toBe('open');
  expect(staleSnapshot).toMatchObject({ state: 'accepted' });
  return staleSnapshot as unknown as OfferRecord;
}

/** What the lot holds must be exactly its confirmed orders, and each offer's order must match its accept. */
async function expectConsistent(lotId: string, offerId: string) {
  const { lots, offers, orders } = h.market.repositories;
  const lot = await lots.findById(lotId);
  const offer = await offers.findById(offerId);
  const confirmed = (await orders.list({ lotId, limit: 50 })).filter((o) => o.status === 'confirmed');
  const reserved = new Map(
    lot?.reservations.filter((r) => r.orderId !== 'someone-else').map((r) => [r.orderId, r.grams]),
  );
  expect(reserved).toEqual(new Map(confirmed.map((o) => [o.id, o.quantityGrams])));
  const forOffer = confirmed.filter((o) => o.offerId === offerId);
  if (offer?.state === 'accepted') {
    expect(forOffer.map((o) => ({ id: o.id, grams: o.quantityGrams }))).toEqual([
      { id: offer.orderId, grams: offer.acceptedGrams },
    ]);
  } else {
    expect(forOffer).toEqual([]);
  }
  return { offer, confirmed: forOffer };
}

it('when a stale second click settles an accept the first click undid, the order is not confirmed behind an open offer', async () => {
  const { lots, orders } = h.market.repositories;
  const { farm, lotId, offerId } = await lotAndBid(20_000, 10_000);
  const stale = await acceptThatLosesTheStock(farm, lotId, offerId, 15_000, 'double-click-1');

  // the other buyer cancels; then the second click settles what it read
  await lots.release(lotId, 'someone-else', h.now());
  expect(await h.market.offers.settleAccepted(stale)).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_LEFT' } });

  const { offer } = await expectConsistent(lotId, offerId);
  expect(offer?.state).toBe('open');
  expect((await orders.findById(stale.orderId ?? ''))?.status).toBe('failed');
  expect((await lots.findById(lotId))?.remainingGrams).toBe(20_000);
});

it('when the sweep settles a stale accept while the offer was re-accepted for less, the buyer gets what was accepted the second time', async () => {
  const { lots, offers, orders } = h.market.repositories;
  const { farm, lotId, offerId } = await lotAndBid(20_000, 10_000);
  const stale = await acceptThatLosesTheStock(farm, lotId, offerId, 15_000, 'sweep-1');
  await lots.release(lotId, 'someone-else', h.now());

  // the farm accepts 6 kg of the bid; right after that accept claims the offer (before its order is
  // written), the sweep works through a list of unsettled offers it read earlier: the stale 10 kg accept
  let swept: number | null = null;
  const sweepFromAStaleList: OffersRepository = { ...offers, findUnsettled: async () => [stale] };
  const sweep = createOffersService({
    lots,
    offers: sweepFromAStaleList,
    orders,
    now: h.now,
    newId,
    publish: () => undefined,
  });
  const racingLots: LotsRepository = {
    ...lots,
    async findById(id) {
      if (swept === null && (await offers.findById(offerId))?.state === 'accepted') swept = await sweep.settleStale(0);
      return lots.findById(id);
    },
  };
  const secondAccept = createOffersService({
    lots: racingLots,
    offers,
    orders,
    now: h.now,
    newId,
    publish: () => undefined,
  });
  const second = await secondAccept.accept(farm, offerId, 6_000, 'sweep-2');
  expect(swept).toBe(1);

  expect(second).toMatchObject({
    ok: true,
    offer: { state: 'accepted', acceptedGrams: 6_000 },
    order: { status: 'confirmed', quantityGrams: 6_000 },
  });
  const { confirmed } = await expectConsistent(lotId, offerId);
  expect(confirmed).toHaveLength(1);
  expect((await orders.findById(stale.orderId ?? ''))?.status).toBe('failed');
  expect((await lots.findById(lotId))?.remainingGrams).toBe(14_000);
});

it('a concurrent duplicate shares the failed attempt, a later retry with the same key is a fresh attempt with its own order', async () => {
  const { lots, orders } = h.market.repositories;
  const { farm, lotId, offerId } = await lotAndBid(20_000, 10_000);
  const stale = await acceptThatLosesTheStock(farm, lotId, offerId, 15_000, 'retry-1');
  // the duplicate that was in flight with the first click answers the first click's outcome
  expect(await h.market.offers.settleAccepted(stale)).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_LEFT' } });

  // the stock comes back; the user clicks again with the same key: a new attempt, a new order
  await lots.release(lotId, 'someone-else', h.now());
  const retry = await h.market.offers.accept(farm, offerId, undefined, 'retry-1');
  if (!retry.ok) throw new Error(retry.error.code);
  expect(retry.order).toMatchObject({ status: 'confirmed', quantityGrams: 10_000 });
  expect(retry.order.id).not.toBe(stale.orderId);
  expect((await orders.findById(stale.orderId ?? ''))?.status).toBe('failed');
  // and from now on the key returns that order, once
  const again = await h.market.offers.accept(farm, offerId, undefined, 'retry-1');
  expect(again.ok && again.order.id).toBe(retry.order.id);
  await expectConsistent(lotId, offerId);
  expect((await lots.findById(lotId))?.remainingGrams).toBe(10_000);
});

it("a retry that finds the accepted offer's attempt interrupted by the sweep starts a fresh attempt instead of failing for ever", async () => {
  const { lots, offers, orders } = h.market.repositories;
  const { farm, lotId, offerId } = await lotAndBid(20_000, 10_000);
  // the accept's request dies after claiming the offer and writing its pending order, before reserving
  let died: OrderRecord | null = null;
  const dyingLots: LotsRepository = {
    ...lots,
    async reserve(_lot, orderId) {
      died = await orders.findById(orderId);
      throw new Error('killed');
    },
  };
  const dying = createOffersService({ lots: dyingLots, offers, orders, now: h.now, newId, publish: () => undefined });
  await expect(dying.accept(farm, offerId, undefined, 'interrupted-1')).rejects.toThrow('killed');
  expect(died).toMatchObject({ status: 'pending' });

  // the sweep finds the order stale and fences it off; the user retries before the sweep gets to the offer
  h.advanceHours(0.01);
  expect(await recoverPendingOrders({ lots, orders, now: h.now }, 30_000)).toMatchObject({
    failed: [{ id: (died as unknown as OrderRecord).id }],
  });
  expect((await offers.findById(offerId))?.state).toBe('accepted');
  const retry = await h.market.offers.accept(farm, offerId, undefined, 'interrupted-1');
  expect(retry).toMatchObject({ ok: true, order: { status: 'confirmed', quantityGrams: 10_000 } });
  await expectConsistent(lotId, offerId);
});
