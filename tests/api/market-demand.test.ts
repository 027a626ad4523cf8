/** Demand, sell offers, standing orders and the farm outlook over real HTTP. */
import { shanghaiDate, addDays, weekdayOf } from '../../shared/domain/calendar';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/testApp';

let app: TestApp;
let farm: Member;
let cook: Member;
beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
  cook = await aRestaurant(app);
});
afterAll(async () => {
  await app.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

describe('demand and sell offers', () => {
  it('a restaurant posts demand, a farm answers with a lot, the restaurant accepts: one order', async () => {
    const demand = await cook.agent.post<{ id: string; status: string }>('/api/demand', { productCode: 'enoki', quantityGrams: 30_000, maxPriceFenPerKg: 900, neededBy: inHours(24) });
    expect(demand.status).toBe(201);
    expect(demand.body.status).toBe('open');
    expect((await farm.agent.post<ErrorBody>('/api/demand', { productCode: 'enoki', quantityGrams: 1, maxPriceFenPerKg: 1, neededBy: inHours(1) })).status).toBe(403);

    const listed = await farm.agent.get<{ items: { id: string }[] }>('/api/demand?productCode=enoki');
    expect(listed.body.items.map((d) => d.id)).toContain(demand.body.id);

    const lot = await farm.agent.post<{ id: string }>('/api/lots', { productCode: 'enoki', quantityGrams: 200_000, harvestedAt: inHours(-1), storage: 'cold', reservePriceFenPerKg: 700, askPriceFenPerKg: 950 });
    const shiitake = await farm.agent.post<{ id: string }>('/api/lots', { productCode: 'shiitake', quantityGrams: 200_000, harvestedAt: inHours(-1), storage: 'cold', reservePriceFenPerKg: 700, askPriceFenPerKg: 950 });
    const wrong = await farm.agent.post<ErrorBody>(`/api/demand/${demand.body.id}/offers`, { lotId: shiitake.body.id, quantityGrams: 30_000, priceFenPerKg: 880 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('WRONG_PRODUCT');

    const offer = await farm.agent.post<{ id: string; kind: string; status: string; turn: string; demandId: string }>(`/api/demand/${demand.body.id}/offers`, { lotId: lot.body.id, quantityGrams: 30_000, priceFenPerKg: 880 });
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ kind: 'sell_offer', status: 'open', turn: 'buyer', demandId: demand.body.id });

    const accepted = await cook.agent.post<{ order: { quantityGrams: number; priceFenPerKg: number; status: string } }>(`/api/offers/${offer.body.id}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body.order).toMatchObject({ quantityGrams: 30_000, priceFenPerKg: 880, status: 'confirmed' });

    expect((await cook.agent.post<{ status: string }>(`/api/demand/${demand.body.id}/withdraw`, {})).body.status).toBe('withdrawn');
    expect((await farm.agent.get<{ items: { id: string }[] }>('/api/demand?productCode=enoki')).body.items.map((d) => d.id)).not.toContain(demand.body.id);
  });
});

describe('standing orders and the outlook', () => {
  it('expands "50 kg shiitake every Tuesday and Friday, +20% at 10% off" and counts it in the farm\'s outlook', async () => {
    const today = shanghaiDate(new Date());
    const so = await cook.agent.post<{ id: string; deliverBy: string }>('/api/standing-orders', {
      productCode: 'shiitake',
      gramsPerOccurrence: 50_000,
      weekdays: [2, 5],
      priceFenPerKg: 1200,
      startDate: today,
      tolerance: { extraPercent: 20, discountPercent: 10 },
      sellerOrgId: farm.organisationId,
    });
    expect(so.status).toBe(201);
    expect(so.body.deliverBy).toBe('10:00');

    const occ = await farm.agent.get<{ items: { date: string; baseGrams: number; maxExtraGrams: number; fill: { extraPriceFenPerKg: number; totalFen: number } }[] }>(`/api/standing-orders/${so.body.id}/occurrences?days=14`);
    expect(occ.status).toBe(200);
    expect(occ.body.items).toHaveLength(4);
    for (const o of occ.body.items) expect([2, 5]).toContain(weekdayOf(o.date));
    expect(occ.body.items[0]).toMatchObject({ baseGrams: 50_000, maxExtraGrams: 10_000, fill: { extraPriceFenPerKg: 1080, totalFen: 70_800 } });

    expect((await farm.agent.get('/api/capacity/outlook')).status).toBe(404);
    const put = await farm.agent.request('PUT', '/api/capacity', {
      body: { production: [{ productCode: 'shiitake', dailyGrams: 2_000_000 }], coldStorageGrams: 1_000_000, dispatchGramsPerDay: 1_500_000, pickup: { name: '湾里冷库', address: '南昌市湾里区' } },
    });
    expect(put.status).toBe(200);
    const outlook = await farm.agent.get<{ days: { date: string; lines: { productCode: string; committedGrams: number; surplusGrams: number }[] }[] }>('/api/capacity/outlook');
    expect(outlook.body.days.map((d) => d.date)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(today, i)));
    const standingDays = outlook.body.days.filter((d) => [2, 5].includes(weekdayOf(d.date)));
    for (const d of standingDays) expect(d.lines.find((l) => l.productCode === 'shiitake')?.committedGrams).toBeGreaterThanOrEqual(50_000);

    expect((await cook.agent.request('PUT', '/api/capacity', { body: { production: [], coldStorageGrams: 0, dispatchGramsPerDay: 0 } })).status).toBe(403);
    expect((await cook.agent.post<{ status: string }>(`/api/standing-orders/${so.body.id}/cancel`, {})).body.status).toBe('cancelled');
  });
});
