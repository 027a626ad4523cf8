/** Orders people can deliver: numbers, address and slot, phones for the parties and the chamber only, the timeline. */
import { shanghaiDate } from '../../shared/domain/calendar';
import { createOrdersRepository } from '../../server/features/market/orders/orders.repository';
import { aChamberUser, aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;
let stranger: Member;
let staff: Member;
beforeAll(async () => {
  app = await startTestApp();
  [farm, cook, stranger, staff] = await Promise.all([
    aFarm(app),
    aRestaurant(app),
    aFarm(app),
    aChamberUser(app, { admin: false }),
  ]);
});
afterAll(async () => {
  await app.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

interface OrderBody {
  id: string;
  number?: string;
  status: string;
  brokered?: boolean;
  delivery?: { mode: string; address: string };
  slot?: { from: string; to: string };
  timeline?: { status: string; side?: string; userId?: string; viaBroker?: boolean }[];
  contacts?: { buyerPhone?: string; sellerPhone?: string };
}
interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

async function aLot(grams = 500_000): Promise<string> {
  const lot = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: grams,
    harvestedAt: inHours(-1),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
  });
  expect(lot.status).toBe(201);
  return lot.body.id;
}

async function anOrder(lotId: string, headers: Record<string, string> = {}, by: Member = cook): Promise<OrderBody> {
  const bid = await by.agent.post<{ id: string }>(
    `/api/lots/${lotId}/bids`,
    { quantityGrams: 10_000, priceFenPerKg: 1400 },
    { headers },
  );
  expect(bid.status).toBe(201);
  const accepted = await farm.agent.post<{ order: OrderBody }>(`/api/bids/${bid.body.id}/accept`, {});
  expect(accepted.status).toBe(200);
  return accepted.body.order;
}

describe('order numbers', () => {
  it('an accepted bid makes an order numbered XL-<Shanghai date>-NNNN', async () => {
    const order = await anOrder(await aLot());
    const day = shanghaiDate(new Date()).replaceAll('-', '');
    expect(order.number).toMatch(new RegExp(`^XL-${day}-\\d{4}$`));
  });

  it('orders confirmed at the same moment never share a number', async () => {
    const lotId = await aLot();
    const bids = await Promise.all(
      Array.from({ length: 8 }, () =>
        cook.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, { quantityGrams: 10_000, priceFenPerKg: 1400 }),
      ),
    );
    const accepted = await Promise.all(
      bids.map((b) => farm.agent.post<{ order: OrderBody }>(`/api/bids/${b.body.id}/accept`, {})),
    );
    const numbers = accepted.map((a) => a.body.order.number);
    expect(numbers.every((n) => /^XL-\d{8}-\d{4}$/.test(n ?? ''))).toBe(true);
    expect(new Set(numbers).size).toBe(8);
  });

  it('the day counter hands out 1…n exactly once under 40 concurrent draws', async () => {
    const orders = createOrdersRepository(app.db.connection);
    const seqs = await Promise.all(Array.from({ length: 40 }, () => orders.nextNumberSeq('20300101')));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

describe('phones: the two parties and the chamber only', () => {
  it('buyer, seller and chamber staff see both phones on the detail; a third organisation gets 404', async () => {
    const order = await anOrder(await aLot());
    for (const who of [cook, farm, staff]) {
      const seen = await who.agent.get<OrderBody>(`/api/orders/${order.id}`);
      expect(seen.status).toBe(200);
      expect(seen.body.contacts?.buyerPhone).toMatch(/^1\d{10}$/);
      expect(seen.body.contacts?.sellerPhone).toMatch(/^1\d{10}$/);
    }
    const other = await stranger.agent.get<ErrorBody>(`/api/orders/${order.id}`);
    expect(other.status).toBe(404);
    const phones = (await cook.agent.get<OrderBody>(`/api/orders/${order.id}`)).body.contacts;
    expect(JSON.stringify(other.body)).not.toContain(phones?.buyerPhone);
    expect(JSON.stringify(other.body)).not.toContain(phones?.sellerPhone);
    // nor in the third organisation's list
    const list = await stranger.agent.get<{ items: OrderBody[] }>('/api/orders');
    expect(list.body.items.map((o) => o.id)).not.toContain(order.id);
  });

  it('lists and events carry no phones (only the detail does)', async () => {
    const order = await anOrder(await aLot());
    const list = await cook.agent.get<{ items: OrderBody[] }>('/api/orders');
    const listed = list.body.items.find((o) => o.id === order.id);
    expect(listed).toBeDefined();
    expect(listed?.contacts).toBeUndefined();
    expect(order.contacts).toBeUndefined();
  });
});

describe('address, slot and timeline', () => {
  it('the order starts with the pickup address (the farm’s registered address) and a confirmed step naming who accepted', async () => {
    const order = await anOrder(await aLot());
    expect(order.delivery).toMatchObject({ mode: 'pickup' });
    expect(order.delivery?.address.length).toBeGreaterThan(3);
    expect(order.timeline?.[0]).toMatchObject({ status: 'confirmed', side: 'seller', userId: farm.userId });
  });

  it('either party edits address and slot before dispatch; the edit is on the timeline; after dispatch it is 409', async () => {
    const order = await anOrder(await aLot());
    const slot = { from: '2030-01-02T08:00:00+08:00', to: '2030-01-02T10:00:00+08:00' };
    const edited = await cook.agent.post<OrderBody>(`/api/orders/${order.id}/delivery`, {
      mode: 'delivery',
      address: '南昌市红谷滩区丰和中大道 88 号 后厨',
      slot,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.delivery).toEqual({ mode: 'delivery', address: '南昌市红谷滩区丰和中大道 88 号 后厨' });
    expect(new Date(edited.body.slot?.from ?? '').toISOString()).toBe(new Date(slot.from).toISOString());
    expect(edited.body.timeline?.at(-1)).toMatchObject({ status: 'edited', side: 'buyer', userId: cook.userId });

    const empty = await farm.agent.post<ErrorBody>(`/api/orders/${order.id}/delivery`, { address: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toHaveProperty('address');
    const backwards = await farm.agent.post<ErrorBody>(`/api/orders/${order.id}/delivery`, {
      slot: { from: slot.to, to: slot.from },
    });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.fields).toHaveProperty(['slot.to']);
    expect((await stranger.agent.post(`/api/orders/${order.id}/delivery`, { address: '别处' })).status).toBe(403);

    expect((await farm.agent.post(`/api/orders/${order.id}/dispatch`, {})).status).toBe(200);
    const late = await cook.agent.post<ErrorBody>(`/api/orders/${order.id}/delivery`, { address: '别处' });
    expect(late.status).toBe(409);
    const after = await cook.agent.get<OrderBody>(`/api/orders/${order.id}`);
    expect(after.body.timeline?.map((s) => s.status)).toEqual(['confirmed', 'edited', 'dispatched']);
    expect(after.body.timeline?.at(-1)).toMatchObject({ side: 'seller', userId: farm.userId });
  });

  it('an order a chamber broker bid for is marked brokered; one nobody brokered is not', async () => {
    const lotId = await aLot();
    const brokered = await anOrder(lotId, { 'On-Behalf-Of': cook.organisationId }, staff);
    expect(brokered.brokered).toBe(true);
    const plain = await anOrder(lotId);
    expect(plain.brokered).toBeUndefined();
  });
});
