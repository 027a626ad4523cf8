/**
 * The market's real responses, over HTTP, parsed with the response schemas the client's types and the
 * OpenAPI document come from (shared/schemas/market-views.ts). The schemas are strict: a field the server
 * starts sending, drops or reshapes without the schema saying so fails here. And the parties' names:
 * copied onto lots, offers, orders and demand when they are made.
 */
import { Types } from 'mongoose';
import type { z } from 'zod';
import {
  acceptResult,
  catalogue,
  demandList,
  demandSchema,
  farmCapacitySchema,
  lotList,
  lotSchema,
  occurrenceList,
  offerList,
  offerSchema,
  orderList,
  orderSchema,
  outlook,
  standingOrderList,
  standingOrderSchema,
  takeResult,
} from '../../shared/schemas/market-views';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;
let farmName: string;
let cookName: string;
const now = new Date();
const hoursFromNow = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();

async function organisationName(id: string): Promise<string> {
  const org = await app.db.connection.collection('organisations').findOne({ _id: new Types.ObjectId(id) });
  return String(org?.name);
}

beforeAll(async () => {
  app = await startTestApp({ now: () => now });
  farm = await aFarm(app);
  cook = await aRestaurant(app);
  [farmName, cookName] = await Promise.all([
    organisationName(farm.organisationId),
    organisationName(cook.organisationId),
  ]);
});
afterAll(async () => {
  await app.close();
});

/** The reply's body as the schema reads it; fails listing every issue (path and message) when it does not fit. */
function wire<S extends z.ZodType>(schema: S, reply: { status: number; body: unknown }, status = 200): z.infer<S> {
  expect({ status: reply.status, body: reply.status === status ? 'ok' : reply.body }).toEqual({ status, body: 'ok' });
  const parsed = schema.safeParse(reply.body);
  expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  return parsed.data as z.infer<S>;
}

const lotBody = (over: Record<string, unknown> = {}) => ({
  productCode: 'shiitake',
  quantityGrams: 500_000,
  harvestedAt: hoursFromNow(-2),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
  ...over,
});

describe('market responses fit the shared response schemas', () => {
  it('catalogue, capacity and outlook', async () => {
    const items = wire(catalogue, await cook.agent.get('/api/catalogue')).items;
    expect(items.map((p) => p.code)).toContain('shiitake');
    const capacity = {
      production: [{ productCode: 'shiitake', dailyGrams: 80_000, weekdays: [1, 3, 5] }],
      coldStorageGrams: 200_000,
      dispatchGramsPerDay: 150_000,
      pickup: { name: '湾里冷库', address: '南昌市湾里区' },
    };
    const put = wire(farmCapacitySchema, await farm.agent.request('PUT', '/api/capacity', { body: capacity }));
    expect(put).toMatchObject({ orgId: farm.organisationId, ...capacity });
    wire(farmCapacitySchema, await farm.agent.get('/api/capacity'));
    const days = wire(outlook, await farm.agent.get('/api/capacity/outlook?days=7')).days;
    expect(days).toHaveLength(7);
  });

  it('a lot (with pickup, delivery and grade) carries the farm’s name; lists and reads fit too', async () => {
    const lot = wire(
      lotSchema,
      await farm.agent.post(
        '/api/lots',
        lotBody({
          grade: '一级',
          pickup: { name: '湾里冷库', address: '南昌市湾里区', lat: 28.7, lng: 115.7 },
          delivery: { radiusKm: 30, feeFen: 2000 },
        }),
      ),
      201,
    );
    expect(lot).toMatchObject({ sellerOrgId: farm.organisationId, sellerName: farmName, grade: '一级' });
    const listed = wire(lotList, await cook.agent.get('/api/lots?productCode=shiitake'));
    expect(listed.items.find((l) => l.id === lot.id)?.sellerName).toBe(farmName);
    expect(wire(lotSchema, await cook.agent.get(`/api/lots/${lot.id}`)).sellerName).toBe(farmName);
    expect(wire(lotSchema, await farm.agent.post(`/api/lots/${lot.id}/withdraw`)).status).toBe('withdrawn');
  });

  it('a clock sale and a take: the order names both parties (the buyer looked up, the seller from the lot)', async () => {
    const lot = wire(lotSchema, await farm.agent.post('/api/lots', lotBody()), 201);
    const clocked = wire(
      lotSchema,
      await farm.agent.post(`/api/lots/${lot.id}/clock`, {
        startPriceFenPerKg: 2000,
        floorPriceFenPerKg: 1000,
        floorHoursBeforeExpiry: 12,
        stepMinutes: 30,
      }),
    );
    expect(clocked.clock).toMatchObject({ phase: 'falling', priceFenPerKg: 2000 });
    const { order } = wire(
      takeResult,
      await cook.agent.post(
        `/api/lots/${lot.id}/clock/take`,
        { quantityGrams: 10_000 },
        { headers: { 'idempotency-key': `take-${lot.id}` } },
      ),
      201,
    );
    expect(order).toMatchObject({ source: 'clock', sellerName: farmName, buyerName: cookName, totalFen: 20_000 });
  });

  it('a bid, a counter, an accept: offers and the order carry both names; orders list, read and step', async () => {
    const lot = wire(lotSchema, await farm.agent.post('/api/lots', lotBody()), 201);
    const bid = wire(
      offerSchema,
      await cook.agent.post(`/api/lots/${lot.id}/bids`, { quantityGrams: 50_000, priceFenPerKg: 1200 }),
      201,
    );
    expect(bid).toMatchObject({
      status: 'open',
      sellerName: farmName,
      buyerName: cookName,
      history: [{ action: 'make', side: 'buyer' }],
    });
    const countered = wire(
      offerSchema,
      await farm.agent.post(`/api/offers/${bid.id}/counter`, { priceFenPerKg: 1300 }),
    );
    expect(countered.history.map((s) => s.action)).toEqual(['make', 'counter']);
    const accepted = wire(
      acceptResult,
      await cook.agent.post(`/api/bids/${bid.id}/accept`, {}, { headers: { 'idempotency-key': `accept-${bid.id}` } }),
    );
    expect(accepted.offer).toMatchObject({ status: 'accepted', orderId: accepted.order.id, acceptedGrams: 50_000 });
    expect(accepted.order).toMatchObject({
      source: 'offer',
      offerId: bid.id,
      sellerName: farmName,
      buyerName: cookName,
      totalFen: 65_000,
    });

    expect(wire(offerList, await farm.agent.get(`/api/offers?lotId=${lot.id}`)).items.map((o) => o.id)).toEqual([
      bid.id,
    ]);
    wire(offerSchema, await cook.agent.get(`/api/bids/${bid.id}`));
    expect(wire(orderList, await cook.agent.get(`/api/orders?lotId=${lot.id}`)).items.map((o) => o.buyerName)).toEqual([
      cookName,
    ]);
    wire(orderSchema, await farm.agent.get(`/api/orders/${accepted.order.id}`));
    expect(
      wire(orderSchema, await farm.agent.post(`/api/orders/${accepted.order.id}/dispatch`, {})).dispatchedAt,
    ).toEqual(expect.any(String));
    const delivered = wire(
      orderSchema,
      await cook.agent.post(`/api/orders/${accepted.order.id}/deliver`, { deliveredGrams: 48_000 }),
    );
    expect(delivered).toMatchObject({ status: 'delivered', deliveredGrams: 48_000, sellerName: farmName });
  });

  it('a rejected bid keeps its reason', async () => {
    const lot = wire(lotSchema, await farm.agent.post('/api/lots', lotBody()), 201);
    const bid = wire(
      offerSchema,
      await cook.agent.post(`/api/lots/${lot.id}/bids`, { quantityGrams: 20_000, priceFenPerKg: 1100 }),
      201,
    );
    expect(
      wire(offerSchema, await farm.agent.post(`/api/offers/${bid.id}/reject`, { reason: '价格太低' })),
    ).toMatchObject({ status: 'rejected', closedReason: '价格太低' });
  });

  it('demand, a sell offer answering it (with names), and withdrawing it', async () => {
    const demand = wire(
      demandSchema,
      await cook.agent.post('/api/demand', {
        productCode: 'shiitake',
        quantityGrams: 30_000,
        maxPriceFenPerKg: 1500,
        neededBy: hoursFromNow(24),
        note: '早上送到',
      }),
      201,
    );
    expect(demand.buyerName).toBe(cookName);
    expect(
      wire(demandList, await farm.agent.get('/api/demand?productCode=shiitake')).items.find((d) => d.id === demand.id)
        ?.buyerName,
    ).toBe(cookName);
    const lot = wire(lotSchema, await farm.agent.post('/api/lots', lotBody()), 201);
    const offer = wire(
      offerSchema,
      await farm.agent.post(`/api/demand/${demand.id}/offers`, {
        lotId: lot.id,
        quantityGrams: 30_000,
        priceFenPerKg: 1400,
      }),
      201,
    );
    expect(offer).toMatchObject({ kind: 'sell_offer', demandId: demand.id, sellerName: farmName, buyerName: cookName });
    expect(wire(demandSchema, await cook.agent.post(`/api/demand/${demand.id}/withdraw`, {})).status).toBe('withdrawn');
  });

  it('standing orders: propose, the farm accepts, list, occurrences, cancel', async () => {
    const body = {
      productCode: 'shiitake',
      gramsPerOccurrence: 20_000,
      weekdays: [2, 5],
      priceFenPerKg: 1300,
      startDate: hoursFromNow(24).slice(0, 10),
      tolerance: { extraPercent: 20, discountPercent: 10 },
      sellerOrgId: farm.organisationId,
    };
    const standing = wire(standingOrderSchema, await cook.agent.post('/api/standing-orders', body), 201);
    expect(standing.status).toBe('proposed');
    expect(
      wire(standingOrderSchema, await farm.agent.post(`/api/standing-orders/${standing.id}/accept`, {})).status,
    ).toBe('active');
    expect(wire(standingOrderList, await cook.agent.get('/api/standing-orders')).items.map((s) => s.id)).toContain(
      standing.id,
    );
    expect(
      wire(standingOrderList, await farm.agent.get('/api/standing-orders')).items.find((s) => s.id === standing.id),
    ).toMatchObject({ buyerName: cookName, steps: [{ status: 'active', side: 'seller' }] });
    expect(
      wire(occurrenceList, await cook.agent.get(`/api/standing-orders/${standing.id}/occurrences?days=14`)).items
        .length,
    ).toBeGreaterThanOrEqual(2);
    expect(
      wire(standingOrderSchema, await cook.agent.post(`/api/standing-orders/${standing.id}/cancel`, {})).status,
    ).toBe('cancelled');
  });

  it('a record made before names were copied still fits, without the names', async () => {
    const lot = wire(lotSchema, await farm.agent.post('/api/lots', lotBody()), 201);
    await app.db.connection.collection('lots').updateOne({ _id: lot.id as never }, { $unset: { sellerName: 1 } });
    const old = wire(lotSchema, await cook.agent.get(`/api/lots/${lot.id}`));
    expect(old.sellerOrgId).toBe(farm.organisationId);
    expect(old).not.toHaveProperty('sellerName');
    const demand = wire(
      demandSchema,
      await cook.agent.post('/api/demand', {
        productCode: 'shiitake',
        quantityGrams: 1_000,
        maxPriceFenPerKg: 1500,
        neededBy: hoursFromNow(24),
      }),
      201,
    );
    await app.db.connection.collection('demands').updateOne({ _id: demand.id as never }, { $unset: { buyerName: 1 } });
    const oldDemand = wire(demandList, await cook.agent.get('/api/demand?mine=true')).items.find(
      (d) => d.id === demand.id,
    );
    expect(oldDemand?.buyerOrgId).toBe(cook.organisationId);
    expect(oldDemand).not.toHaveProperty('buyerName');
  });
});
