/**
 * Filling a purchase request through the service layer on the embedded database: each confirmed order
 * from a sell offer on it counts once, whoever applies it (the order-confirmed hook, its retry, the sweep).
 * (The HTTP path is covered in market-demand.test.ts.)
 */
import { demandModel } from '../../server/features/demand/demand.model';
import type { Trader } from '../../server/features/market/market.types';
import { at } from '../fixtures/market';
import { aFarm, aLotBody, aRestaurant, marketOn, startTestDb, type MarketHarness, type TestDb } from '../fixtures/market-db';

let db: TestDb;
let h: MarketHarness;
beforeAll(async () => {
  db = await startTestDb();
});
afterAll(async () => {
  await db.close();
});
afterEach(async () => {
  await h.close();
});

/** A restaurant's 30 kg request, a farm's lot, and a way to sell into it and have the restaurant accept. */
async function aDemandWithSeller() {
  const farm = aFarm();
  const cook = aRestaurant();
  const posted = await h.market.demand.createDemand(cook, { productCode: 'shiitake', quantityGrams: 30_000, maxPriceFenPerKg: 1500, neededBy: at(48), deliveryRequired: false });
  if (!posted.ok) throw new Error(posted.reason);
  const lot = await h.market.lots.createLot(farm, aLotBody());
  if (!lot.ok) throw new Error(lot.reason);
  const sell = async (grams: number) => {
    const offer = await h.market.demand.offerToDemand(farm, posted.demand.id, { lotId: lot.lot.id, quantityGrams: grams, priceFenPerKg: 1200 });
    if (!offer.ok) throw new Error(offer.reason);
    const accepted = await h.market.offers.accept(cook, offer.offer.id, undefined, undefined);
    if (!accepted.ok) throw new Error(accepted.reason);
    return accepted.order;
  };
  return { demandId: posted.demand.id, farm, cook: cook as Trader, sell };
}

const stored = (id: string) => h.market.repositories.demand.findDemand(id);

describe('a confirmed order counts towards its demand once', () => {
  it('applying the same order again changes nothing', async () => {
    h = await marketOn(db);
    const { demandId, sell } = await aDemandWithSeller();
    const order = await sell(10_000);
    expect(await stored(demandId)).toMatchObject({ status: 'open', filledGrams: 10_000, orderIds: [order.id] });

    await h.market.demand.recordFill(demandId, order);
    await Promise.all([h.market.demand.recordFill(demandId, order), h.market.demand.recordFill(demandId, order)]);
    expect(await stored(demandId)).toMatchObject({ status: 'open', filledGrams: 10_000, orderIds: [order.id] });

    const rest = await sell(20_000);
    expect(await stored(demandId)).toMatchObject({ status: 'filled', filledGrams: 30_000, orderIds: [order.id, rest.id] });
  });

  it('when a later hook fails and the sweep retries it, the fill is still counted once', async () => {
    let failNext = true;
    h = await marketOn(db, {
      onOrderConfirmed: async () => {
        if (failNext) {
          failNext = false;
          throw new Error('ledger unavailable');
        }
      },
    });
    const { demandId, sell } = await aDemandWithSeller();
    await sell(30_000);
    h.advanceHours(0.01);
    expect(await h.market.jobs.runOnce()).toMatchObject({ settledOffers: 1 });
    expect(await stored(demandId)).toMatchObject({ status: 'filled', filledGrams: 30_000 });
    expect((await stored(demandId))?.orderIds).toHaveLength(1);
  });
});

describe('the sweep repairs fills', () => {
  it('counts a confirmed order whose fill was never applied, once', async () => {
    h = await marketOn(db);
    const { demandId, sell } = await aDemandWithSeller();
    const order = await sell(30_000);
    // As if the order had been confirmed before fills were tracked: the demand knows nothing of it.
    await demandModel(h.connection).updateOne({ _id: demandId }, { $set: { status: 'open', filledGrams: 0, orderIds: [] } });
    expect(await h.market.repositories.demand.listDemand({ status: 'open', limit: 200 })).toEqual([expect.objectContaining({ id: demandId })]);

    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 1 });
    expect(await stored(demandId)).toMatchObject({ status: 'filled', filledGrams: 30_000, orderIds: [order.id] });
    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 0 });
    expect((await stored(demandId))?.filledGrams).toBe(30_000);
  });

  it('closes a demand whose grams were counted but whose status was not (a crash between the two updates)', async () => {
    h = await marketOn(db);
    const { demandId, sell } = await aDemandWithSeller();
    await sell(30_000);
    await demandModel(h.connection).updateOne({ _id: demandId }, { $set: { status: 'open' } });

    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 1 });
    expect(await stored(demandId)).toMatchObject({ status: 'filled', filledGrams: 30_000 });
  });

  it('leaves a partly filled demand open and a withdrawn one withdrawn', async () => {
    h = await marketOn(db);
    const partly = await aDemandWithSeller();
    await partly.sell(10_000);
    const withdrawn = await aDemandWithSeller();
    await withdrawn.sell(10_000);
    expect(await h.market.demand.withdrawDemand(withdrawn.cook, withdrawn.demandId)).toMatchObject({ ok: true });

    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 0 });
    expect(await stored(partly.demandId)).toMatchObject({ status: 'open', filledGrams: 10_000 });
    expect(await stored(withdrawn.demandId)).toMatchObject({ status: 'withdrawn', filledGrams: 10_000 });
  });
});
