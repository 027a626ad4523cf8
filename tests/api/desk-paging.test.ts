/**
 * The desk's record lists page like every list (shared/domain/paging.ts): the ledger's entries (newest first,
 * KPIs over the whole range with every page), problems (newest raised first, counts over the whole filter)
 * and visits (newest visit day first). Walking the pages with a small limit while rows are added and closed
 * between reads never repeats or skips a row present throughout; a bad limit or cursor, or a cursor of another
 * list, is a 400 naming the field; only chamber staff read them.
 */
import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');
const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

let app: DeskApp;
let staff: Client;
let farmer: Client;
let farm: { id: string; name: string };
let restaurant: { id: string; name: string };

beforeAll(async () => {
  app = await startDeskApp('desk_record_paging', T0);
  farm = await app.org('farm', { name: '绿源食用菌合作社', township: '生米镇', village: '南边村' });
  restaurant = await app.org('restaurant', { name: '赣味餐厅' });
  staff = await app.signIn('chamber', { orgId: (await app.org('chamber')).id, displayName: '李明' });
  farmer = await app.signIn('farm', { orgId: farm.id });
});
afterAll(() => app.close());

const after = (cursor: string | null) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

async function read<T>(url: string): Promise<Page<T> & Record<string, unknown>> {
  const res = await staff.get(url);
  expect(res.status).toBe(200);
  return (await res.json()) as Page<T> & Record<string, unknown>;
}

/**
 * Walks every page of `path` (a query string already started) with `limit`, calling `between` after the first
 * page; returns the ids seen in order.
 */
async function walk(path: string, limit: number, between: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let page = await read<{ id: string }>(`${path}&limit=${limit}`);
  seen.push(...page.items.map((r) => r.id));
  await between();
  while (page.nextCursor) {
    page = await read<{ id: string }>(`${path}&limit=${limit}${after(page.nextCursor)}`);
    seen.push(...page.items.map((r) => r.id));
  }
  return seen;
}

let orderSeq = 0;
async function recordDeal(at: Date): Promise<{ id: string; orderId: string }> {
  const orderId = `order-${++orderSeq}`;
  const made = await app.handle.services.desk.ledger.recordFacilitatedOrder(
    {
      id: orderId,
      sellerOrgId: farm.id,
      buyerOrgId: restaurant.id,
      productCode: 'shiitake',
      quantityGrams: 10_000,
      totalFen: 13_000,
    },
    { brokerUserId: staff.userId, lotExpiresAt: new Date(at.getTime() + 30 * 3_600_000) },
    at,
  );
  if (!made.ok) throw new Error(made.error.message);
  return { id: made.entry.id, orderId };
}

async function raise(description: string, at: Date): Promise<string> {
  app.time.now = at;
  const res = await staff.post('/api/problems', { orgId: farm.id, category: 'sales', description });
  expect(res.status).toBe(201);
  return ((await res.json()) as { problem: { id: string } }).problem.id;
}

async function visit(visitedOn: string): Promise<string> {
  const res = await staff.post('/api/visits', { orgId: farm.id, visitedOn, notes: `走访 ${visitedOn}` });
  expect(res.status).toBe(201);
  return ((await res.json()) as { visit: { id: string } }).visit.id;
}

describe('the ledger’s entries page', () => {
  it('newest first, every entry once, while deals are recorded and voided between pages; KPIs cover the range', async () => {
    // Two entries share a creation time: the id breaks the tie.
    const times = [10, 20, 20, 30, 40, 50, 60];
    const made: { id: string; orderId: string; m: number }[] = [];
    for (const m of times) made.push({ ...(await recordDeal(minutes(m))), m });
    const newestFirst = [...made].sort((a, b) => b.m - a.m || (a.id < b.id ? -1 : 1));
    const range = '/api/ledger?from=2026-11-26&to=2026-11-26';
    const first = await read<{ id: string }>(`${range}&limit=3`);
    expect(first.total).toMatchObject({ orders: 7 });
    const ledger = app.handle.services.desk.ledger;
    const seen = await walk(range, 3, async () => {
      await recordDeal(minutes(90)); // newer than the cursor: not this walk's
      await recordDeal(minutes(5)); // older than the cursor: it comes in its place
      // An entry not yet seen is voided (gone from the report): never shown, nothing else skipped.
      expect((await ledger.voidFacilitatedOrder(made[1].orderId, '取消', minutes(95))).ok).toBe(true);
    });
    expect(new Set(seen).size).toBe(seen.length);
    const throughout = [made[6], made[5], made[4], made[3], made[2], made[0]].map((e) => e.id);
    expect(seen.filter((id) => throughout.includes(id))).toEqual(
      newestFirst.map((e) => e.id).filter((id) => throughout.includes(id)),
    );
    expect(seen).toHaveLength(throughout.length + 1);
    expect(seen).not.toContain(made[1].id);
  });
});

describe('problems page', () => {
  it('newest raised first under a status filter, every problem once, while problems are raised and resolved', async () => {
    const ids: string[] = [];
    for (let m = 0; m < 7; m++) ids.push(await raise(`问题 ${m}`, minutes(100 + m)));
    const path = `/api/problems?orgId=${farm.id}&status=open`;
    const first = await read<{ id: string }>(`${path}&limit=2`);
    expect(first.counts).toMatchObject({ raised: 7 });
    const seen = await walk(path, 2, async () => {
      await raise('新问题', minutes(200)); // newest: before the cursor
      const resolved = await staff.post(`/api/problems/${ids[1]}/transition`, {
        type: 'resolve',
        resolution: '已对接',
      });
      expect(resolved.status).toBe(200);
    });
    expect(seen).toEqual([ids[6], ids[5], ids[4], ids[3], ids[2], ids[0]]);
  });
});

describe('visits page', () => {
  it('newest visit day first, every visit once, while visits are logged between pages', async () => {
    const days = ['2026-11-20', '2026-11-22', '2026-11-22', '2026-11-18', '2026-11-25'];
    const ids: Record<string, string> = {};
    for (const [i, day] of days.entries()) ids[`${day}#${i}`] = await visit(day);
    const path = `/api/visits?orgId=${farm.id}&from=2026-11-01&to=2026-11-26`;
    let late = '';
    const seen = await walk(path, 2, async () => {
      await visit('2026-11-26'); // a newer day: before the cursor
      late = await visit('2026-11-19'); // an older day: it comes in its place
    });
    const sameDay = [ids['2026-11-22#1'], ids['2026-11-22#2']].sort();
    expect(seen).toEqual([ids['2026-11-25#4'], ...sameDay, ids['2026-11-20#0'], late, ids['2026-11-18#3']]);
  });
});

describe('desk record lists refuse', () => {
  it('a bad limit or cursor naming the field, and a cursor of another list', async () => {
    const ledgerCursor = (await read('/api/ledger?from=2026-11-26&to=2026-11-26&limit=1')).nextCursor;
    const problemsCursor = (await read(`/api/problems?limit=1`)).nextCursor;
    expect(ledgerCursor).toEqual(expect.any(String));
    expect(problemsCursor).toEqual(expect.any(String));
    const forged = Buffer.from(JSON.stringify({ s: 'problems-newest', k: ['x'], i: 'not-an-id' })).toString(
      'base64url',
    );
    const refused: [string, string][] = [
      ['/api/ledger?limit=0', 'limit'],
      ['/api/problems?limit=201', 'limit'],
      ['/api/visits?limit=abc', 'limit'],
      ['/api/ledger?cursor=nonsense!', 'cursor'],
      [`/api/problems?cursor=${encodeURIComponent(ledgerCursor as string)}`, 'cursor'],
      [`/api/ledger?cursor=${encodeURIComponent(problemsCursor as string)}`, 'cursor'],
      [`/api/visits?cursor=${encodeURIComponent(problemsCursor as string)}`, 'cursor'],
      [`/api/problems?cursor=${forged}`, 'cursor'],
    ];
    for (const [url, field] of refused) {
      const res = await staff.get(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(Object.keys(((await res.json()) as ErrorBody).error.fields ?? {})).toEqual([field]);
    }
  });

  it('anyone but chamber staff: 403', async () => {
    for (const url of ['/api/ledger?limit=5', '/api/problems?limit=5', '/api/visits?limit=5']) {
      expect((await farmer.get(url)).status).toBe(403);
    }
  });
});
