/**
 * The listing's reply bytes (ETag, 304, invalidation by lot changes) and the caller cache, invalidated
 * across two app instances on one database through Redis (issue 11).
 */
import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisLink } from '../../server/realtime/redis-adapter';
import { aChamberUser, aFarm } from '../fixtures/accounts';
import { startRedis, type RedisRun } from '../fixtures/redis-server';
import { startTestApp, type TestApp } from '../fixtures/test-app';

jest.setTimeout(60_000);
const silent = { warn: () => undefined, info: () => undefined };

const lotBody = () => ({
  productCode: 'shiitake',
  quantityGrams: 100_000,
  harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
});

let redis: RedisRun;
const links: RedisLink[] = [];
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  redis = await startRedis();
  links.push(await connectRedis(redis.url, silent), await connectRedis(redis.url, silent));
  const secret = randomBytes(32).toString('hex');
  a = await startTestApp({ redis: links[0], env: { SESSION_SECRET: secret } });
  b = await startTestApp({ redis: links[1], db: a.db, env: { SESSION_SECRET: secret } });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await Promise.all(links.map((l) => l.close()));
  await redis?.stop();
});

describe('lot listing from cached bytes', () => {
  it('answers the same ETag until a lot changes, 304 for If-None-Match, and the new lot at once after a post', async () => {
    const farm = await aFarm(a);
    const first = await farm.agent.get<{ items: { id: string }[] }>('/api/lots?status=open');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const again = await farm.agent.get('/api/lots?status=open', { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    const posted = await farm.agent.post<{ id: string }>('/api/lots', lotBody());
    expect(posted.status).toBe(201);
    const after = await farm.agent.get<{ items: { id: string }[] }>('/api/lots?status=open', {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.body.items.map((l) => l.id)).toContain(posted.body.id);
  });

  it('still refuses anonymous callers and bad queries as the route does', async () => {
    expect((await a.agent().get('/api/lots?status=open')).status).toBe(401);
    const farm = await aFarm(a);
    const bad = await farm.agent.get('/api/lots?limit=0');
    expect(bad.status).toBe(400);
  });
});

describe('caller cache across two app instances', () => {
  it('when the chamber suspends an organisation on A, then B refuses its members at once although B had them cached', async () => {
    const farm = await aFarm(a);
    const staff = await aChamberUser(a, { admin: true });
    // The same session cookie on B (shared database and secret): B caches the caller.
    const onB = b.agent();
    onB.cookie = farm.agent.cookie;
    const before = await onB.get<{ organisation: { verification: string } }>('/api/me');
    expect(before.body.organisation.verification).toBe('verified');
    expect((await onB.post('/api/lots', lotBody())).status).toBe(201);

    const suspended = await staff.agent.post(`/api/admin/organisations/${farm.organisationId}/suspend`, {
      reason: '食品安全投诉',
    });
    expect(suspended.status).toBe(200);
    // The invalidation travels A → Redis → B; allow it the few milliseconds it takes, not the cache's 10 s.
    let seen = '';
    for (let i = 0; i < 40 && seen !== 'suspended'; i++) {
      seen = (await onB.get<{ organisation: { verification: string } }>('/api/me')).body.organisation.verification;
      if (seen !== 'suspended') await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen).toBe('suspended');
    const refused = await onB.post<{ error: { code: string } }>('/api/lots', lotBody());
    expect(refused.status).toBe(403);
  });

  it('when a user changes their password on A, then their other sessions are refused on B', async () => {
    const farm = await aFarm(a);
    const elsewhere = b.agent();
    await elsewhere.login(farm.phone, farm.password);
    expect((await elsewhere.get('/api/me')).status).toBe(200); // cached on B now
    const changed = await farm.agent.post('/api/auth/change-password', {
      currentPassword: farm.password,
      newPassword: `${farm.password}-new`,
    });
    expect(changed.status).toBeLessThan(300);
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      status = (await elsewhere.get('/api/me')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).toBe(401);
  });
});
