import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { aChamberUser, aFarm, aRestaurant } from '../fixtures/accounts';

let app: TestApp;
// The app's time, moved by the tests. It starts at the real now (whole seconds): the database's TTL monitor
// deletes expired tokens by the real clock, so a fixed past date let it remove a token the app still
// counted as valid (a 401 where 200 was due, whenever a TTL pass fell inside the test).
let currentTime = new Date(Math.floor(Date.now() / 1000) * 1000);
beforeAll(async () => {
  app = await startTestApp({ now: () => currentTime });
});
afterAll(async () => {
  await app.close();
});

interface Created {
  token: { id: string; name: string; prefix: string; createdAt: string; expiresAt?: string };
  secret: string;
}

describe('personal API tokens', () => {
  it('creates (secret shown once), lists without the secret, authenticates with Bearer, revokes', async () => {
    const restaurant = await aRestaurant(app);
    const created = await restaurant.agent.post<Created>('/api/tokens', { name: '收银系统' });
    expect(created.status).toBe(201);
    const { secret, token } = created.body;
    expect(secret).toMatch(/^fl_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: '收银系统', prefix: secret.slice(0, 7) });

    const stored = await app.db.connection.collection('apitokens').findOne({});
    expect(stored?.hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const list = await restaurant.agent.get<{ items: Record<string, unknown>[] }>('/api/tokens');
    expect(list.body).toEqual({
      items: [expect.objectContaining({ id: token.id, name: '收银系统' })],
      nextCursor: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const asToken = app.agent();
    const me = await asToken.get('/api/me', { bearer: secret });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: restaurant.userId } });
    // No cookie is issued to token clients.
    expect(asToken.cookie).toBeUndefined();
    // Bearer requests are CSRF-exempt: no Origin needed.
    const patched = await asToken.patch('/api/me', { displayName: '收银机' }, { bearer: secret, origin: null });
    expect(patched.status).toBe(200);
    // lastUsedAt is recorded
    const listed = await restaurant.agent.get<{ items: { lastUsedAt?: string }[] }>('/api/tokens');
    expect(listed.body.items[0].lastUsedAt).toBe(currentTime.toISOString());

    // A token cannot manage tokens or change the password.
    expect((await asToken.post('/api/tokens', { name: 'more' }, { bearer: secret })).body).toMatchObject({
      error: { code: 'SESSION_REQUIRED' },
    });
    expect((await asToken.get('/api/tokens', { bearer: secret })).status).toBe(403);
    expect(
      (
        await asToken.post(
          '/api/auth/change-password',
          { currentPassword: 'x', newPassword: 'Long-enough-pass-1' },
          { bearer: secret },
        )
      ).status,
    ).toBe(403);

    expect((await restaurant.agent.delete(`/api/tokens/${token.id}`)).status).toBe(204);
    const revoked = await asToken.get('/api/me', { bearer: secret });
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await restaurant.agent.delete(`/api/tokens/${token.id}`)).status).toBe(404);
  });

  it('refuses unknown and malformed tokens with 401, even on routes that allow anonymous use', async () => {
    expect((await app.agent().get('/api/me', { bearer: `fl_${'x'.repeat(43)}` })).status).toBe(401);
    expect((await app.agent().post('/api/auth/logout', undefined, { bearer: 'nonsense' })).status).toBe(401);
  });

  it('expires tokens created with expiresInDays', async () => {
    const restaurant = await aRestaurant(app);
    const created = await restaurant.agent.post<Created>('/api/tokens', { name: '短期', expiresInDays: 1 });
    expect(created.body.token.expiresAt).toBe(new Date(currentTime.getTime() + 86_400_000).toISOString());
    expect((await app.agent().get('/api/me', { bearer: created.body.secret })).status).toBe(200);
    currentTime = new Date(currentTime.getTime() + 2 * 86_400_000);
    expect((await app.agent().get('/api/me', { bearer: created.body.secret })).status).toBe(401);
  });

  it('are for restaurants and the chamber, not farms; one user cannot see or revoke another’s', async () => {
    const farm = await aFarm(app);
    const refused = await farm.agent.post('/api/tokens', { name: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await farm.agent.get('/api/tokens')).status).toBe(403);

    const chamber = await aChamberUser(app, { admin: false });
    const mine = await chamber.agent.post<Created>('/api/tokens', { name: '报表' });
    expect(mine.status).toBe(201);
    const restaurant = await aRestaurant(app);
    expect((await restaurant.agent.get<{ items: unknown[] }>('/api/tokens')).body.items).toEqual([]);
    expect((await restaurant.agent.delete(`/api/tokens/${mine.body.token.id}`)).status).toBe(404);
    // A chamber token reaches the chamber's routes.
    expect((await app.agent().get('/api/admin/organisations', { bearer: mine.body.secret })).status).toBe(200);
  });

  it('stop working when the user’s password is reset', async () => {
    const restaurant = await aRestaurant(app);
    const created = await restaurant.agent.post<Created>('/api/tokens', { name: 'POS' });
    const staff = await aChamberUser(app, { admin: false });
    await staff.agent.post(`/api/admin/users/${restaurant.userId}/reset-password`);
    expect((await app.agent().get('/api/me', { bearer: created.body.secret })).status).toBe(401);
  });
});
