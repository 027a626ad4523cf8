/**
 * GET /api/offers pages (shared/domain/paging.ts): the caller's offers, newest made first. Paging through
 * never repeats or skips an offer while bids are made and countered between pages (a counter changes an
 * offer's updatedAt, never its creation time); another restaurant pages none of them; a bad cursor or limit
 * is a 400 naming the field.
 */
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { offerList } from '../../shared/schemas/market-views';

let app: TestApp;
let farm: Member;
let cook: Member;
let stranger: Member;
let lotId: string;

beforeAll(async () => {
  app = await startTestApp();
  [farm, cook, stranger] = await Promise.all([aFarm(app), aRestaurant(app), aRestaurant(app)]);
  const posted = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'tofu',
    quantityGrams: 500_000,
    harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 400,
    askPriceFenPerKg: 700,
  });
  expect(posted.status).toBe(201);
  lotId = posted.body.id;
});
afterAll(async () => {
  await app.close();
});

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

async function bid(): Promise<string> {
  const made = await cook.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
    quantityGrams: 10_000,
    priceFenPerKg: 600,
  });
  expect(made.status).toBe(201);
  // Creation times a millisecond apart at least, so "newest first" is the order they were made in.
  await new Promise((r) => setTimeout(r, 5));
  return made.body.id;
}

async function offersPage(member: Member, query: string) {
  const reply = await member.agent.get(`/api/offers?${query}`);
  expect(reply.status).toBe(200);
  return offerList.parse(reply.body);
}

describe('GET /api/offers pages', () => {
  it('newest made first, every offer once, while offers are made and countered between pages', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push(await bid());
    const seen: string[] = [];
    let page = await offersPage(cook, `lotId=${lotId}&limit=3`);
    seen.push(...page.items.map((o) => o.id));
    // Between pages: a new bid (newer than the cursor) and the farm counters the oldest one.
    const newer = await bid();
    const countered = await farm.agent.post(`/api/bids/${made[0]}/counter`, { priceFenPerKg: 650 });
    expect(countered.status).toBe(200);
    while (page.nextCursor) {
      page = await offersPage(cook, `lotId=${lotId}&limit=3&cursor=${encodeURIComponent(page.nextCursor)}`);
      seen.push(...page.items.map((o) => o.id));
    }
    expect(seen).toEqual([...made].reverse());
    expect(seen).not.toContain(newer);
    // The farm, the other party, pages the same offers; another restaurant sees none of them.
    const farmSees = await offersPage(farm, `lotId=${lotId}&limit=200`);
    expect(farmSees.items.map((o) => o.id)).toEqual([newer, ...[...made].reverse()]);
    expect(farmSees.nextCursor).toBeNull();
    expect((await offersPage(stranger, `lotId=${lotId}`)).items).toEqual([]);
  });

  it('refuses a cursor that is not one of ours or of another list, naming cursor, and a bad limit, naming limit', async () => {
    const orders = await cook.agent.get<{ nextCursor: string | null }>('/api/lots?limit=1');
    const lotsCursor = orders.body.nextCursor;
    for (const cursor of ['nonsense!', lotsCursor ?? 'x'.repeat(600)]) {
      const reply = await cook.agent.get<ErrorBody>(`/api/offers?cursor=${encodeURIComponent(cursor)}`);
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.error.fields ?? {})).toEqual(['cursor']);
    }
    const reply = await cook.agent.get<ErrorBody>('/api/offers?limit=500');
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body.error.fields ?? {})).toEqual(['limit']);
  });
});
