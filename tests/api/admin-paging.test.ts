/**
 * The chamber's admin lists page like every list (shared/domain/paging.ts): organisations (newest registered
 * first, `q` and the filters kept), an organisation's people (oldest account first) and its audit trail
 * (newest decision first). Walking with a small limit while organisations sign up or are decided between
 * reads never repeats or skips a row present throughout; a bad limit or cursor, or a cursor of another list,
 * is a 400 naming it; anyone but chamber staff gets 403.
 */
import { aPhone, aChamberUser, aFarm, aPendingFarm, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let staff: Member;
beforeAll(async () => {
  app = await startTestApp();
  staff = await aChamberUser(app, { admin: false });
});
afterAll(() => app.close());

interface Page {
  items: { id: string }[];
  nextCursor: string | null;
}
const after = (cursor: string | null) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

async function walk(path: string, limit: number, between: () => Promise<void> = async () => {}) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let first = true;
  do {
    const page: { status: number; body: Page } = await staff.agent.get<Page>(`${path}&limit=${limit}${after(cursor)}`);
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((r) => r.id));
    cursor = page.body.nextCursor;
    if (first) await between();
    first = false;
  } while (cursor);
  return seen;
}

describe('the organisations list pages', () => {
  it('newest first under a filter, every organisation once, while farms sign up and are verified between pages', async () => {
    const pending: string[] = [];
    for (let i = 0; i < 5; i++) pending.push((await aPendingFarm(app)).organisationId);
    const seen = await walk('/api/admin/organisations?verification=pending&kind=farm', 2, async () => {
      await aPendingFarm(app); // newer: before the cursor, not this walk's
      // One not yet seen is verified: it leaves the pending list, nothing else is skipped.
      expect((await staff.agent.post(`/api/admin/organisations/${pending[1]}/verify`, {})).status).toBe(200);
    });
    const createdAt = async (id: string) =>
      Date.parse(
        (await staff.agent.get<{ organisation: { createdAt: string } }>(`/api/admin/organisations/${id}`)).body
          .organisation.createdAt,
      );
    const keyed = await Promise.all(
      [pending[0], pending[2], pending[3], pending[4]].map(async (id) => ({ id, at: await createdAt(id) })),
    );
    keyed.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
    expect(seen).toEqual(keyed.map((k) => k.id));
  });

  it('keeps its q search while paging', async () => {
    const found = await walk(`/api/admin/organisations?q=${encodeURIComponent('湾里生态农场')}`, 2);
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(new Set(found).size).toBe(found.length);
  });
});

describe('an organisation’s people and audit page', () => {
  it('people oldest first and decisions newest first, each once', async () => {
    const farm = await aFarm(app);
    const people = [farm.userId];
    for (let i = 0; i < 3; i++) {
      const added = await farm.agent.post<{ user: { id: string } }>('/api/organisation/members', {
        displayName: `同事 ${i}`,
        phone: aPhone(),
      });
      expect(added.status).toBe(201);
      people.push(added.body.user.id);
    }
    expect(await walk(`/api/admin/organisations/${farm.organisationId}/members?`, 2)).toEqual(people);

    const url = (action: string) => `/api/admin/organisations/${farm.organisationId}/${action}`;
    expect((await staff.agent.post(url('suspend'), { reason: '投诉' })).status).toBe(200);
    expect((await staff.agent.post(url('reinstate'), {})).status).toBe(200);
    expect((await staff.agent.post(url('suspend'), { reason: '再次投诉' })).status).toBe(200);
    const audit = await walk(`/api/admin/organisations/${farm.organisationId}/audit?`, 2);
    expect(audit).toHaveLength(3);
    const all = await staff.agent.get<{ items: { id: string; action: string }[] }>(
      `/api/admin/organisations/${farm.organisationId}/audit?limit=200`,
    );
    expect(all.body.items.map((e) => e.action)).toEqual(['suspend', 'reinstate', 'suspend']);
    expect(audit).toEqual(all.body.items.map((e) => e.id));
  });
});

describe('admin lists refuse', () => {
  it('a bad limit or cursor naming the field, and a cursor of another list', async () => {
    const farm = await aFarm(app);
    const orgs = (await staff.agent.get<Page>('/api/admin/organisations?limit=1')).body.nextCursor as string;
    expect(orgs).toEqual(expect.any(String));
    const refused: [string, string][] = [
      ['/api/admin/organisations?limit=0', 'limit'],
      ['/api/admin/organisations?limit=201', 'limit'],
      [`/api/admin/organisations/${farm.organisationId}/members?limit=x`, 'limit'],
      ['/api/admin/organisations?cursor=nonsense!', 'cursor'],
      [`/api/admin/organisations/${farm.organisationId}/members?cursor=${encodeURIComponent(orgs)}`, 'cursor'],
      [`/api/admin/organisations/${farm.organisationId}/audit?cursor=${encodeURIComponent(orgs)}`, 'cursor'],
    ];
    for (const [path, field] of refused) {
      const res = await staff.agent.get<{ error: { fields?: Record<string, string> } }>(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(Object.keys(res.body.error.fields ?? {})).toEqual([field]);
    }
  });

  it('anyone but chamber staff: 403', async () => {
    const farm = await aFarm(app);
    for (const path of [
      '/api/admin/organisations?limit=5',
      `/api/admin/organisations/${farm.organisationId}/members?limit=5`,
      `/api/admin/organisations/${farm.organisationId}/audit?limit=5`,
    ]) {
      expect((await farm.agent.get(path)).status).toBe(403);
    }
  });
});
