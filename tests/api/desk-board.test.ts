import type { MarketDemand, MarketLot } from '../../server/features/desk/kernel/desk.market';
import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);

describe('the brokering desk over HTTP', () => {
  let app: DeskApp;
  let staff: Client;
  let farm: { id: string; name: string };
  let rich: { id: string; name: string };
  let poor: { id: string; name: string };

  const lot = (over: Partial<MarketLot>): MarketLot => ({
    id: 'lot-x',
    sellerOrgId: farm.id,
    productCode: 'shiitake',
    quantityGrams: 2_000_000,
    remainingGrams: 150_000,
    expiresAt: hours(30),
    status: 'open',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1300,
    ...over,
  });
  const demand = (over: Partial<MarketDemand>): MarketDemand => ({
    id: 'demand-x',
    buyerOrgId: rich.id,
    productCode: 'shiitake',
    quantityGrams: 100_000,
    maxPriceFenPerKg: 1600,
    // Before lot-soon spoils (10 h): a lot must outlive the demand's needed-by (shared/domain/feasibility.ts).
    neededBy: hours(8),
    status: 'open',
    ...over,
  });

  beforeAll(async () => {
    app = await startDeskApp('desk_board', T0);
    farm = await app.org('farm', { name: '绿源食用菌合作社', location: { lat: 28.6, lng: 115.8 } });
    rich = await app.org('restaurant', { name: '滕王阁酒楼', location: { lat: 28.68, lng: 115.86 } });
    poor = await app.org('restaurant', { name: '街口小馆' });
    staff = await app.signIn('chamber', { orgId: (await app.org('chamber')).id });
    app.market.lots = [
      lot({ id: 'lot-soon', expiresAt: hours(10), remainingGrams: 150_000 }),
      lot({ id: 'lot-later', expiresAt: hours(90), remainingGrams: 400_000, quantityGrams: 400_000 }),
      lot({ id: 'lot-sold', status: 'sold_out', remainingGrams: 0 }),
    ];
    app.market.demand = [
      demand({ id: 'd-rich', buyerOrgId: rich.id, maxPriceFenPerKg: 1600 }),
      demand({ id: 'd-poor', buyerOrgId: poor.id, maxPriceFenPerKg: 1200 }),
      demand({ id: 'd-tomato', buyerOrgId: poor.id, productCode: 'tomato', maxPriceFenPerKg: 800 }),
    ];
    app.market.offers = [{ demandId: 'd-poor', state: 'open' }];
    app.market.capacityList = [
      {
        orgId: farm.id,
        production: [{ productCode: 'shiitake', dailyGrams: 2_000_000 }],
        coldStorageGrams: 4_000_000,
        dispatchGramsPerDay: 2_500_000,
      },
    ];
  });
  afterAll(() => app.close());

  it('shows lots at risk, farms with surplus ahead and demand nobody has offered on', async () => {
    const res = await staff.get('/api/desk/at-risk');
    expect(res.status).toBe(200);
    const board = await res.json();
    expect(board.items).toEqual([
      expect.objectContaining({ lotId: 'lot-soon', sellerName: '绿源食用菌合作社', unsoldPermille: 75, hoursLeft: 10 }),
    ]);
    expect(board.surplusFarms).toEqual([
      expect.objectContaining({
        orgId: farm.id,
        name: '绿源食用菌合作社',
        surplusGrams: 14_000_000,
        firstSurplusDate: '2026-11-26',
      }),
    ]);
    expect(board.unansweredDemand.map((d: { id: string }) => d.id)).toEqual(['d-rich', 'd-tomato']);
    expect(board.unansweredDemand[0].buyerName).toBe('滕王阁酒楼');
  });

  it('finds buyers for one lot: the most valuable demand first, the rest to the next; nothing is sent', async () => {
    const res = await staff.post('/api/desk/lots/lot-soon/find-buyers', {});
    expect(res.status).toBe(200);
    const plan = await res.json();
    expect(plan.lotId).toBe('lot-soon');
    const byDemand = Object.fromEntries(plan.proposals.map((p: { demandId: string }) => [p.demandId, p]));
    expect(byDemand['d-rich']).toMatchObject({
      quantityGrams: 100_000,
      priceFenPerKg: 1300,
      urgent: true,
      sellerName: '绿源食用菌合作社',
      buyerName: '滕王阁酒楼',
    });
    expect(byDemand['d-poor']).toMatchObject({ quantityGrams: 50_000, priceFenPerKg: 1100 });
    expect(byDemand['d-rich'].distanceKm).toBeGreaterThan(5);
  });

  it('refuses to find buyers for an unknown or closed lot', async () => {
    expect((await staff.post('/api/desk/lots/nope/find-buyers', {})).status).toBe(404);
    const closed = await staff.post('/api/desk/lots/lot-sold/find-buyers', {});
    expect(closed.status).toBe(409);
    expect((await closed.json()).error.code).toBe('LOT_NOT_OPEN');
  });

  it('matches everything at once, with the broker’s knobs', async () => {
    const plan = await (await staff.post('/api/desk/match-all', { urgencyBonusFenPerKg: 0 })).json();
    const total = plan.proposals.reduce((s: number, p: { quantityGrams: number }) => s + p.quantityGrams, 0);
    expect(total).toBe(200_000); // both shiitake demands filled in full from two lots
    expect(plan.proposals.every((p: { productCode: string }) => p.productCode === 'shiitake')).toBe(true);
    expect((await staff.post('/api/desk/match-all', { speedKmPerHour: 0 })).status).toBe(400);
  });

  it('names the lot each match-all proposal is cut from: its remaining stock and expiry as the desk read them', async () => {
    const plan = await (await staff.post('/api/desk/match-all', { urgencyBonusFenPerKg: 0 })).json();
    const fromSoon = plan.proposals.find((p: { lotId: string }) => p.lotId === 'lot-soon');
    const fromLater = plan.proposals.find((p: { lotId: string }) => p.lotId === 'lot-later');
    expect(fromSoon.lot).toEqual({ remainingGrams: 150_000, expiresAt: hours(10).toISOString() });
    expect(fromLater.lot).toEqual({ remainingGrams: 400_000, expiresAt: hours(90).toISOString() });
  });

  it('says sending is not available until the market provides brokered offers', async () => {
    const res = await staff.post('/api/desk/proposals/send', {
      lotId: 'lot-soon',
      demandId: 'd-rich',
      quantityGrams: 100_000,
      priceFenPerKg: 1300,
    });
    expect(res.status).toBe(501);
    expect((await res.json()).error.code).toBe('SEND_NOT_AVAILABLE');
  });
});
