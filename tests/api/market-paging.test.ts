/**
 * The market's and accounts' remaining lists page (issue 12 item 7, shared/domain/paging.ts): GET /api/demand
 * (open, and mine), /api/standing-orders, /api/standing-orders/:id/occurrences, /api/farms,
 * /api/organisation/members and /api/tokens. Walking a list 2–3 rows a page while another client adds and
 * closes rows between the reads never repeats a row nor skips one that existed the whole walk; a bad limit or
 * cursor is a 400 naming the field, a cursor of another list too; nobody pages what they could not read
 * whole; and each page is read from an index in the list's order.
 */
import { aFarm, aPhone, aRestaurant, aChamberUser, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { shanghaiDate } from '../../shared/domain/calendar';

let app: TestApp;
let farm: Member;
let cook: Member;
let stranger: Member;

beforeAll(async () => {
  app = await startTestApp();
  [farm, cook, stranger] = await Promise.all([aFarm(app), aRestaurant(app), aRestaurant(app)]);
});
afterAll(async () => {
  await app.close();
});

type Row = { id: string };
type PageBody = { items: Row[]; nextCursor: string | null };
type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const pause = () => new Promise((r) => setTimeout(r, 3));

async function page(member: Member, path: string): Promise<PageBody> {
  const reply = await member.agent.get<PageBody>(path);
  if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  expect(Object.keys(reply.body).sort()).toEqual(['items', 'nextCursor']);
  return reply.body;
}

const withCursor = (path: string, cursor: string) =>
  `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

/** Every id read walking `path` page by page, `between` running before each later page. */
async function walk(member: Member, path: string, between: (pageNo: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let body = await page(member, path);
  seen.push(...body.items.map((r) => r.id));
  for (let n = 1; body.nextCursor; n++) {
    expect(n).toBeLessThan(50);
    await between(n);
    body = await page(member, withCursor(path, body.nextCursor));
    seen.push(...body.items.map((r) => r.id));
  }
  return seen;
}

/** No row twice; every row that existed the whole walk is there, in the order a fresh read gives them. */
function expectWalkKept(seen: string[], stable: string[], freshOrder: string[]) {
  expect(new Set(seen).size).toBe(seen.length);
  for (const id of stable) expect(seen).toContain(id);
  const inOrder = (ids: string[]) => ids.filter((id) => stable.includes(id));
  expect(inOrder(seen)).toEqual(inOrder(freshOrder));
}

async function expect400(member: Member, path: string, field: string) {
  const reply = await member.agent.get<ErrorBody>(path);
  expect({ path, status: reply.status }).toEqual({ path, status: 400 });
  expect(Object.keys(reply.body.error.fields ?? {})).toEqual([field]);
}

async function postDemand(who: Member, hours: number, productCode = 'king_oyster'): Promise<string> {
  const posted = await who.agent.post<Row>('/api/demand', {
    productCode,
    quantityGrams: 20_000,
    maxPriceFenPerKg: 1500,
    neededBy: inHours(hours),
  });
  expect(posted.status).toBe(201);
  await pause();
  return posted.body.id;
}

async function postStanding(who: Member, sellerOrgId: string): Promise<string> {
  const posted = await who.agent.post<Row>('/api/standing-orders', {
    productCode: 'shiitake',
    gramsPerOccurrence: 10_000,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    priceFenPerKg: 1200,
    startDate: shanghaiDate(new Date()),
    sellerOrgId,
  });
  expect(posted.status).toBe(201);
  await pause();
  return posted.body.id;
}

/** The route's own checks of limit and cursor, and a cursor made for another list. */
async function expectPagingChecks(member: Member, path: string, foreignCursor: string) {
  for (const limit of ['0', '201', 'abc', '2.5']) await expect400(member, withLimit(path, limit), 'limit');
  for (const cursor of ['nonsense!', 'x'.repeat(600), foreignCursor])
    await expect400(member, withCursor(path, cursor), 'cursor');
}
const withLimit = (path: string, limit: string) => `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;

/** A cursor of GET /api/offers: a list of another sort. */
async function offersCursor(): Promise<string> {
  const lot = await farm.agent.post<Row>('/api/lots', {
    productCode: 'tofu',
    quantityGrams: 100_000,
    harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 400,
    askPriceFenPerKg: 700,
  });
  for (let i = 0; i < 2; i++)
    await cook.agent.post(`/api/lots/${lot.body.id}/bids`, { quantityGrams: 1_000, priceFenPerKg: 600 });
  const cursor = (await page(cook, '/api/offers?limit=1')).nextCursor;
  if (!cursor) throw new Error('expected a second page of offers');
  return cursor;
}

describe('GET /api/demand pages', () => {
  it('open demand, soonest needed first: every row once while demand is posted and withdrawn between pages', async () => {
    const stable = [];
    for (const h of [30, 10, 50, 20, 40, 60, 25]) stable.push(await postDemand(cook, h));
    const doomed = await postDemand(stranger, 35);
    const added: string[] = [];
    const seen = await walk(farm, '/api/demand?productCode=king_oyster&limit=2', async (n) => {
      added.push(await postDemand(stranger, n % 2 === 0 ? 5 : 70)); // before and after the cursor
      if (n === 1) expect((await stranger.agent.post(`/api/demand/${doomed}/withdraw`, {})).status).toBe(200);
    });
    const fresh = (await page(farm, '/api/demand?productCode=king_oyster&limit=200')).items.map((d) => d.id);
    expectWalkKept(seen, stable, fresh);
    expect(seen).not.toContain(doomed);
    // Without a product filter the same walk holds (another index serves it).
    const all = await walk(farm, '/api/demand?limit=3', async () => {
      added.push(await postDemand(stranger, 45));
    });
    expectWalkKept(
      all,
      stable,
      (await page(farm, '/api/demand?limit=200')).items.map((d) => d.id),
    );
  });

  it('mine=true: the restaurant’s own, newest first, and nobody else’s', async () => {
    const own: string[] = [];
    for (let i = 0; i < 5; i++) own.push(await postDemand(stranger, 80 + i, 'lettuce'));
    const seen = await walk(stranger, '/api/demand?mine=true&limit=2', async () => {
      await postDemand(stranger, 90, 'lettuce');
      await postDemand(cook, 90, 'lettuce');
    });
    const fresh = (await page(stranger, '/api/demand?mine=true&limit=200')).items;
    expectWalkKept(
      seen,
      own,
      fresh.map((d) => d.id),
    );
    expect(fresh.map((d) => d.id).filter((id) => own.includes(id))).toEqual([...own].reverse());
    const cooks = new Set((await page(cook, '/api/demand?mine=true&limit=200')).items.map((d) => d.id));
    for (const id of seen) expect(cooks.has(id)).toBe(false);
  });

  it('refuses a bad limit or cursor naming it, and the other demand list’s cursor', async () => {
    const mineCursor = (await page(stranger, '/api/demand?mine=true&limit=1')).nextCursor;
    const openCursor = (await page(farm, '/api/demand?limit=1')).nextCursor;
    if (!mineCursor || !openCursor) throw new Error('expected second pages');
    await expectPagingChecks(farm, '/api/demand', mineCursor);
    await expectPagingChecks(stranger, '/api/demand?mine=true', openCursor);
  });
});

describe('GET /api/standing-orders pages', () => {
  it('newest first, to both parties, while orders are placed, declined and cancelled between pages', async () => {
    const grower = await aFarm(app);
    const diner = await aRestaurant(app);
    const stable: string[] = [];
    for (let i = 0; i < 7; i++) stable.push(await postStanding(diner, grower.organisationId));
    const toCancel = await postStanding(diner, grower.organisationId);
    const walkFor = (who: Member, path: string) =>
      walk(who, path, async (n) => {
        await postStanding(diner, grower.organisationId);
        if (n === 1) await diner.agent.post(`/api/standing-orders/${toCancel}/cancel`, {});
      });
    for (const who of [diner, grower]) {
      const seen = await walkFor(who, '/api/standing-orders?limit=3');
      const fresh = (await page(who, '/api/standing-orders?limit=200')).items.map((s) => s.id);
      expectWalkKept(seen, stable, fresh);
      expect(fresh.slice(-stable.length)).toEqual([...stable].reverse());
    }
    // The farm declines one between pages of the proposed ones: it leaves that filter, the rest stay.
    const declined = stable[3];
    const proposed = await walk(grower, '/api/standing-orders?status=proposed&limit=2', async (n) => {
      if (n === 1)
        expect(
          (await grower.agent.post(`/api/standing-orders/${declined}/decline`, { reason: '人手不够' })).status,
        ).toBe(200);
    });
    expectWalkKept(
      proposed,
      stable.filter((id) => id !== declined),
      [...stable].reverse(),
    );
  });

  it('never shows a restaurant another’s standing orders, whatever cursor it sends; the chamber pages them all', async () => {
    const grower = await aFarm(app);
    const diner = await aRestaurant(app);
    const outsider = await aRestaurant(app);
    const theirs: string[] = [];
    for (let i = 0; i < 4; i++) theirs.push(await postStanding(diner, grower.organisationId));
    const cursor = (await page(diner, '/api/standing-orders?limit=1')).nextCursor;
    if (!cursor) throw new Error('expected a second page');
    expect(await page(outsider, '/api/standing-orders?limit=2')).toEqual({ items: [], nextCursor: null });
    expect(await page(outsider, withCursor('/api/standing-orders?limit=2', cursor))).toEqual({
      items: [],
      nextCursor: null,
    });
    const refused = await outsider.agent.get<ErrorBody>(`/api/standing-orders?orgId=${diner.organisationId}&limit=2`);
    expect(refused.status).toBe(403);
    const staff = await aChamberUser(app, { admin: false });
    const staffSees = await walk(staff, `/api/standing-orders?orgId=${grower.organisationId}&limit=3`, async () => {
      await postStanding(outsider, farm.organisationId);
    });
    expect(staffSees).toEqual([...theirs].reverse());
    const everyone = await walk(staff, '/api/standing-orders?limit=3', async () => {
      await postStanding(outsider, farm.organisationId);
    });
    expectWalkKept(everyone, theirs, [...theirs].reverse());
  });

  it('refuses a bad limit or cursor naming it, and a demand cursor', async () => {
    const demandCursor = (await page(farm, '/api/demand?limit=1')).nextCursor;
    if (!demandCursor) throw new Error('expected a second page');
    await expectPagingChecks(cook, '/api/standing-orders', demandCursor);
  });
});

describe('GET /api/standing-orders/:id/occurrences pages', () => {
  it('by date within the first page’s window; a cursor of another standing order is refused', async () => {
    const grower = await aFarm(app);
    const diner = await aRestaurant(app);
    const id = await postStanding(diner, grower.organisationId);
    const other = await postStanding(diner, grower.organisationId);
    expect((await grower.agent.post(`/api/standing-orders/${id}/accept`, {})).status).toBe(200);
    expect((await grower.agent.post(`/api/standing-orders/${other}/accept`, {})).status).toBe(200);
    type Occurrence = { date: string };
    const whole = (await diner.agent.get<{ items: Occurrence[] }>(`/api/standing-orders/${id}/occurrences?days=14`))
      .body.items;
    expect(whole).toHaveLength(14);
    const dates: string[] = [];
    let body = (
      await diner.agent.get<{ items: Occurrence[]; nextCursor: string | null }>(
        `/api/standing-orders/${id}/occurrences?days=14&limit=3`,
      )
    ).body;
    dates.push(...body.items.map((o) => o.date));
    while (body.nextCursor) {
      // The window stays the first page's, even if `from` or `days` change.
      body = (
        await grower.agent.get<{ items: Occurrence[]; nextCursor: string | null }>(
          `/api/standing-orders/${id}/occurrences?days=3&limit=3&cursor=${encodeURIComponent(body.nextCursor)}`,
        )
      ).body;
      dates.push(...body.items.map((o) => o.date));
    }
    expect(dates).toEqual(whole.map((o) => o.date));

    const otherCursor = (await page(diner, `/api/standing-orders/${other}/occurrences?limit=2`)).nextCursor;
    if (!otherCursor) throw new Error('expected a second page');
    await expectPagingChecks(diner, `/api/standing-orders/${id}/occurrences`, otherCursor);
    // Someone else's standing order stays not found, cursor or none.
    const hidden = await stranger.agent.get(`/api/standing-orders/${id}/occurrences?limit=2`);
    expect(hidden.status).toBe(404);
  });
});

describe('GET /api/farms pages', () => {
  it('in the order farms joined, while farms join and are suspended between pages', async () => {
    const stable = [farm.organisationId];
    for (let i = 0; i < 4; i++) stable.push((await aFarm(app)).organisationId);
    const suspended = (await aFarm(app)).organisationId;
    const staff = await aChamberUser(app, { admin: false });
    const seen = await walk(cook, '/api/farms?limit=2', async (n) => {
      await aFarm(app);
      if (n === 1)
        expect(
          (await staff.agent.post(`/api/admin/organisations/${suspended}/suspend`, { reason: '停业整顿' })).status,
        ).toBe(200);
    });
    const fresh = (await page(cook, '/api/farms?limit=200')).items.map((f) => f.id);
    expectWalkKept(seen, stable, fresh);
    expect(fresh).not.toContain(suspended);
    await expectPagingChecks(cook, '/api/farms', await offersCursor());
    // A cursor whose id is not an organisation id is refused too (not a 500).
    const forged = Buffer.from(JSON.stringify({ s: 'farms-oldest', k: [1], i: 'not-an-id' })).toString('base64url');
    await expect400(cook, `/api/farms?cursor=${forged}`, 'cursor');
  });
});

describe('GET /api/organisation/members pages', () => {
  it('in the order people joined, while colleagues are added and removed between pages; only one’s own', async () => {
    const team = await aFarm(app);
    const stable = [team.userId];
    const add = async () => {
      const added = await team.agent.post<{ user: Row }>('/api/organisation/members', {
        displayName: '同事',
        phone: aPhone(),
      });
      expect(added.status).toBe(201);
      await pause();
      return added.body.user.id;
    };
    for (let i = 0; i < 4; i++) stable.push(await add());
    const leaving = await add();
    const seen = await walk(team, '/api/organisation/members?limit=2', async (n) => {
      await add();
      if (n === 1) expect((await team.agent.delete(`/api/organisation/members/${leaving}`)).status).toBe(204);
    });
    const fresh = (await page(team, '/api/organisation/members?limit=200')).items.map((u) => u.id);
    expectWalkKept(seen, stable, fresh);
    expect(fresh.slice(0, stable.length)).toEqual(stable);
    expect(fresh).not.toContain(leaving);
    const cursor = (await page(team, '/api/organisation/members?limit=1')).nextCursor;
    if (!cursor) throw new Error('expected a second page');
    expect(
      (await page(farm, withCursor('/api/organisation/members?limit=200', cursor))).items.map((u) => u.id),
    ).toEqual([]);
    await expectPagingChecks(team, '/api/organisation/members', await offersCursor());
  });
});

describe('GET /api/tokens pages', () => {
  it('newest first, while tokens are made and revoked between pages; only one’s own', async () => {
    const owner = await aRestaurant(app);
    const make = async () => {
      const made = await owner.agent.post<{ token: Row }>('/api/tokens', { name: '收银系统' });
      expect(made.status).toBe(201);
      await pause();
      return made.body.token.id;
    };
    const stable: string[] = [];
    for (let i = 0; i < 5; i++) stable.push(await make());
    const revoked = await make();
    const seen = await walk(owner, '/api/tokens?limit=2', async (n) => {
      await make();
      if (n === 1) expect((await owner.agent.delete(`/api/tokens/${revoked}`)).status).toBe(204);
    });
    const fresh = (await page(owner, '/api/tokens?limit=200')).items.map((t) => t.id);
    expectWalkKept(seen, stable, fresh);
    expect(fresh.slice(-stable.length)).toEqual([...stable].reverse());
    const cursor = (await page(owner, '/api/tokens?limit=1')).nextCursor;
    if (!cursor) throw new Error('expected a second page');
    expect((await page(stranger, withCursor('/api/tokens', cursor))).items).toEqual([]);
    await expectPagingChecks(owner, '/api/tokens', await offersCursor());
  });
});

describe('pages come from an index in the list’s order', () => {
  async function plan(collection: string, filter: object, sort: object) {
    const db = app.db.connection.db;
    if (!db) throw new Error('no database');
    const r = await db.command({
      explain: { find: collection, filter, sort, limit: 3 },
      verbosity: 'executionStats',
    });
    return r.queryPlanner.winningPlan as { stage: string; inputStage?: { stage: string; indexName: string } };
  }
  const at = new Date();

  it.each([
    ['demands', { status: 'open', neededBy: { $gt: at } }, { neededBy: 1, _id: 1 }, 'status_1_neededBy_1__id_1'],
    [
      'demands',
      { status: 'open', productCode: 'enoki', neededBy: { $gt: at } },
      { neededBy: 1, _id: 1 },
      'status_1_productCode_1_neededBy_1__id_1',
    ],
    ['demands', { buyerOrgId: 'x' }, { createdAt: -1, _id: -1 }, 'buyerOrgId_1_createdAt_-1__id_-1'],
    ['standingorders', { buyerOrgId: 'x' }, { createdAt: -1, _id: -1 }, 'buyerOrgId_1_createdAt_-1__id_-1'],
    ['standingorders', { sellerOrgId: 'x' }, { createdAt: -1, _id: -1 }, 'sellerOrgId_1_createdAt_-1__id_-1'],
    ['standingorders', {}, { createdAt: -1, _id: -1 }, 'createdAt_-1__id_-1'],
    [
      'organisations',
      { kind: 'farm', verification: 'verified' },
      { createdAt: 1, _id: 1 },
      'kind_1_verification_1_createdAt_1__id_1',
    ],
  ])('%s %j sorted %j: %s', async (collection, filter, sort, indexName) => {
    expect(await plan(collection, filter, sort)).toMatchObject({ inputStage: { stage: 'IXSCAN', indexName } });
  });

  it('members and tokens too', async () => {
    expect(await plan('users', { organisationId: farm.organisationId }, { createdAt: 1, _id: 1 })).toMatchObject({
      inputStage: { stage: 'IXSCAN', indexName: 'organisationId_1_createdAt_1__id_1' },
    });
    expect(await plan('apitokens', { userId: cook.userId }, { createdAt: -1, _id: -1 })).toMatchObject({
      inputStage: { stage: 'IXSCAN', indexName: 'userId_1_createdAt_-1__id_-1' },
    });
  });
});
