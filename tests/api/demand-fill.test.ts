/**
 * Filling a purchase request through the service layer on the embedded database: each confirmed order
 * from a sell offer on it counts once, whoever applies it (the order-confirmed hook, its retry, the sweep).
 * (The HTTP path is covered in market-demand.test.ts.)
 */
import { demandModel } from '../../server/features/market/demand/demand.model';
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
  const posted = await h.market.demand.createDemand(cook, {
    productCode: 'shiitake',
    quantityGrams: 30_000,
    maxPriceFenPerKg: 1500,
    neededBy: at(48),
    deliveryRequired: false,
  });
  if (!posted.ok) throw new Error(posted.error.code);
  const lot = await h.market.lots.createLot(farm, aLotBody());
  if (!lot.ok) throw new Error(lot.error.code);
  const sell = async (grams: number) => {
    const offer = await h.market.demand.offerToDemand(farm, posted.demand.id, {
      lotId: lot.lot.id,
      quantityGrams: grams,
      priceFenPerKg: 1200,
    });
    if (!offer.ok) throw new Error(offer.error.code);
    const accepted = await h.market.offers.accept(cook, offer.offer.id, undefined, undefined);
    if (!accepted.ok) throw new Error(accepted.error.code);
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
    expect(await stored(demandId)).toMatchObject({
      status: 'filled',
      filledGrams: 30_000,
      orderIds: [order.id, rest.id],
    });
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
    await demandModel(h.connection).updateOne(
      { _id: demandId },
      { $set: { status: 'open', filledGrams: 0, orderIds: [] } },
    );
    expect(await h.market.repositories.demand.listDemand({ status: 'open', limit: 200 })).toEqual([
      expect.objectContaining({ id: demandId }),
    ]);

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

describe('a cancelled order gives its grams back', () => {
  it('when an order that filled the demand is cancelled, the demand reopens short by its grams', async () => {
    h = await marketOn(db);
    const { demandId, cook, sell } = await aDemandWithSeller();
    const first = await sell(10_000);
    const rest = await sell(20_000);
    expect(await stored(demandId)).toMatchObject({ status: 'filled', filledGrams: 30_000 });

    expect(await h.market.orders.cancel(cook, rest.id, '厨房改菜单')).toMatchObject({
      ok: true,
      order: { status: 'cancelled' },
    });
    expect(await stored(demandId)).toMatchObject({ status: 'open', filledGrams: 10_000, orderIds: [first.id] });
    // Reopened: farms see it again and may answer it.
    expect(
      (await h.market.demand.pageDemand({ productCode: 'shiitake', limit: 200 })).items.map((d) => d.id),
    ).toContain(demandId);
  });

  it('giving the same order back twice (a retried hook, the sweep, at once) counts once', async () => {
    h = await marketOn(db);
    const { demandId, cook, sell } = await aDemandWithSeller();
    await sell(10_000);
    const rest = await sell(20_000);
    await h.market.orders.cancel(cook, rest.id, '厨房改菜单');

    await Promise.all([h.market.demand.releaseFill(demandId, rest), h.market.demand.releaseFill(demandId, rest)]);
    expect(await h.market.orders.cancel(cook, rest.id, '再取消一次')).toMatchObject({
      ok: false,
      error: { code: 'WRONG_STATUS' },
    });
    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 0 });
    expect(await stored(demandId)).toMatchObject({ status: 'open', filledGrams: 10_000 });
    expect((await stored(demandId))?.orderIds).toHaveLength(1);
  });

  it('after its neededBy a filled demand gives the grams back but stays filled', async () => {
    h = await marketOn(db);
    const { demandId, cook, sell } = await aDemandWithSeller();
    const order = await sell(30_000);
    h.advanceHours(49);
    await h.market.orders.cancel(cook, order.id, '没送到');
    expect(await stored(demandId)).toMatchObject({ status: 'filled', filledGrams: 0, orderIds: [] });
  });

  it('the sweep gives back a cancelled order still counted (a missed hook) and reopens the demand, once', async () => {
    h = await marketOn(db);
    const { demandId, cook, sell } = await aDemandWithSeller();
    const first = await sell(10_000);
    const rest = await sell(20_000);
    await h.market.orders.cancel(cook, rest.id, '厨房改菜单');
    // As if the hook had never run: the demand still counts the cancelled order and is filled.
    await demandModel(h.connection).updateOne(
      { _id: demandId },
      { $set: { status: 'filled', filledGrams: 30_000, orderIds: [first.id, rest.id] } },
    );

    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 1 });
    expect(await stored(demandId)).toMatchObject({ status: 'open', filledGrams: 10_000, orderIds: [first.id] });
    // The accepted offer still names the cancelled order: the fill repair must not count it again.
    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 0 });
    expect(await stored(demandId)).toMatchObject({ status: 'open', filledGrams: 10_000 });
  });

  it('the sweep reopens a filled demand left short (a crash between giving back and reopening)', async () => {
    h = await marketOn(db);
    const { demandId, cook, sell } = await aDemandWithSeller();
    await sell(10_000);
    const rest = await sell(20_000);
    await h.market.orders.cancel(cook, rest.id, '厨房改菜单');
    await demandModel(h.connection).updateOne({ _id: demandId }, { $set: { status: 'filled' } });

    expect(await h.market.jobs.runOnce()).toMatchObject({ repairedFills: 1 });
    expect(await stored(demandId)).toMatchObject({ status: 'open', filledGrams: 10_000 });
  });
});

describe('demand past its neededBy expires', () => {
  it('the sweep expires open demand once its neededBy passes, and farms can no longer answer it', async () => {
    h = await marketOn(db);
    const { demandId, cook, farm } = await aDemandWithSeller();
    h.advanceHours(47);
    expect(await h.market.jobs.runOnce()).toMatchObject({ expiredDemand: 0 });
    expect(await stored(demandId)).toMatchObject({ status: 'open' });

    h.advanceHours(1);
    expect(await h.market.jobs.runOnce()).toMatchObject({ expiredDemand: 1 });
    expect(await stored(demandId)).toMatchObject({ status: 'expired' });
    expect(
      (await h.market.demand.pageDemand({ buyerOrgId: cook.organisationId, limit: 200 })).items.map((d) => d.status),
    ).toEqual(['expired']);
    const lot = await h.market.lots.createLot(farm, aLotBody({ harvestedAt: at(47) }));
    if (!lot.ok) throw new Error(lot.error.code);
    expect(
      await h.market.demand.offerToDemand(farm, demandId, {
        lotId: lot.lot.id,
        quantityGrams: 10_000,
        priceFenPerKg: 1200,
      }),
    ).toMatchObject({ ok: false, error: { code: 'DEMAND_CLOSED' } });
    expect(await h.market.demand.withdrawDemand(cook, demandId)).toMatchObject({
      ok: false,
      error: { code: 'DEMAND_CLOSED' },
    });
    expect(await h.market.jobs.runOnce()).toMatchObject({ expiredDemand: 0 });
  });

  it('leaves filled and withdrawn demand as they are, and expires a partly filled one', async () => {
    h = await marketOn(db);
    const filled = await aDemandWithSeller();
    await filled.sell(30_000);
    const partly = await aDemandWithSeller();
    await partly.sell(10_000);
    const withdrawn = await aDemandWithSeller();
    await h.market.demand.withdrawDemand(withdrawn.cook, withdrawn.demandId);
    h.advanceHours(48);

    expect(await h.market.jobs.runOnce()).toMatchObject({ expiredDemand: 1 });
    expect(await stored(filled.demandId)).toMatchObject({ status: 'filled' });
    expect(await stored(partly.demandId)).toMatchObject({ status: 'expired', filledGrams: 10_000 });
    expect(await stored(withdrawn.demandId)).toMatchObject({ status: 'withdrawn' });
  });

  it('an expired demand whose late orders reach the quantity is filled', async () => {
    h = await marketOn(db);
    const { demandId, sell } = await aDemandWithSeller();
    await sell(10_000);
    h.advanceHours(48);
    await h.market.jobs.runOnce();
    expect(await stored(demandId)).toMatchObject({ status: 'expired' });

    await h.market.demand.recordFill(demandId, { id: 'late-order', quantityGrams: 20_000 });
    expect(await stored(demandId)).toMatchObject({ status: 'filled', filledGrams: 30_000 });
  });
});
