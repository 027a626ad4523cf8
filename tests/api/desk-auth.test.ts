import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');

describe('who may use the chamber desk', () => {
  let app: DeskApp;
  let farm: Client;
  let restaurant: Client;
  let staff: Client;
  let admin: Client;

  beforeAll(async () => {
    app = await startDeskApp('desk_auth', T0);
    farm = await app.signIn('farm');
    restaurant = await app.signIn('restaurant');
    const chamber = await app.org('chamber', { name: '红谷滩区工商联' });
    staff = await app.signIn('chamber', { orgId: chamber.id });
    admin = await app.signIn('chamber', { orgId: chamber.id, isAdmin: true });
  });
  afterAll(() => app.close());

  const routes: [string, string][] = [
    ['GET', '/api/ledger'],
    ['GET', '/api/ledger/export.csv'],
    ['GET', '/api/ledger/sell-through'],
    ['GET', '/api/visits'],
    ['POST', '/api/visits'],
    ['GET', '/api/problems'],
    ['POST', '/api/problems'],
    ['PATCH', '/api/problems/0123456789abcdef01234567'],
    ['POST', '/api/problems/0123456789abcdef01234567/transition'],
    ['POST', '/api/problems/0123456789abcdef01234567/links'],
    ['GET', '/api/desk/at-risk'],
    ['POST', '/api/desk/lots/lot-1/find-buyers'],
    ['POST', '/api/desk/match-all'],
    ['POST', '/api/desk/proposals/send'],
  ];

  const call = (c: Client, method: string, url: string) =>
    method === 'GET' ? c.get(url) : method === 'PATCH' ? c.patch(url, {}) : c.post(url, {});

  it.each(routes)('%s %s: a farm and a restaurant get 403 FORBIDDEN, anonymous 401', async (method, url) => {
    for (const c of [farm, restaurant]) {
      const res = await call(c, method, url);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('FORBIDDEN');
    }
    expect((await call(app.anonymous(), method, url)).status).toBe(401);
  });

  it('lets chamber staff and admins in', async () => {
    for (const c of [staff, admin]) {
      expect((await c.get('/api/ledger')).status).toBe(200);
      expect((await c.get('/api/problems')).status).toBe(200);
      expect((await c.get('/api/desk/at-risk')).status).toBe(200);
    }
  });
});
