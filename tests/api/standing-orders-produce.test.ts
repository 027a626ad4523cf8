/** Standing orders become orders: proposed ahead of time, confirmed from a lot or declined, made once however many generate. */
import { shanghaiDate } from '../../shared/domain/calendar';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
/** Shanghai wall-clock HH:MM `h` hours from now. */
const shanghaiClockIn = (h: number) => new Date(Date.now() + h * 3_600_000 + 8 * 3_600_000).toISOString().slice(11, 16);

interface OrderBody {
  id: string;
  number?: string;
  status: string;
  lotId: string;
  source: string;
  quantityGrams: number;
  totalFen: number;
  declineReason?: string;
  standing?: { standingOrderId: string; date: string; baseGrams: number; maxExtraGrams: number };
  slot?: { from: string; to: string };
  timeline?: { status: string; side?: string; userId?: string }[];
}
interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

/** An agreed standing order: 20 kg shiitake every day, due 3 h from now, up to +10 % at 10 % off, ¥20/kg. */
async function anActiveStandingOrder(farm: Member, cook: Member, grams = 20_000): Promise<string> {
  const so = await cook.agent.post<{ id: string }>('/api/standing-orders', {
    productCode: 'shiitake',
    gramsPerOccurrence: grams,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    priceFenPerKg: 2000,
    startDate: shanghaiDate(new Date()),
    deliverBy: shanghaiClockIn(3),
    tolerance: { extraPercent: 10, discountPercent: 10 },
    sellerOrgId: farm.organisationId,
  });
  expect(so.status).toBe(201);
  expect((await farm.agent.post(`/api/standing-orders/${so.body.id}/accept`, {})).status).toBe(200);
  return so.body.id;
}

async function aLot(farm: Member, grams: number, extra: Record<string, unknown> = {}): Promise<string> {
  const lot = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: grams,
    harvestedAt: inHours(-1),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
    ...extra,
  });
  expect(lot.status).toBe(201);
  return lot.body.id;
}

async function proposedFor(who: Member, standingOrderId: string): Promise<OrderBody[]> {
  const list = await who.agent.get<{ items: OrderBody[] }>('/api/orders');
  return list.body.items.filter((o) => o.standing?.standingOrderId === standingOrderId);
}

describe('standing order → proposed order', () => {
  it('two generators at once make one proposed order per occurrence, seen live by both sides', async () => {
    const [farm, cook] = await Promise.all([aFarm(app), aRestaurant(app)]);
    const socket = await app.socket(cook.agent);
    const heard: OrderBody[] = [];
    socket.on('market:update', (update: { type: string; data: { order?: OrderBody } }) => {
      if (update.type === 'order:proposed' && update.data.order) heard.push(update.data.order);
    });
    const standingId = await anActiveStandingOrder(farm, cook);

    const made = await Promise.all([
      app.handle.market.standingFill.generate(),
      app.handle.market.standingFill.generate(),
    ]);
    expect(made[0] + made[1]).toBe(1);
    expect(await app.handle.market.standingFill.generate()).toBe(0);

    const [order] = await proposedFor(cook, standingId);
    expect(await proposedFor(farm, standingId)).toHaveLength(1);
    expect(order).toMatchObject({
      status: 'proposed',
      source: 'standing_order',
      lotId: '',
      quantityGrams: 20_000,
      totalFen: 40_000,
      standing: { baseGrams: 20_000, maxExtraGrams: 2_000 },
    });
    expect(order.number).toMatch(/^XL-\d{8}-\d{4}$/);
    expect(new Date(order.slot?.to ?? 0).getTime()).toBeGreaterThan(Date.now());

    for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard.map((o) => o.id)).toEqual([order.id]);
    socket.disconnect();
  });

  it('the farm confirms within the tolerance from its own fresh lot of the product; the lot is never oversold', async () => {
    const [farm, cook, other] = await Promise.all([aFarm(app), aRestaurant(app), aFarm(app)]);
    const first = await anActiveStandingOrder(farm, cook);
    const second = await anActiveStandingOrder(farm, cook);
    await app.handle.market.standingFill.generate();
    const [a] = await proposedFor(farm, first);
    const [b] = await proposedFor(farm, second);
    const lotId = await aLot(farm, 30_000);

    const confirm = (who: Member, id: string, body: Record<string, unknown>) =>
      who.agent.post<OrderBody & ErrorBody>(`/api/orders/${id}/confirm-proposal`, body);

    // below the base, above base + tolerance
    for (const grams of [19_999, 22_001]) {
      const wrong = await confirm(farm, a.id, { lotId, quantityGrams: grams });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error).toMatchObject({
        code: 'INVALID_QUANTITY',
        fields: { quantityGrams: expect.any(String) },
      });
    }
    // the restaurant cannot confirm; another farm's lot is refused
    expect((await confirm(cook, a.id, { lotId, quantityGrams: 20_000 })).status).toBe(403);
    const foreign = await aLot(other, 30_000);
    expect((await confirm(farm, a.id, { lotId: foreign, quantityGrams: 20_000 })).body.error.code).toBe('NOT_FROM_LOT');
    // a lot that spoils before the delivery is due
    const shortLived = await aLot(farm, 30_000, { expiresAt: inHours(1) });
    const spoils = await confirm(farm, a.id, { lotId: shortLived, quantityGrams: 20_000 });
    expect(spoils.status).toBe(422);
    expect(spoils.body.error).toMatchObject({
      code: 'LOT_EXPIRES_BEFORE_NEEDED',
      fields: { lotId: expect.any(String) },
    });

    // two proposals of 22 kg and 20 kg race for a 30 kg lot: exactly one lands, the other stays proposed
    const [ra, rb] = await Promise.all([
      confirm(farm, a.id, { lotId, quantityGrams: 22_000 }),
      confirm(farm, b.id, { lotId, quantityGrams: 20_000 }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const won = ra.status === 200 ? ra.body : rb.body;
    const lost = ra.status === 200 ? b : a;
    expect(won.status).toBe('confirmed');
    expect(won.lotId).toBe(lotId);
    expect(won.timeline?.map((s) => s.status)).toEqual(['proposed', 'confirmed']);
    expect(won.timeline?.at(-1)).toMatchObject({ side: 'seller', userId: farm.userId });
    if (won.id === a.id) expect(won.totalFen).toBe(44_000 - 400); // 20 kg at ¥20 + 2 kg at ¥18
    const lot = await farm.agent.get<{ remainingGrams: number }>(`/api/lots/${lotId}`);
    expect(lot.body.remainingGrams).toBe(30_000 - won.quantityGrams);
    expect((await cook.agent.get<OrderBody>(`/api/orders/${lost.id}`)).body.status).toBe('proposed');

    // the loser can still be filled from another lot
    const more = await aLot(farm, 30_000);
    const later = await confirm(farm, lost.id, { lotId: more, quantityGrams: 20_000 });
    expect(later.status).toBe(200);
    // and a confirmed one cannot be confirmed again
    expect((await confirm(farm, won.id, { lotId: more, quantityGrams: 20_000 })).body.error.code).toBe('WRONG_STATUS');
  });

  it('the farm declines with a reason; then it cannot be confirmed', async () => {
    const [farm, cook] = await Promise.all([aFarm(app), aRestaurant(app)]);
    const standingId = await anActiveStandingOrder(farm, cook);
    await app.handle.market.standingFill.generate();
    const [order] = await proposedFor(farm, standingId);

    const noReason = await farm.agent.post<ErrorBody>(`/api/orders/${order.id}/decline`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toHaveProperty('reason');
    expect((await cook.agent.post(`/api/orders/${order.id}/decline`, { reason: '不要了' })).status).toBe(403);

    const declined = await farm.agent.post<OrderBody>(`/api/orders/${order.id}/decline`, {
      reason: '今天下雨，没采收',
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'declined', declineReason: '今天下雨，没采收' });
    const seen = await cook.agent.get<OrderBody>(`/api/orders/${order.id}`);
    expect(seen.body.status).toBe('declined');
    const lotId = await aLot(farm, 30_000);
    const late = await farm.agent.post<ErrorBody>(`/api/orders/${order.id}/confirm-proposal`, {
      lotId,
      quantityGrams: 20_000,
    });
    expect(late.body.error.code).toBe('WRONG_STATUS');
  });

  it('a proposed standing order (not yet agreed) and a cancelled one produce nothing', async () => {
    const [farm, cook] = await Promise.all([aFarm(app), aRestaurant(app)]);
    const waiting = await cook.agent.post<{ id: string }>('/api/standing-orders', {
      productCode: 'shiitake',
      gramsPerOccurrence: 5_000,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      priceFenPerKg: 2000,
      startDate: shanghaiDate(new Date()),
      deliverBy: shanghaiClockIn(3),
      sellerOrgId: farm.organisationId,
    });
    const cancelled = await anActiveStandingOrder(farm, cook);
    expect((await cook.agent.post(`/api/standing-orders/${cancelled}/cancel`, {})).status).toBe(200);
    await app.handle.market.standingFill.generate();
    expect(await proposedFor(cook, waiting.body.id)).toEqual([]);
    expect(await proposedFor(cook, cancelled)).toEqual([]);
  });
});
