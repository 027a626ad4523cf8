/**
 * The heart of the market: however many accepts hit one lot at once, the orders never
 * exceed the lot, and every success has exactly one order.
 */
import type { AcceptOutcome } from '../../server/features/market/offers/offers.service';
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

// The embedded server does a few hundred operations a second; 400 accepts take a while.
jest.setTimeout(180_000);

describe('when 200 accepts (plus 200 duplicate retries) hit a 600 kg lot at once', () => {
  it('sells exactly the lot, one order per successful bid, never more', async () => {
    const farm = aFarm();
    const lot = await h.market.lots.createLot(farm, aLotBody({ quantityGrams: 600_000 }));
    if (!lot.ok) throw new Error(lot.error.code);
    // 200 restaurants bid for 5 kg each: 1 t of demand for 600 kg of stock
    const made = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.market.offers.createBid(aRestaurant(), lot.lot.id, { quantityGrams: 5_000, priceFenPerKg: 1000 + i }),
      ),
    );
    const bids = made.map((r) => {
      if (!r.ok) throw new Error(r.error.code);
      return r.offer;
    });

    // every bid accepted twice at the same moment (a double-clicking farmer), all 600 at once
    const attempts: Promise<AcceptOutcome>[] = [];
    for (const b of bids) {
      attempts.push(h.market.offers.accept(farm, b.id, undefined, `accept-${b.id}`));
      attempts.push(h.market.offers.accept(farm, b.id, undefined, `accept-${b.id}`));
    }
    const results = await Promise.all(attempts);

    const successes = results.filter((r): r is Extract<AcceptOutcome, { ok: true }> => r.ok);
    const failures = results.filter((r) => !r.ok);
    for (const f of failures)
      expect(['NOT_ENOUGH_LEFT', 'LOT_NOT_OPEN', 'CONCURRENT_UPDATE']).toContain(f.ok ? '' : f.error.code);

    const stored = await h.market.repositories.lots.findById(lot.lot.id);
    const orders = await h.market.orders.list(farm, { lotId: lot.lot.id });
    const orderedGrams = orders.reduce((sum, o) => sum + o.quantityGrams, 0);

    // never oversold, and here exactly sold out
    expect(orderedGrams).toBeLessThanOrEqual(600_000);
    expect(orders).toHaveLength(120);
    expect(orderedGrams).toBe(600_000);
    expect(stored).toMatchObject({ remainingGrams: 0, status: 'sold_out' });
    expect(stored?.reservations).toHaveLength(120);
    expect(new Set(stored?.reservations.map((r) => r.orderId))).toEqual(new Set(orders.map((o) => o.id)));

    // every success points at exactly one order, the same for both clicks on a bid
    const orderIdsBySuccessfulBid = new Map<string, Set<string>>();
    for (const s of successes) {
      const set = orderIdsBySuccessfulBid.get(s.offer.id) ?? new Set<string>();
      set.add(s.order.id);
      orderIdsBySuccessfulBid.set(s.offer.id, set);
    }
    expect(orderIdsBySuccessfulBid.size).toBe(120);
    for (const ids of orderIdsBySuccessfulBid.values()) expect(ids.size).toBe(1);
    expect(new Set(orders.map((o) => o.offerId))).toEqual(new Set(orderIdsBySuccessfulBid.keys()));

    // the bids that missed are live again (the farm could still accept part of them elsewhere)
    const missed = bids.filter((b) => !orderIdsBySuccessfulBid.has(b.id));
    for (const b of missed) expect((await h.market.repositories.offers.findById(b.id))?.state).toBe('open');

    // the sweep finds nothing to repair
    expect(await h.market.jobs.runOnce()).toMatchObject({ confirmedOrders: 0, failedOrders: 0, settledOffers: 0 });
  });
});
