import { startTestApp, type TestApp } from '../fixtures/test-app';
import { aChamberUser, aRestaurant, aSignup } from '../fixtures/accounts';

const lines: string[] = [];
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ logLines: lines });
});
afterAll(async () => {
  await app.close();
});

describe('logs', () => {
  it('never contain passwords, one-time passwords, API tokens or session ids', async () => {
    const secrets: string[] = [];
    const agent = app.agent();
    const body = aSignup('restaurant');
    secrets.push(body.user.password);
    await agent.post('/api/auth/signup', body);
    secrets.push(decodeURIComponent(agent.cookie!.split('=')[1]));
    await app.agent().post('/api/auth/login', { login: body.user.phone, password: 'a-wrong-password-xyz' });
    secrets.push('a-wrong-password-xyz');
    await agent.post('/api/auth/login', { login: body.user.phone, password: body.user.password });
    secrets.push(decodeURIComponent(agent.cookie!.split('=')[1]));

    const restaurant = await aRestaurant(app);
    const token = await restaurant.agent.post<{ secret: string }>('/api/tokens', { name: 'POS' });
    secrets.push(token.body.secret);
    await app.agent().get('/api/me', { bearer: token.body.secret });
    await app.agent().get('/api/me', { bearer: `${token.body.secret.slice(0, -1)}x` });

    const staff = await aChamberUser(app, { admin: false });
    const reset = await staff.agent.post<{ oneTimePassword: string }>(
      `/api/admin/users/${restaurant.userId}/reset-password`,
    );
    secrets.push(reset.body.oneTimePassword);
    await app.agent().post('/api/auth/change-password', {
      currentPassword: reset.body.oneTimePassword,
      newPassword: 'Brand-new-pass-2026',
    });
    secrets.push('Brand-new-pass-2026');
    await app
      .agent()
      .request('POST', '/api/auth/login', { rawBody: `{"login": "x", "password": "${body.user.password}` });

    await new Promise((r) => setTimeout(r, 100));
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(all).toContain('request completed');
    for (const secret of secrets) {
      expect(all).not.toContain(secret);
      // session ids also appear without their signature
      if (secret.startsWith('s:')) expect(all).not.toContain(secret.slice(2).split('.')[0]);
    }
  });

  it('log one short line per request: id, method, url, address and status — no headers', async () => {
    const restaurant = await aRestaurant(app);
    lines.length = 0;
    await restaurant.agent.get('/api/me', { headers: { 'x-request-id': 'trace-me-1' } });
    await new Promise((r) => setTimeout(r, 100));
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({
      req: { id: 'trace-me-1', method: 'GET', url: '/api/me' },
      res: { statusCode: 200 },
    });
    expect(JSON.stringify(line)).not.toContain('headers');
  });
});
