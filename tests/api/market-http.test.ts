import type { MarketUpdate } from '../../shared/schemas/market';
/**
 * The market over real HTTP, with real sign-ups and sessions, on the embedded database.
 */
import { aChamberUser, aFarm, aPendingFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;
let clockNow = new Date();
const hoursAgo = (h: number) => new Date(clockNow.getTime() - h * 3_600_000).toISOString();

beforeAll(async () => {
  app = await startTestApp({ now: () => clockNow });
  farm = await aFarm(app);
  cook = await aRestaurant(app);
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  clockNow = new Date();
});

interface LotBody {
  id: string;
  expiresAt: string;
  remainingGrams: number;
  status: string;
  urgency: string;
}
interface OfferBody {
  id: string;
  status: string;
  turn: string;
  priceFenPerKg: number;
}
interface OrderBody {
  id: string;
  lotId: string;
  quantityGrams: number;
  priceFenPerKg: number;
  totalFen: number;
  status: string;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; remainingGrams?: number; orderId?: string };
}

const lotBody = (over: Record<string, unknown> = {}) => ({
  productCode: 'shiitake',
  quantityGrams: 2_000_000,
  harvestedAt: hoursAgo(2),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
  ...over,
});

async function postLot(over: Record<string, unknown> = {}): Promise<LotBody> {
  const r = await farm.agent.post<LotBody>('/api/lots', lotBody(over));
  expect(r.status).toBe(201);
  return r.body;
}

async function postBid(lotId: string, body: Record<string, unknown> = {}): Promise<OfferBody> {
  const r = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, {
    quantityGrams: 50_000,
    priceFenPerKg: 1200,
    ...body,
  });
  expect(r.status).toBe(201);
  return r.body;
}

describe('POST /api/lots', () => {
  it('lets a verified farm post a lot: 201 with its expiry and stock', async () => {
    const r = await farm.agent.post<LotBody>(
      '/api/lots',
      lotBody({ grade: '一级', pickup: { name: '湾里冷库', address: '南昌市湾里区' } }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'open',
      remainingGrams: 2_000_000,
      urgency: 'fresh',
      productNameZh: '鲜香菇',
    });
    expect(new Date(r.body.expiresAt).getTime()).toBe(new Date(hoursAgo(2)).getTime() + 96 * 3_600_000);
  });

  it('refuses a farm still pending verification, and restaurants', async () => {
    const pending = await aPendingFarm(app);
    expect((await pending.agent.post<ErrorBody>('/api/lots', lotBody())).body.error.code).toBe('VERIFICATION_PENDING');
    const r = await cook.agent.post<ErrorBody>('/api/lots', lotBody());
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
  });

  it('answers 400 naming the fields for a malformed body, 422 for a rule, 401 anonymous', async () => {
    const bad = await farm.agent.post<ErrorBody>('/api/lots', lotBody({ quantityGrams: 1.5, storage: 'frozen' }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {}).sort()).toEqual(['quantityGrams', 'storage']);
    const stale = await farm.agent.post<ErrorBody>(
      '/api/lots',
      lotBody({ harvestedAt: hoursAgo(30), storage: 'ambient' }),
    );
    expect(stale.status).toBe(422);
    expect(stale.body.error).toMatchObject({
      code: 'LOT_ALREADY_EXPIRED',
      fields: { harvestedAt: expect.any(String) },
    });
    expect((await app.agent().post('/api/lots', lotBody())).status).toBe(401);
  });
});

describe('GET /api/lots', () => {
  it('lists open lots of a product and fetches one', async () => {
    const lot = await postLot({ productCode: 'enoki' });
    const list = await cook.agent.get<{ items: LotBody[] }>('/api/lots?productCode=enoki&status=open');
    expect(list.status).toBe(200);
    expect(list.body.items.map((l) => l.id)).toContain(lot.id);
    const one = await cook.agent.get<LotBody>(`/api/lots/${lot.id}`);
    expect(one.body).toMatchObject({ id: lot.id, status: 'open' });
    expect((await cook.agent.get('/api/lots/000000000000000000000000')).status).toBe(404);
    expect((await cook.agent.get('/api/lots?status=rotten')).status).toBe(400);
  });

  it('serves the catalogue', async () => {
    const r = await cook.agent.get<{ items: { code: string }[] }>('/api/catalogue');
    expect(r.body.items.map((p) => p.code)).toContain('shiitake');
  });
});

describe('bids and accepting', () => {
  it('opens a bid: 201 {id, status: "open"}', async () => {
    const lot = await postLot();
    const r = await cook.agent.post<OfferBody>(`/api/lots/${lot.id}/bids`, {
      quantityGrams: 50_000,
      priceFenPerKg: 1200,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'open', turn: 'seller', priceFenPerKg: 1200 });
  });

  it('refuses a bid below reserve or above what is left with a message naming the field', async () => {
    const lot = await postLot({ quantityGrams: 100_000 });
    const low = await cook.agent.post<ErrorBody>(`/api/lots/${lot.id}/bids`, {
      quantityGrams: 50_000,
      priceFenPerKg: 900,
    });
    expect(low.status).toBe(422);
    expect(low.body.error).toMatchObject({
      code: 'PRICE_BELOW_RESERVE',
      fields: { priceFenPerKg: expect.stringContaining('reserve') },
    });
    const much = await cook.agent.post<ErrorBody>(`/api/lots/${lot.id}/bids`, {
      quantityGrams: 100_001,
      priceFenPerKg: 1200,
    });
    expect(much.status).toBe(422);
    expect(much.body.error).toMatchObject({
      code: 'QUANTITY_EXCEEDS_REMAINING',
      fields: { quantityGrams: expect.stringContaining('100000') },
    });
  });

  it('lets only the lot\'s farm accept: 200 {order: {…, status: "confirmed"}}, others 403', async () => {
    const lot = await postLot();
    const bid = await postBid(lot.id);
    const otherFarm = await aFarm(app);
    expect((await otherFarm.agent.post(`/api/bids/${bid.id}/accept`, {})).status).toBe(403);
    expect((await cook.agent.post<ErrorBody>(`/api/bids/${bid.id}/accept`, {})).body.error.code).toBe('NOT_YOUR_TURN');
    const r = await farm.agent.post<{ order: OrderBody }>(`/api/bids/${bid.id}/accept`, {});
    expect(r.status).toBe(200);
    expect(r.body.order).toMatchObject({
      lotId: lot.id,
      quantityGrams: 50_000,
      priceFenPerKg: 1200,
      totalFen: 60_000,
      status: 'confirmed',
    });
    expect((await cook.agent.get<LotBody>(`/api/lots/${lot.id}`)).body.remainingGrams).toBe(1_950_000);
  });

  it('never makes a second order for an already accepted bid', async () => {
    const lot = await postLot();
    const bid = await postBid(lot.id);
    const key = { headers: { 'idempotency-key': `accept-${bid.id}` } };
    const first = await farm.agent.post<{ order: OrderBody }>(`/api/bids/${bid.id}/accept`, {}, key);
    const again = await farm.agent.post<{ order: OrderBody }>(`/api/bids/${bid.id}/accept`, {}, key);
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(first.body.order.id);
    const otherKey = await farm.agent.post<ErrorBody>(
      `/api/bids/${bid.id}/accept`,
      {},
      { headers: { 'idempotency-key': 'another-key-123' } },
    );
    expect(otherKey.status).toBe(409);
    expect(otherKey.body.error).toMatchObject({ code: 'ALREADY_ACCEPTED', orderId: first.body.order.id });
    const badKey = await farm.agent.post<ErrorBody>(
      `/api/bids/${bid.id}/accept`,
      {},
      { headers: { 'idempotency-key': 'x' } },
    );
    expect(badKey.status).toBe(400);
    const orders = await cook.agent.get<{ items: OrderBody[] }>(`/api/orders?lotId=${lot.id}`);
    expect(orders.body.items).toHaveLength(1);
  });

  it('answers 409 with what is left when a bid cannot be filled, and accepts part', async () => {
    const lot = await postLot({ quantityGrams: 80_000 });
    const one = await postBid(lot.id, { quantityGrams: 60_000 });
    const two = await postBid(lot.id, { quantityGrams: 60_000 });
    expect((await farm.agent.post(`/api/bids/${one.id}/accept`, {})).status).toBe(200);
    const r = await farm.agent.post<ErrorBody>(`/api/bids/${two.id}/accept`, {});
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'NOT_ENOUGH_LEFT', remainingGrams: 20_000 });
    expect(r.body.error.message).toMatch(/20000 g left/);
    const part = await farm.agent.post<{ order: OrderBody }>(`/api/bids/${two.id}/accept`, { quantityGrams: 20_000 });
    expect(part.body.order.quantityGrams).toBe(20_000);
    expect((await cook.agent.get<LotBody>(`/api/lots/${lot.id}`)).body).toMatchObject({
      remainingGrams: 0,
      status: 'sold_out',
    });
  });

  it('counters, rejects and withdraws', async () => {
    const lot = await postLot();
    const bid = await postBid(lot.id);
    const countered = await farm.agent.post<OfferBody>(`/api/offers/${bid.id}/counter`, { priceFenPerKg: 1300 });
    expect(countered.body).toMatchObject({ status: 'countered', turn: 'buyer', priceFenPerKg: 1300 });
    const rejected = await cook.agent.post<OfferBody>(`/api/bids/${bid.id}/reject`, { reason: '太贵了' });
    expect(rejected.body.status).toBe('rejected');
    const other = await postBid(lot.id);
    expect((await cook.agent.post<OfferBody>(`/api/bids/${other.id}/withdraw`, {})).body.status).toBe('withdrawn');
    expect((await farm.agent.post<ErrorBody>(`/api/bids/${other.id}/accept`, {})).body.error.code).toBe('OFFER_CLOSED');
    const mine = await cook.agent.get<{ items: OfferBody[] }>(`/api/offers?lotId=${lot.id}`);
    expect(mine.body.items.map((o) => o.status).sort()).toEqual(['rejected', 'withdrawn']);
  });
});

describe('orders', () => {
  it("lists the caller's orders and walks dispatch → deliver → dispute", async () => {
    const lot = await postLot();
    const bid = await postBid(lot.id);
    const { order } = (await farm.agent.post<{ order: OrderBody }>(`/api/bids/${bid.id}/accept`, {})).body;
    const list = await cook.agent.get<{ items: OrderBody[] }>('/api/orders');
    expect(list.body.items.map((o) => o.id)).toContain(order.id);
    const stranger = await aRestaurant(app);
    expect((await stranger.agent.get<{ items: OrderBody[] }>('/api/orders')).body.items).toEqual([]);
    expect((await stranger.agent.get(`/api/orders/${order.id}`)).status).toBe(404);
    expect((await cook.agent.post<ErrorBody>(`/api/orders/${order.id}/dispatch`, {})).status).toBe(403);
    expect((await farm.agent.post<OrderBody>(`/api/orders/${order.id}/dispatch`, {})).body.status).toBe('dispatched');
    expect(
      (await cook.agent.post<OrderBody>(`/api/orders/${order.id}/deliver`, { deliveredGrams: 49_000 })).body,
    ).toMatchObject({ status: 'delivered', totalFen: 58_800 });
    expect(
      (await cook.agent.post<OrderBody>(`/api/orders/${order.id}/dispute`, { note: '部分菇盖发黑' })).body.status,
    ).toBe('disputed');
    expect((await cook.agent.post<ErrorBody>(`/api/orders/${order.id}/cancel`, { reason: 'x' })).status).toBe(409);
  });

  it('gives the stock back when the buyer cancels before dispatch', async () => {
    const lot = await postLot();
    const bid = await postBid(lot.id);
    const { order } = (await farm.agent.post<{ order: OrderBody }>(`/api/bids/${bid.id}/accept`, {})).body;
    expect(
      (await cook.agent.post<OrderBody>(`/api/orders/${order.id}/cancel`, { reason: '临时闭店' })).body.status,
    ).toBe('cancelled');
    expect((await cook.agent.get<LotBody>(`/api/lots/${lot.id}`)).body.remainingGrams).toBe(2_000_000);
  });
});

describe('the clock sale and expiry', () => {
  it('sells near-expiry stock on a falling clock, and expires the rest on time', async () => {
    const lot = await postLot({ harvestedAt: hoursAgo(86) }); // 10 h left
    const started = await farm.agent.post<LotBody & { clock: { priceFenPerKg: number; phase: string } }>(
      `/api/lots/${lot.id}/clock`,
      {
        startPriceFenPerKg: 1500,
        floorHoursBeforeExpiry: 2,
      },
    );
    expect(started.body.clock).toMatchObject({ phase: 'falling', priceFenPerKg: 1500 });
    clockNow = new Date(clockNow.getTime() + 4 * 3_600_000); // half way down: 1250
    const take = await cook.agent.post<{ order: OrderBody }>(
      `/api/lots/${lot.id}/clock/take`,
      { quantityGrams: 100_000 },
      { headers: { 'idempotency-key': `take-${lot.id}` } },
    );
    expect(take.status).toBe(201);
    expect(take.body.order).toMatchObject({ priceFenPerKg: 1250, quantityGrams: 100_000, status: 'confirmed' });
    const replay = await cook.agent.post<{ order: OrderBody }>(
      `/api/lots/${lot.id}/clock/take`,
      { quantityGrams: 100_000 },
      { headers: { 'idempotency-key': `take-${lot.id}` } },
    );
    expect(replay.status).toBe(200);
    expect(replay.body.order.id).toBe(take.body.order.id);

    clockNow = new Date(clockNow.getTime() + 6 * 3_600_000);
    expect(await app.handle.market.jobs.runOnce()).toMatchObject({ expiredLots: expect.any(Number) });
    const after = await cook.agent.get<LotBody & { spoiledGrams: number }>(`/api/lots/${lot.id}`);
    expect(after.body).toMatchObject({ status: 'expired', spoiledGrams: 1_900_000, urgency: 'expired' });
    expect(
      (await cook.agent.post<ErrorBody>(`/api/lots/${lot.id}/bids`, { quantityGrams: 1000, priceFenPerKg: 1200 })).body
        .error.code,
    ).toBe('LOT_EXPIRED');
  });
});

describe('live updates', () => {
  it('tells the restaurant on its socket when the farm counters its bid, and the farm when it is accepted', async () => {
    const lot = await postLot();
    const bid = await postBid(lot.id);
    const cookSocket = await app.socket(cook.agent);
    const farmSocket = await app.socket(farm.agent);
    // The bid's own offer:made may still be on its way (events are stored before they go out): wait for the counter.
    const countered = new Promise<MarketUpdate>((resolve) => {
      cookSocket.on('market:update', (u) => {
        if (u.type === 'offer:countered') resolve(u);
      });
    });
    await farm.agent.post(`/api/bids/${bid.id}/counter`, { priceFenPerKg: 1300 });
    expect(await countered).toMatchObject({
      type: 'offer:countered',
      offerId: bid.id,
      lotId: lot.id,
      data: { offer: { status: 'countered', priceFenPerKg: 1300 } },
    });

    const seen: string[] = [];
    const confirmed = new Promise<void>((resolve) => {
      farmSocket.on('market:update', (e) => {
        seen.push(e.type);
        if (e.type === 'order:confirmed') resolve();
      });
    });
    await cook.agent.post(`/api/bids/${bid.id}/accept`, {});
    await confirmed;
    expect(seen).toEqual(['offer:accepted', 'order:confirmed']);
  });
});

describe('brokering by chamber staff', () => {
  it('lets chamber staff bid for a restaurant and accept for a farm, recorded as via broker', async () => {
    const desk = await aChamberUser(app, { admin: false });
    const lot = await postLot();
    const forCook = { headers: { 'on-behalf-of': cook.organisationId } };
    const bid = await desk.agent.post<
      OfferBody & { buyerOrgId: string; history: { side: string; viaBroker?: boolean; userId: string }[] }
    >(`/api/lots/${lot.id}/bids`, { quantityGrams: 20_000, priceFenPerKg: 1150 }, forCook);
    expect(bid.status).toBe(201);
    expect(bid.body.buyerOrgId).toBe(cook.organisationId);
    expect(bid.body.history[0]).toMatchObject({ side: 'buyer', viaBroker: true, userId: desk.userId });
    const accepted = await desk.agent.post<{
      order: OrderBody;
      offer: { history: { action: string; viaBroker?: boolean }[] };
    }>(`/api/bids/${bid.body.id}/accept`, {}, { headers: { 'on-behalf-of': farm.organisationId } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.offer.history.at(-1)).toMatchObject({ action: 'accept', viaBroker: true });
    expect((await cook.agent.get<{ items: OrderBody[] }>(`/api/orders?lotId=${lot.id}`)).body.items).toHaveLength(1);
  });

  it('refuses On-Behalf-Of from anyone but chamber staff, and for unverified or unknown organisations', async () => {
    const lot = await postLot();
    expect(
      (
        await cook.agent.post(
          `/api/lots/${lot.id}/bids`,
          { quantityGrams: 1000, priceFenPerKg: 1200 },
          { headers: { 'on-behalf-of': farm.organisationId } },
        )
      ).status,
    ).toBe(403);
    const desk = await aChamberUser(app, { admin: false });
    const pending = await aPendingFarm(app);
    expect(
      (await desk.agent.post('/api/lots', lotBody(), { headers: { 'on-behalf-of': pending.organisationId } })).status,
    ).toBe(403);
    expect((await desk.agent.post('/api/lots', lotBody(), { headers: { 'on-behalf-of': 'nonsense' } })).status).toBe(
      400,
    );
    expect((await desk.agent.post('/api/lots', lotBody())).status).toBe(403);
  });
});
