/**
 * 确认收货 made offline is sent from the phone's outbox on reconnect with its Idempotency-Key, perhaps more than
 * once (a lost answer, a second reconnect, two tabs): the server does it once and answers every replay with the
 * order as it stands (docs/offline.md).
 */
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;
let otherCook: Member;
beforeAll(async () => {
  app = await startTestApp();
  [farm, cook, otherCook] = await Promise.all([aFarm(app), aRestaurant(app), aRestaurant(app)]);
});
afterAll(async () => {
  await app.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

interface OrderBody {
  id: string;
  status: string;
  deliveredGrams?: number;
  totalFen: number;
  timeline?: { status: string }[];
}
interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

/** A dispatched order of 10 kg of shiitake at ¥14/kg from `farm` to `cook`. */
async function aDispatchedOrder(): Promise<OrderBody> {
  const lot = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: 500_000,
    harvestedAt: inHours(-1),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
  });
  expect(lot.status).toBe(201);
  const bid = await cook.agent.post<{ id: string }>(`/api/lots/${lot.body.id}/bids`, {
    quantityGrams: 10_000,
    priceFenPerKg: 1400,
  });
  expect(bid.status).toBe(201);
  const accepted = await farm.agent.post<{ order: OrderBody }>(`/api/bids/${bid.body.id}/accept`, {});
  expect(accepted.status).toBe(200);
  const dispatched = await farm.agent.post<OrderBody>(`/api/orders/${accepted.body.order.id}/dispatch`, {});
  expect(dispatched.status).toBe(200);
  return dispatched.body;
}

const receipt = (by: Member, orderId: string, deliveredGrams: number, key?: string) =>
  by.agent.post<OrderBody & ErrorBody>(
    `/api/orders/${orderId}/deliver`,
    { deliveredGrams },
    key ? { headers: { 'idempotency-key': key } } : {},
  );

describe('a receipt confirmed offline and replayed with its key', () => {
  it('is done once: every replay answers 200 with the same delivered order, one step in its timeline', async () => {
    const order = await aDispatchedOrder();
    const key = 'fl-receipt-replay-0001';
    const first = await receipt(cook, order.id, 9_000, key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'delivered', deliveredGrams: 9_000, totalFen: 12_600 });

    for (const replay of [await receipt(cook, order.id, 9_000, key), await receipt(cook, order.id, 9_000, key)]) {
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ id: order.id, status: 'delivered', deliveredGrams: 9_000 });
    }
    const read = await cook.agent.get<OrderBody>(`/api/orders/${order.id}`);
    expect(read.body.timeline?.filter((s) => s.status === 'delivered')).toHaveLength(1);
    expect(read.body).not.toHaveProperty('receiptKey'); // the key stays on the server
  });

  it('replays racing each other still deliver once', async () => {
    const order = await aDispatchedOrder();
    const key = 'fl-receipt-race-0001';
    const answers = await Promise.all(Array.from({ length: 5 }, () => receipt(cook, order.id, 10_000, key)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const read = await cook.agent.get<OrderBody>(`/api/orders/${order.id}`);
    expect(read.body.timeline?.filter((s) => s.status === 'delivered')).toHaveLength(1);
  });

  it('a second receipt under another key (or none) is refused by the order state, never done twice', async () => {
    const order = await aDispatchedOrder();
    expect((await receipt(cook, order.id, 10_000, 'fl-receipt-once-0001')).status).toBe(200);
    const other = await receipt(cook, order.id, 8_000, 'fl-receipt-once-0002');
    expect(other.status).toBe(409);
    const none = await receipt(cook, order.id, 8_000);
    expect(none.status).toBe(409);
    const read = await cook.agent.get<OrderBody>(`/api/orders/${order.id}`);
    expect(read.body.deliveredGrams).toBe(10_000);
  });

  it('someone else replaying the key is refused as before (only the buyer confirms receipt)', async () => {
    const order = await aDispatchedOrder();
    const key = 'fl-receipt-theirs-0001';
    expect((await receipt(cook, order.id, 10_000, key)).status).toBe(200);
    const stranger = await receipt(otherCook, order.id, 10_000, key);
    expect(stranger.status).toBe(403);
  });

  it('a malformed key is a 400 naming the header', async () => {
    const order = await aDispatchedOrder();
    const r = await receipt(cook, order.id, 10_000, 'no spaces allowed here!');
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toHaveProperty(['Idempotency-Key']);
  });
});
