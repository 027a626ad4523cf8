/**
 * The market services on the embedded database: lots, bids, accept/counter/reject/withdraw,
 * orders, the expiry sweep and the recovery of interrupted reservations.
 * (Through the service layer; the HTTP routes are covered in market-http.test.ts.)
 */
import { newOrder } from '../../shared/domain/orders';
import { deterministicId } from '../../server/features/market/kernel/market.ids';
import type { Trader } from '../../server/features/market/kernel/market.types';
import { orderKeyForOffer } from '../../server/features/market/offers/offers.service';
import { T0, at } from '../fixtures/market';
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
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  h = await marketOn(db);
});
afterEach(async () => {
  await h.close();
});

async function postLot(farm: Trader, over = {}) {
  const r = await h.market.lots.createLot(farm, aLotBody(over));
  if (!r.ok) throw new Error(r.error.code);
  return r.lot;
}

async function bid(restaurant: Trader, lotId: string, quantityGrams = 50_000, priceFenPerKg = 1200) {
  const r = await h.market.offers.createBid(restaurant, lotId, { quantityGrams, priceFenPerKg });
  if (!r.ok) throw new Error(r.error.code);
  return r.offer;
}

describe('posting and browsing lots', () => {
  it("opens a farm's lot with its expiry from the spoilage profile", async () => {
    const lot = await postLot(aFarm());
    expect(lot).toMatchObject({
      status: 'open',
      remainingGrams: 2_000_000,
      expiresAt: at(94),
      productNameZh: '鲜香菇',
      urgency: 'fresh',
    });
    expect(h.events.map((e) => e.type)).toEqual(['lot:posted']);
  });

  it('refuses a restaurant posting a lot, and a lot that would outlive its profile', async () => {
    expect(await h.market.lots.createLot(aRestaurant(), aLotBody())).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await h.market.lots.createLot(aFarm(), aLotBody({ expiresAt: at(200) }))).toMatchObject({
      ok: false,
      error: { code: 'EXPIRY_BEYOND_SHELF_LIFE', fields: { expiresAt: expect.any(String) } },
    });
  });

  it('lists open lots by product, soonest expiry first, and the at-risk ones', async () => {
    const farm = aFarm();
    const later = await postLot(farm);
    const sooner = await postLot(farm, { harvestedAt: at(-60) });
    await postLot(farm, { productCode: 'enoki' });
    const listed = async (query: Omit<Parameters<typeof h.market.lots.listLots>[0], 'sort'>) => {
      const result = await h.market.lots.listLots({ sort: 'expiry', ...query });
      if (!result.ok) throw new Error(result.error.message);
      return result.page.items;
    };
    const shiitake = await listed({ productCode: 'shiitake', status: 'open', limit: 50 });
    expect(shiitake.map((l) => l.id)).toEqual([sooner.id, later.id]);
    const atRisk = await listed({ atRisk: true, limit: 50 });
    expect(atRisk.map((l) => l.id)).toEqual([sooner.id]);
    expect(atRisk[0].urgency).toBe('at_risk');
  });

  it('lets only the posting farm withdraw', async () => {
    const farm = aFarm();
    const lot = await postLot(farm);
    expect(await h.market.lots.withdrawLot(aFarm(), lot.id)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.market.lots.withdrawLot(farm, lot.id)).toMatchObject({ ok: true, lot: { status: 'withdrawn' } });
    expect(
      await h.market.offers.createBid(aRestaurant(), lot.id, { quantityGrams: 1000, priceFenPerKg: 1200 }),
    ).toMatchObject({ error: { code: 'LOT_NOT_OPEN' } });
  });
});

describe('bidding and accepting', () => {
  it('refuses a bid below reserve or above what is left, naming the field', async () => {
    const lot = await postLot(aFarm());
    const cook = aRestaurant();
    expect(await h.market.offers.createBid(cook, lot.id, { quantityGrams: 1000, priceFenPerKg: 999 })).toMatchObject({
      ok: false,
      error: { code: 'PRICE_BELOW_RESERVE', fields: { priceFenPerKg: expect.any(String) } },
    });
    expect(
      await h.market.offers.createBid(cook, lot.id, { quantityGrams: 2_000_001, priceFenPerKg: 1200 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'QUANTITY_EXCEEDS_REMAINING', fields: { quantityGrams: expect.any(String) } },
    });
    expect(
      await h.market.offers.createBid(aFarm(), lot.id, { quantityGrams: 1000, priceFenPerKg: 1200 }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('turns an accepted bid into one confirmed order and takes the stock', async () => {
    const farm = aFarm();
    const lot = await postLot(farm);
    const offer = await bid(aRestaurant(), lot.id);
    const r = await h.market.offers.accept(farm, offer.id, undefined, undefined);
    expect(r).toMatchObject({
      ok: true,
      offer: { state: 'accepted', settled: true },
      order: {
        status: 'confirmed',
        lotId: lot.id,
        quantityGrams: 50_000,
        priceFenPerKg: 1200,
        totalFen: 60_000,
        productCode: 'shiitake',
      },
    });
    expect(
      (await h.market.lots.getLot(lot.id)).ok && (await h.market.repositories.lots.findById(lot.id))?.remainingGrams,
    ).toBe(1_950_000);
    expect(h.events.map((e) => e.type)).toEqual(['lot:posted', 'offer:made', 'offer:accepted', 'order:confirmed']);
  });

  it("lets only the lot's farm accept a bid", async () => {
    const farm = aFarm();
    const cook = aRestaurant();
    const offer = await bid(cook, (await postLot(farm)).id);
    expect(await h.market.offers.accept(aFarm(), offer.id, undefined, undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await h.market.offers.accept(cook, offer.id, undefined, undefined)).toMatchObject({
      ok: false,
      error: { code: 'NOT_YOUR_TURN' },
    });
  });

  it('never makes a second order for an accepted bid', async () => {
    const farm = aFarm();
    const lot = await postLot(farm);
    const offer = await bid(aRestaurant(), lot.id);
    const first = await h.market.offers.accept(farm, offer.id, undefined, 'key-aaaaaaaa');
    const again = await h.market.offers.accept(farm, offer.id, undefined, 'key-aaaaaaaa');
    const noKey = await h.market.offers.accept(farm, offer.id, undefined, undefined);
    const otherKey = await h.market.offers.accept(farm, offer.id, undefined, 'key-bbbbbbbb');
    if (!first.ok || !again.ok || !noKey.ok) throw new Error('expected success');
    expect(again.order.id).toBe(first.order.id);
    expect(noKey.order.id).toBe(first.order.id);
    expect(otherKey).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_ACCEPTED', details: { orderId: first.order.id } },
    });
    const stored = await h.market.repositories.lots.findById(lot.id);
    expect(stored?.reservations).toHaveLength(1);
    expect(stored?.remainingGrams).toBe(1_950_000);
  });

  it('accepts part of a bid', async () => {
    const farm = aFarm();
    const offer = await bid(aRestaurant(), (await postLot(farm)).id);
    const r = await h.market.offers.accept(farm, offer.id, 20_000, undefined);
    expect(r).toMatchObject({ ok: true, order: { quantityGrams: 20_000, totalFen: 24_000 } });
  });

  it('says how much is left when a bid cannot be filled, leaves it open, and fills part of it', async () => {
    const farm = aFarm();
    const lot = await postLot(farm, { quantityGrams: 80_000 });
    const big = await bid(aRestaurant(), lot.id, 60_000);
    const other = await bid(aRestaurant(), lot.id, 60_000);
    expect(await h.market.offers.accept(farm, big.id, undefined, undefined)).toMatchObject({ ok: true });
    expect(await h.market.offers.accept(farm, other.id, undefined, undefined)).toMatchObject({
      ok: false,
      error: { code: 'NOT_ENOUGH_LEFT', details: { remainingGrams: 20_000 } },
    });
    expect((await h.market.repositories.offers.findById(other.id))?.state).toBe('open');
    expect(await h.market.offers.accept(farm, other.id, 20_000, undefined)).toMatchObject({
      ok: true,
      order: { quantityGrams: 20_000 },
    });
    expect(await h.market.repositories.lots.findById(lot.id)).toMatchObject({ remainingGrams: 0, status: 'sold_out' });
  });

  it('tells a racing accept the truth when the stock went between its check and its reservation', async () => {
    const farm = aFarm();
    const lot = await postLot(farm, { quantityGrams: 50_000 });
    const a = await bid(aRestaurant(), lot.id, 50_000);
    const b = await bid(aRestaurant(), lot.id, 50_000);
    const [ra, rb] = await Promise.all([
      h.market.offers.accept(farm, a.id, undefined, undefined),
      h.market.offers.accept(farm, b.id, undefined, undefined),
    ]);
    expect([ra.ok, rb.ok].sort()).toEqual([false, true]);
    const loser = ra.ok ? rb : ra;
    expect(loser).toMatchObject({ ok: false });
    if (!loser.ok) expect(['NOT_ENOUGH_LEFT', 'LOT_NOT_OPEN']).toContain(loser.error.code);
  });

  it('negotiates: the farm counters, the restaurant accepts at the counter price', async () => {
    const farm = aFarm();
    const cook = aRestaurant();
    const offer = await bid(cook, (await postLot(farm)).id);
    expect(await h.market.offers.counter(farm, offer.id, { priceFenPerKg: 1300 })).toMatchObject({
      ok: true,
      offer: { state: 'countered', turn: 'buyer' },
    });
    expect(await h.market.offers.accept(farm, offer.id, undefined, undefined)).toMatchObject({
      error: { code: 'NOT_YOUR_TURN' },
    });
    expect(await h.market.offers.accept(cook, offer.id, undefined, undefined)).toMatchObject({
      ok: true,
      order: { priceFenPerKg: 1300, buyerOrgId: cook.organisationId },
    });
  });

  it('rejects with a reason and withdraws', async () => {
    const farm = aFarm();
    const cook = aRestaurant();
    const lot = await postLot(farm);
    const one = await bid(cook, lot.id);
    const two = await bid(cook, lot.id);
    expect(await h.market.offers.reject(farm, one.id, '价格太低')).toMatchObject({
      ok: true,
      offer: { state: 'rejected', closedReason: '价格太低' },
    });
    expect(await h.market.offers.withdraw(farm, two.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_PARTY_TO_TERMS' },
    });
    expect(await h.market.offers.withdraw(cook, two.id)).toMatchObject({ ok: true, offer: { state: 'withdrawn' } });
    expect(await h.market.offers.accept(farm, two.id, undefined, undefined)).toMatchObject({
      ok: false,
      error: { code: 'OFFER_CLOSED' },
    });
  });

  it('lets a withdraw and an accept race with exactly one winner', async () => {
    const farm = aFarm();
    const cook = aRestaurant();
    const offer = await bid(cook, (await postLot(farm)).id);
    const [acc, wd] = await Promise.all([
      h.market.offers.accept(farm, offer.id, undefined, undefined),
      h.market.offers.withdraw(cook, offer.id),
    ]);
    expect([acc.ok, wd.ok].filter(Boolean)).toHaveLength(1);
    const stored = await h.market.repositories.offers.findById(offer.id);
    expect(stored?.state).toBe(acc.ok ? 'accepted' : 'withdrawn');
  });
});

describe('orders after the sale', () => {
  async function sold() {
    const farm = aFarm();
    const cook = aRestaurant();
    const lot = await postLot(farm);
    const offer = await bid(cook, lot.id);
    const r = await h.market.offers.accept(farm, offer.id, undefined, undefined);
    if (!r.ok) throw new Error(r.error.code);
    return { farm, cook, lot, order: r.order };
  }

  it('lists an order for both sides and nobody else', async () => {
    const { farm, cook, order } = await sold();
    expect((await h.market.orders.list(farm, {})).map((o) => o.id)).toEqual([order.id]);
    expect((await h.market.orders.list(cook, {})).map((o) => o.id)).toEqual([order.id]);
    expect(await h.market.orders.list(aRestaurant(), {})).toEqual([]);
    expect(await h.market.orders.get(aRestaurant(), order.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('goes dispatched → delivered, and completes by itself when nobody disputes within 24 h', async () => {
    const { farm, cook, order } = await sold();
    expect(await h.market.orders.dispatch(cook, order.id)).toMatchObject({ ok: false, error: { code: 'WRONG_SIDE' } });
    expect(await h.market.orders.dispatch(farm, order.id)).toMatchObject({ ok: true, order: { status: 'dispatched' } });
    expect(await h.market.orders.deliver(cook, order.id, 48_000)).toMatchObject({
      ok: true,
      order: { status: 'delivered', deliveredGrams: 48_000, totalFen: 57_600 },
    });
    h.advanceHours(23);
    expect(await h.market.jobs.runOnce()).toMatchObject({ completedOrders: 0 });
    h.advanceHours(2);
    expect(await h.market.orders.dispute(cook, order.id, '有烂菇')).toMatchObject({
      ok: false,
      error: { code: 'DISPUTE_WINDOW_CLOSED' },
    });
    expect(await h.market.jobs.runOnce()).toMatchObject({ completedOrders: 1 });
    expect(await h.market.orders.get(cook, order.id)).toMatchObject({ ok: true, order: { status: 'completed' } });
  });

  it('puts the stock back on sale when an order is cancelled before dispatch', async () => {
    const { cook, lot, order } = await sold();
    expect(await h.market.orders.cancel(cook, order.id, '今天歇业')).toMatchObject({
      ok: true,
      order: { status: 'cancelled' },
    });
    expect(await h.market.repositories.lots.findById(lot.id)).toMatchObject({
      remainingGrams: 2_000_000,
      reservations: [],
    });
    expect(await h.market.orders.cancel(cook, order.id, 'again')).toMatchObject({
      ok: false,
      error: { code: 'WRONG_STATUS' },
    });
  });
});

describe('the clock sale', () => {
  it('sells at the falling price, and a retried take with the same key buys once', async () => {
    const farm = aFarm();
    const cook = aRestaurant();
    const lot = await postLot(farm, { harvestedAt: at(-70) }); // 26 h left
    expect(
      await h.market.lots.startClock(farm, lot.id, { startPriceFenPerKg: 1600, floorHoursBeforeExpiry: 6 }),
    ).toMatchObject({ ok: true, lot: { clock: { phase: 'falling', priceFenPerKg: 1600 } } });
    h.advanceHours(10); // half way from 1600 to 1000
    const first = await h.market.lots.takeFromClock(cook, lot.id, { quantityGrams: 100_000 }, 'take-00000001');
    expect(first).toMatchObject({
      ok: true,
      created: true,
      order: { source: 'clock', priceFenPerKg: 1300, quantityGrams: 100_000, totalFen: 130_000 },
    });
    const retry = await h.market.lots.takeFromClock(cook, lot.id, { quantityGrams: 100_000 }, 'take-00000001');
    expect(retry.ok && first.ok && retry.order.id === first.order.id).toBe(true);
    expect((await h.market.repositories.lots.findById(lot.id))?.remainingGrams).toBe(1_900_000);
    h.advanceHours(12);
    expect(await h.market.lots.takeFromClock(cook, lot.id, { quantityGrams: 1_000 }, undefined)).toMatchObject({
      ok: true,
      order: { priceFenPerKg: 1000 },
    });
    h.advanceHours(5);
    expect(await h.market.lots.takeFromClock(cook, lot.id, { quantityGrams: 1_000 }, undefined)).toMatchObject({
      ok: false,
      error: { code: 'LOT_EXPIRED' },
    });
  });
});

describe('the sweep: expiry and recovery', () => {
  it('expires lots on time, records the spoiled stock and expires their bids', async () => {
    const farm = aFarm();
    const lot = await postLot(farm);
    const offer = await bid(aRestaurant(), lot.id);
    await h.market.offers.accept(farm, (await bid(aRestaurant(), lot.id, 500_000)).id, undefined, undefined);
    h.setNow(at(93.9));
    expect(await h.market.jobs.runOnce()).toMatchObject({ expiredLots: 0 });
    h.setNow(at(94));
    expect(await h.market.jobs.runOnce()).toMatchObject({ expiredLots: 1, spoiledGrams: 1_500_000, expiredOffers: 1 });
    expect(await h.market.repositories.lots.findById(lot.id)).toMatchObject({
      status: 'expired',
      spoiledGrams: 1_500_000,
      remainingGrams: 1_500_000,
    });
    expect((await h.market.repositories.offers.findById(offer.id))?.state).toBe('expired');
    expect(await h.market.jobs.runOnce()).toMatchObject({ expiredLots: 0, expiredOffers: 0 });
    expect(h.events.filter((e) => e.type === 'lot:expired')).toHaveLength(1);
  });

  it('repairs interrupted reservations: reserved → confirmed, never reserved → failed and fenced', async () => {
    const lot = await postLot(aFarm());
    const { lots, orders } = h.market.repositories;
    const base = {
      lotId: lot.id,
      source: 'clock' as const,
      buyerOrgId: 'r1',
      sellerOrgId: lot.sellerOrgId,
      productCode: 'shiitake',
      quantityGrams: 10_000,
      priceFenPerKg: 1200,
    };
    // crashed after step 2: the lot holds the stock, the order is still pending
    const reservedId = deterministicId('crash:reserved');
    await orders.insertPending({ ...newOrder({ ...base, id: reservedId }, T0), key: 'crash:reserved' });
    await lots.reserve(lot.id, reservedId, 10_000, T0);
    // crashed after step 1: nothing reserved
    const orphanId = deterministicId('crash:orphan');
    await orders.insertPending({ ...newOrder({ ...base, id: orphanId }, T0), key: 'crash:orphan' });

    expect(await h.market.jobs.runOnce()).toMatchObject({ confirmedOrders: 0, failedOrders: 0 }); // not stale yet
    h.advanceHours(0.01);
    expect(await h.market.jobs.runOnce()).toMatchObject({ confirmedOrders: 1, failedOrders: 1 });
    expect((await orders.findById(reservedId))?.status).toBe('confirmed');
    expect((await orders.findById(orphanId))?.status).toBe('failed');
    // a zombie of the orphan's request can no longer take stock
    expect(await lots.reserve(lot.id, orphanId, 10_000, h.now())).toBeNull();
    expect((await lots.findById(lot.id))?.remainingGrams).toBe(1_990_000);
  });

  it('rolls an accepted offer forward when its request died before the order', async () => {
    const farm = aFarm();
    const lot = await postLot(farm);
    const offer = await bid(aRestaurant(), lot.id);
    // simulate the crash: the offer is claimed as accepted, no order was ever written
    const accepted = {
      ...offer,
      state: 'accepted' as const,
      acceptedGrams: 50_000,
      history: [...offer.history, { action: 'accept' as const, side: 'seller' as const, at: T0 }],
    };
    await h.market.repositories.offers.save(accepted, offer.version, {
      orderId: deterministicId(orderKeyForOffer(offer.id)),
      settled: false,
    });
    h.advanceHours(0.01);
    expect(await h.market.jobs.runOnce()).toMatchObject({ settledOffers: 1 });
    const orders = await h.market.orders.list(farm, {});
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ offerId: offer.id, status: 'confirmed', quantityGrams: 50_000 });
    expect((await h.market.repositories.offers.findById(offer.id))?.settled).toBe(true);
    expect(await h.market.jobs.runOnce()).toMatchObject({ settledOffers: 0 });
  });
});

describe('the order-confirmed hook (e.g. the desk ledger)', () => {
  it('runs before the offer counts as settled, and again from the sweep until it succeeds', async () => {
    await h.close();
    const calls: string[] = [];
    let failNext = true;
    h = await marketOn(db, {
      onOrderConfirmed: async (order) => {
        calls.push(order.id);
        if (failNext) {
          failNext = false;
          throw new Error('ledger unavailable');
        }
      },
    });
    const farm = aFarm();
    const lot = await postLot(farm);
    const offer = await bid(aRestaurant(), lot.id);
    // the sale stands; the offer waits unsettled for the sweep to retry the hook
    expect(await h.market.offers.accept(farm, offer.id, undefined, undefined)).toMatchObject({
      ok: true,
      offer: { settled: false },
      order: { status: 'confirmed' },
    });
    expect((await h.market.repositories.offers.findById(offer.id))?.settled).toBe(false);
    h.advanceHours(0.01);
    expect(await h.market.jobs.runOnce()).toMatchObject({ settledOffers: 1 });
    expect(calls).toHaveLength(2);
    expect(new Set(calls).size).toBe(1);
    expect((await h.market.repositories.offers.findById(offer.id))?.settled).toBe(true);
    expect(await h.market.orders.list(farm, {})).toHaveLength(1);
  });
});
