/**
 * A phone that lost its connection mid-action asks `POST /api/outcomes` what became of its keyed actions:
 * a lot posted, a bid made, a bid accepted, a clock take — each `done` with its view, a key never used
 * `unknown`, and another organisation's keys answer `unknown` too (nothing leaks). A lot posted twice with
 * one Idempotency-Key is one lot.
 */
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let otherFarm: Member;
let cook: Member;
let n = 0;
const aKey = () => `outcome-${process.pid}-${Date.now()}-${++n}`;
const keyed = (key: string) => ({ headers: { 'idempotency-key': key } });
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const LOT = () => ({
  productCode: 'shiitake',
  quantityGrams: 500_000,
  harvestedAt: inHours(-1),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
});

interface Outcome {
  key: string;
  outcome: 'done' | 'failed' | 'unknown';
  action?: string;
  reason?: string;
  lot?: { id: string };
  offer?: { id: string; status: string };
  order?: { id: string; status: string; totalFen: number };
}
const outcomesOf = async (member: Member, keys: string[]) => {
  const r = await member.agent.post<{ items: Outcome[] }>('/api/outcomes', { keys });
  expect(r.status).toBe(200);
  return r.body.items;
};

beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
  otherFarm = await aFarm(app);
  cook = await aRestaurant(app);
});
afterAll(async () => {
  await app.close();
});

describe('POST /api/lots with an Idempotency-Key', () => {
  it('posted twice (a replayed outbox) makes one lot: 201, then 200 with the same lot', async () => {
    const key = aKey();
    const first = await farm.agent.post<{ id: string }>('/api/lots', LOT(), keyed(key));
    const again = await farm.agent.post<{ id: string }>('/api/lots', LOT(), keyed(key));
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const mine = await farm.agent.get<{ items: { id: string }[] }>(`/api/lots?sellerOrgId=${farm.organisationId}`);
    expect(mine.body.items.filter((l) => l.id === first.body.id)).toHaveLength(1);
    expect(mine.body.items).toHaveLength(1);
  });

  it('when 10 posts with one key race, makes exactly one lot', async () => {
    const racer = await aFarm(app);
    const key = aKey();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => racer.agent.post<{ id: string }>('/api/lots', LOT(), keyed(key))),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    const mine = await racer.agent.get<{ items: unknown[] }>(`/api/lots?sellerOrgId=${racer.organisationId}`);
    expect(mine.body.items).toHaveLength(1);
  });

  it("the same key from another farm is that farm's own lot", async () => {
    const key = aKey();
    const a = await farm.agent.post<{ id: string }>('/api/lots', LOT(), keyed(key));
    const b = await otherFarm.agent.post<{ id: string }>('/api/lots', LOT(), keyed(key));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('refuses a malformed key naming the header', async () => {
    const r = await farm.agent.post<{ error: { fields: Record<string, string> } }>('/api/lots', LOT(), keyed('x'));
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.error.fields)).toEqual(['Idempotency-Key']);
  });
});

describe('POST /api/outcomes', () => {
  it('tells a farm its keyed lot is done, with the lot, and an unused key unknown', async () => {
    const key = aKey();
    const unused = aKey();
    const lot = await farm.agent.post<{ id: string }>('/api/lots', LOT(), keyed(key));
    const items = await outcomesOf(farm, [key, unused]);
    expect(items).toEqual([
      expect.objectContaining({
        key,
        outcome: 'done',
        action: 'lot',
        lot: expect.objectContaining({ id: lot.body.id }),
      }),
      { key: unused, outcome: 'unknown' },
    ]);
  });

  it('an accept that happened while the phone was offline is done, with its order (the ghost accept)', async () => {
    const lot = await farm.agent.post<{ id: string }>('/api/lots', LOT());
    const bidKey = aKey();
    const bid = await cook.agent.post<{ id: string }>(
      `/api/lots/${lot.body.id}/bids`,
      { quantityGrams: 20_000, priceFenPerKg: 1200 },
      keyed(bidKey),
    );
    const acceptKey = aKey();
    const accepted = await farm.agent.post<{ order: { id: string } }>(
      `/api/bids/${bid.body.id}/accept`,
      {},
      keyed(acceptKey),
    );
    expect(accepted.status).toBe(200);

    const [acceptOutcome] = await outcomesOf(farm, [acceptKey]);
    expect(acceptOutcome).toMatchObject({ outcome: 'done', action: 'accept', order: { id: accepted.body.order.id } });
    expect(acceptOutcome.order?.totalFen).toBe(24_000);
    // The buyer's bid, by the buyer's key.
    const [bidOutcome] = await outcomesOf(cook, [bidKey]);
    expect(bidOutcome).toMatchObject({ outcome: 'done', action: 'offer', offer: { id: bid.body.id } });
  });

  it('a clock take made with a key is done, with its order', async () => {
    const lot = await farm.agent.post<{ id: string }>('/api/lots', { ...LOT(), harvestedAt: inHours(-80) });
    const clock = await farm.agent.post(`/api/lots/${lot.body.id}/clock`, {
      startPriceFenPerKg: 1500,
      floorHoursBeforeExpiry: 2,
    });
    expect(clock.status).toBe(200);
    const key = aKey();
    const take = await cook.agent.post<{ order: { id: string } }>(
      `/api/lots/${lot.body.id}/clock/take`,
      { quantityGrams: 10_000 },
      keyed(key),
    );
    expect(take.status).toBe(201);
    expect((await outcomesOf(cook, [key]))[0]).toMatchObject({
      outcome: 'done',
      action: 'take',
      order: { id: take.body.order.id },
    });
  });

  it("answers another organisation's keys as unknown: nothing of theirs is shown", async () => {
    const key = aKey();
    await farm.agent.post('/api/lots', LOT(), keyed(key));
    expect(await outcomesOf(otherFarm, [key])).toEqual([{ key, outcome: 'unknown' }]);
    expect(await outcomesOf(cook, [key])).toEqual([{ key, outcome: 'unknown' }]);
  });

  it('refuses no keys, too many keys and malformed keys with 400 naming the field; anonymous 401', async () => {
    const empty = await farm.agent.post<{ error: { fields: Record<string, string> } }>('/api/outcomes', { keys: [] });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.error.fields)).toEqual(['keys']);
    const many = await farm.agent.post('/api/outcomes', { keys: Array.from({ length: 51 }, () => aKey()) });
    expect(many.status).toBe(400);
    const bad = await farm.agent.post<{ error: { fields: Record<string, string> } }>('/api/outcomes', {
      keys: ['ok-key-123', 'no spaces allowed'],
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['keys.1']);
    expect((await app.agent().post('/api/outcomes', { keys: [aKey()] })).status).toBe(401);
  });
});
