/**
 * A double click on "accept" where the first click finds the stock gone and puts the offer back,
 * while the second click, holding the offer as it read it a moment earlier (accepted), goes on to
 * settle it after stock came back. The order must not end up confirmed while its offer is open.
 *
 * The interleaving is forced with a lots repository that, on the first click's reservation, lets
 * another buyer take the stock first; it is released again before the second click settles.
 * KNOWN BUG (docs/market-bench.md, "A bug found"): the order is confirmed (holding 10 kg) and the
 * offer stays open. Marked `it.failing` so the suite stays green until it is fixed; once
 * settleAccepted is fixed this test fails and should become a plain `it`.
 */
import { createOffersService } from '../../server/features/offers/offers.service';
import type { OfferRecord } from '../../server/features/offers/offers.repository';
import type { LotsRepository } from '../../server/features/lots/lots.repository';
import { newId } from '../../server/features/market/market.ids';
import { aFarm, aLotBody, aRestaurant, marketOn, startTestDb, type MarketHarness, type TestDb } from '../fixtures/market-db';

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

it.failing('when a stale second click settles an accept the first click undid, the order is not confirmed behind an open offer', async () => {
  const { lots, offers, orders } = h.market.repositories;
  const farm = aFarm();
  const lot = await h.market.lots.createLot(farm, aLotBody({ quantityGrams: 20_000 }));
  if (!lot.ok) throw new Error(lot.reason);
  const bid = await h.market.offers.createBid(aRestaurant(), lot.lot.id, { quantityGrams: 10_000, priceFenPerKg: 1200 });
  if (!bid.ok) throw new Error(bid.reason);

  // the first click's reservation: another buyer takes 15 of the 20 kg just before it; meanwhile the
  // second click reads the offer, which is accepted at that moment
  let staleSnapshot: OfferRecord | null = null;
  const racingLots: LotsRepository = {
    ...lots,
    async reserve(lotId, orderId, grams, now) {
      if (!staleSnapshot) {
        staleSnapshot = await offers.findById(bid.offer.id);
        await lots.reserve(lotId, 'someone-else', 15_000, now);
      }
      return lots.reserve(lotId, orderId, grams, now);
    },
  };
  const firstClick = createOffersService({ lots: racingLots, offers, orders, clock: h.now, newId, publish: () => undefined });
  const first = await firstClick.accept(farm, bid.offer.id, undefined, 'double-click-1');
  expect(first).toMatchObject({ ok: false, reason: 'NOT_ENOUGH_LEFT' });
  expect((await offers.findById(bid.offer.id))?.state).toBe('open');

  // the other buyer cancels; then the second click settles what it read
  await lots.release(lot.lot.id, 'someone-else', h.now());
  expect(staleSnapshot).toMatchObject({ state: 'accepted' });
  await h.market.offers.settleAccepted(staleSnapshot as unknown as OfferRecord);

  const offer = await offers.findById(bid.offer.id);
  const order = offer?.orderId ? await orders.findById(offer.orderId) : await orders.findById((staleSnapshot as unknown as OfferRecord).orderId ?? '');
  // consistent outcomes only: accepted with its confirmed order, or open with no order holding stock
  expect({ offer: offer?.state, order: order?.status }).not.toEqual({ offer: 'open', order: 'confirmed' });
});
