/**
 * Clock takes and their Idempotency-Key after a failure. A take's attempt that failed is final:
 * a zombie of it (a request that stalled before reserving, was fenced by the sweep and then
 * wakes up) cannot take stock any more, and a retry with the same key is a fresh attempt with its
 * own order — so what the lot holds is always exactly what the confirmed orders say.
 * Interleavings are forced with lots repositories that pause or race inside a reservation.
 */
import { createLotsService } from '../../server/features/market/lots/lots.service';
import type { LotsRepository } from '../../server/features/market/lots/lots.repository';
import { newId } from '../../server/features/market/kernel/market.ids';
import type { Trader } from '../../server/features/market/kernel/market.types';
import { at } from '../fixtures/market';
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

async function lotOnTheClock(quantityGrams: number) {
  const farm = aFarm();
  const lot = await h.market.lots.createLot(farm, aLotBody({ quantityGrams, harvestedAt: at(-70) }));
  if (!lot.ok) throw new Error(lot.error.code);
  const clock = await h.market.lots.startClock(farm, lot.lot.id, {
    startPriceFenPerKg: 1600,
    floorHoursBeforeExpiry: 6,
    minTakeGrams: 1_000,
  });
  if (!clock.ok) throw new Error(clock.error.code);
  return lot.lot.id;
}

const serviceWith = (lots: LotsRepository) => {
  const { orders } = h.market.repositories;
  return createLotsService({ lots, orders, now: h.now, newId, publish: () => undefined });
};

/** The lot holds exactly its confirmed orders' grams; returns those orders. */
async function expectLotMatchesOrders(lotId: string, quantityGrams: number, ignore: string[] = []) {
  const { lots, orders } = h.market.repositories;
  const lot = await lots.findById(lotId);
  const confirmed = (await orders.list({ lotId, limit: 50 })).filter((o) => o.status === 'confirmed');
  const reserved = lot?.reservations.filter((r) => !ignore.includes(r.orderId)) ?? [];
  expect(new Map(reserved.map((r) => [r.orderId, r.grams]))).toEqual(
    new Map(confirmed.map((o) => [o.id, o.quantityGrams])),
  );
  const held = lot?.reservations.reduce((sum, r) => sum + r.grams, 0) ?? 0;
  expect(lot?.remainingGrams).toBe(quantityGrams - held);
  return confirmed;
}

it('when a take stalls before reserving, is fenced by the sweep and its key is retried for less, the woken zombie takes nothing', async () => {
  const lotId = await lotOnTheClock(100_000);
  const cook: Trader = aRestaurant();
  h.advanceHours(1);

  // the first request writes its pending 10 kg order and stalls just before reserving
  let entered!: () => void;
  const stalled = new Promise<void>((resolve) => (entered = resolve));
  let wake!: () => void;
  const woken = new Promise<void>((resolve) => (wake = resolve));
  const { lots } = h.market.repositories;
  const stallingLots: LotsRepository = {
    ...lots,
    async reserve(lot, orderId, grams, now) {
      entered();
      await woken;
      return lots.reserve(lot, orderId, grams, now);
    },
  };
  const zombie = serviceWith(stallingLots).takeFromClock(cook, lotId, { quantityGrams: 10_000 }, 'zombie-take-1');
  await stalled;

  // 36 s later the sweep fences and fails it
  h.advanceHours(0.01);
  expect(await h.market.jobs.runOnce()).toMatchObject({ failedOrders: 1 });

  // the client retries with the same key, for 5 kg; the zombie wakes up just before the retry reserves
  let zombieOutcome: unknown;
  const wakingLots: LotsRepository = {
    ...lots,
    async reserve(lot, orderId, grams, now) {
      if (zombieOutcome === undefined) {
        wake();
        zombieOutcome = await zombie;
      }
      return lots.reserve(lot, orderId, grams, now);
    },
  };
  const retry = await serviceWith(wakingLots).takeFromClock(cook, lotId, { quantityGrams: 5_000 }, 'zombie-take-1');
  expect(retry).toMatchObject({ ok: true, order: { status: 'confirmed', quantityGrams: 5_000 } });
  const confirmed = await expectLotMatchesOrders(lotId, 100_000);
  expect(confirmed.map((o) => o.quantityGrams)).toEqual([5_000]);
  expect(zombieOutcome).toMatchObject({ ok: false, error: { code: 'RESERVATION_INTERRUPTED' } });
});

it('a take that lost the stock answers its failure; the same key later is a fresh attempt at the current price, then that order for good', async () => {
  const lotId = await lotOnTheClock(20_000);
  const cook: Trader = aRestaurant();
  h.advanceHours(2);

  // just before the take reserves, another buyer takes 15 of the 20 kg
  const { lots } = h.market.repositories;
  let raced = false;
  const racingLots: LotsRepository = {
    ...lots,
    async reserve(lot, orderId, grams, now) {
      if (!raced) {
        raced = true;
        await lots.reserve(lot, 'someone-else', 15_000, now);
      }
      return lots.reserve(lot, orderId, grams, now);
    },
  };
  expect(
    await serviceWith(racingLots).takeFromClock(cook, lotId, { quantityGrams: 10_000 }, 'lost-take-1'),
  ).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_LEFT' } });
  expect(await expectLotMatchesOrders(lotId, 20_000, ['someone-else'])).toEqual([]);

  // the other buyer gives it back; an hour later the same key is retried
  await lots.release(lotId, 'someone-else', h.now());
  h.advanceHours(1);
  const retry = await h.market.lots.takeFromClock(cook, lotId, { quantityGrams: 10_000 }, 'lost-take-1');
  if (!retry.ok) throw new Error(retry.error.code);
  expect(retry).toMatchObject({ created: true, order: { status: 'confirmed', quantityGrams: 10_000 } });
  expect(h.events.filter((e) => e.type === 'order:confirmed' && e.orderId === retry.order.id)).toHaveLength(1);
  const later = await h.market.lots.takeFromClock(cook, lotId, { quantityGrams: 10_000 }, 'lost-take-1');
  expect(later).toMatchObject({ ok: true, created: false, order: { id: retry.order.id } });

  const confirmed = await expectLotMatchesOrders(lotId, 20_000);
  expect(confirmed.map((o) => o.id)).toEqual([retry.order.id]);
});

it('when a retry of a take and its first send both find too little left, both answer NOT_ENOUGH_LEFT (the sibling fence is not an interruption)', async () => {
  const lotId = await lotOnTheClock(20_000);
  const cook: Trader = aRestaurant();
  h.advanceHours(1);

  // both sends of one key read 20 kg and ask for 10; another buyer takes 15 before they reserve;
  // the first fences the lot and fails the attempt before the second reads the lot to explain its miss
  const { lots } = h.market.repositories;
  let inReserve = 0;
  let bothIn!: () => void;
  const bothReserving = new Promise<void>((resolve) => (bothIn = resolve));
  let firstFenced!: () => void;
  const fenced = new Promise<void>((resolve) => (firstFenced = resolve));
  let explaining = 0; // lot reads after both missed: the two explanations
  const pairedLots: LotsRepository = {
    ...lots,
    async reserve(lot, orderId, grams, now) {
      if (++inReserve === 2) {
        await lots.reserve(lot, 'someone-else', 15_000, now);
        bothIn();
      }
      await bothReserving;
      return lots.reserve(lot, orderId, grams, now);
    },
    async findById(id) {
      if (inReserve === 2 && ++explaining === 2) await fenced;
      return lots.findById(id);
    },
    async fence(lot, orderId) {
      const result = await lots.fence(lot, orderId);
      firstFenced();
      return result;
    },
  };
  const service = serviceWith(pairedLots);
  const [first, retry] = await Promise.all([
    service.takeFromClock(cook, lotId, { quantityGrams: 10_000 }, 'paired-take-1'),
    service.takeFromClock(cook, lotId, { quantityGrams: 10_000 }, 'paired-take-1'),
  ]);
  expect(first).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_LEFT' } });
  expect(retry).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_LEFT' } });
  expect(await expectLotMatchesOrders(lotId, 20_000, ['someone-else'])).toEqual([]);
});
