/**
 * Over real HTTP: a farmer's phone fires every accept twice, all at once, at a lot that
 * cannot fill them all. Orders never exceed the lot; each success has exactly one order.
 */
import { aFarm, aRestaurant } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

jest.setTimeout(180_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

interface OrderBody {
  id: string;
  quantityGrams: number;
}

it('when 300 accepts for 150 bids hit a 500 kg lot at once, exactly 500 kg is sold in 100 orders', async () => {
  const farm = await aFarm(app);
  const cooks = await Promise.all([aRestaurant(app), aRestaurant(app), aRestaurant(app)]);
  const lot = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: 500_000,
    harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
  });
  expect(lot.status).toBe(201);

  const bids = await Promise.all(
    Array.from({ length: 150 }, (_, i) =>
      cooks[i % 3].agent.post<{ id: string }>(`/api/lots/${lot.body.id}/bids`, {
        quantityGrams: 5_000,
        priceFenPerKg: 1100 + i,
      }),
    ),
  );
  expect(bids.every((b) => b.status === 201)).toBe(true);

  const replies = await Promise.all(
    bids.flatMap((b) => {
      const options = { headers: { 'idempotency-key': `accept-${b.body.id}` } };
      return [
        farm.agent.post<{ order?: OrderBody }>(`/api/bids/${b.body.id}/accept`, {}, options),
        farm.agent.post<{ order?: OrderBody }>(`/api/bids/${b.body.id}/accept`, {}, options),
      ];
    }),
  );

  const statuses = new Set(replies.map((r) => r.status));
  expect([...statuses].every((s) => s === 200 || s === 409)).toBe(true);

  const orderIdsByBid = new Map<string, Set<string>>();
  replies.forEach((r, i) => {
    if (r.status !== 200 || !r.body.order) return;
    const bidId = bids[Math.floor(i / 2)].body.id;
    orderIdsByBid.set(bidId, (orderIdsByBid.get(bidId) ?? new Set()).add(r.body.order.id));
  });
  expect(orderIdsByBid.size).toBe(100);
  for (const ids of orderIdsByBid.values()) expect(ids.size).toBe(1);

  const orders = (await farm.agent.get<{ items: OrderBody[] }>(`/api/orders?lotId=${lot.body.id}&limit=200`)).body
    .items;
  expect(orders).toHaveLength(100);
  expect(orders.reduce((sum, o) => sum + o.quantityGrams, 0)).toBe(500_000);
  expect(
    (await farm.agent.get<{ remainingGrams: number; status: string }>(`/api/lots/${lot.body.id}`)).body,
  ).toMatchObject({ remainingGrams: 0, status: 'sold_out' });
});
