import { createHash } from 'node:crypto';
import express from 'express';
import { errorHandler } from '../../server/http/error-handler';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { aPassword, aPhone, aSignup } from '../fixtures/accounts';

let app: TestApp;
beforeAll(async () => {
  // A smaller per-IP allowance so the per-IP limit can be shown without 30 requests.
  app = await startTestApp({
    throttle: { loginPerIp: { freeFailures: 8, baseDelayMs: 15_000, maxDelayMs: 3_600_000, windowMs: 86_400_000 } },
  });
});
afterAll(async () => {
  await app.close();
});

const withoutRequestId = (body: Record<string, unknown>) => {
  const error = { ...(body.error as Record<string, unknown>) };
  delete error.requestId;
  return { error };
};

describe('sign-up', () => {
  it('creates a pending organisation and its manager, signed in with a safe cookie', async () => {
    const agent = app.agent();
    const body = aSignup('farm');
    const reply = await agent.post<{ user: Record<string, unknown>; organisation: Record<string, unknown> }>(
      '/api/auth/signup',
      body,
    );
    expect(reply.status).toBe(201);
    expect(reply.body.organisation).toMatchObject({
      kind: 'farm',
      verification: 'pending',
      creditCode: body.organisation.creditCode,
      contactPhone: body.user.phone,
    });
    expect(reply.body.user).toMatchObject({
      role: 'manager',
      isAdmin: false,
      phone: body.user.phone,
      mustChangePassword: false,
      locale: 'zh-CN',
    });
    expect(reply.body.user).not.toHaveProperty('passwordHash');
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('fl.sid='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // PUBLIC_URL is http in tests

    const me = await agent.get<{ user: { id: string }; organisation: { id: string } }>('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(reply.body.user.id);
    expect(me.body.organisation.id).toBe(reply.body.organisation.id);
  });

  it('stores email in lower case and refuses the same email in another case (409 naming the field)', async () => {
    const first = aSignup('restaurant', { email: 'Chef.Wang@Example.COM' });
    const a = await app.agent().post<{ user: { email: string } }>('/api/auth/signup', first);
    expect(a.status).toBe(201);
    expect(a.body.user.email).toBe('chef.wang@example.com');
    const second = aSignup('restaurant', { email: 'chef.wang@example.com' });
    const b = await app.agent().post('/api/auth/signup', second);
    expect(b.status).toBe(409);
    expect(b.body).toMatchObject({ error: { code: 'CONFLICT', fields: { 'user.email': expect.any(String) } } });
  });

  it('refuses a credit code that is already registered', async () => {
    const first = aSignup('farm');
    expect((await app.agent().post('/api/auth/signup', first)).status).toBe(201);
    const again = aSignup('farm');
    again.organisation.creditCode = first.organisation.creditCode;
    const reply = await app.agent().post('/api/auth/signup', again);
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({
      error: { code: 'CONFLICT', fields: { 'organisation.creditCode': expect.any(String) } },
    });
  });

  it('answers 400 VALIDATION naming every bad field', async () => {
    const body = aSignup('farm');
    const bad = {
      ...body,
      kind: 'chamber',
      organisation: {
        ...body.organisation,
        creditCode: '91350100M000100Y44',
        address: { province: '江西省', city: '' },
      },
      user: { ...body.user, phone: '12345', password: 'password123' },
    };
    const reply = await app
      .agent()
      .post<{ error: { code: string; fields: Record<string, string> } }>('/api/auth/signup', bad);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('VALIDATION');
    expect(Object.keys(reply.body.error.fields).sort()).toEqual(
      [
        'kind',
        'organisation.address.city',
        'organisation.address.county',
        'organisation.creditCode',
        'user.password',
        'user.phone',
      ].sort(),
    );
    expect(reply.body.error.fields['user.password']).toMatch(/common/);
  });

  it('slows down many sign-ups from one address (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const reply = await app
        .agent()
        .post('/api/auth/signup', { kind: 'farm' }, { headers: { 'x-forwarded-for': '10.9.9.9' } });
      statuses.push(reply.status);
    }
    // Invalid bodies are refused before they count; valid ones count per IP.
    expect(statuses.every((s) => s === 400)).toBe(true);
    const counted: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const reply = await app
        .agent()
        .post('/api/auth/signup', aSignup('farm'), { headers: { 'x-forwarded-for': '10.9.9.10' } });
      counted.push(reply.status);
    }
    expect(counted.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(counted[10]).toBe(429);
  });

  it('slows down probing with sign-ups that clash with a registered phone', async () => {
    const first = aSignup('farm');
    expect((await app.agent().post('/api/auth/signup', first)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await app.agent().post('/api/auth/signup', aSignup('farm', { phone: first.user.phone }))).status);
    expect(statuses).toEqual([409, 409, 409, 409, 409, 429, 429]);
  });

  it('needs a phone or an email', async () => {
    const body = aSignup('farm');
    const { phone: _phone, ...userWithoutPhone } = body.user;
    const reply = await app.agent().post('/api/auth/signup', { ...body, user: userWithoutPhone });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'VALIDATION', fields: { 'user.phone': expect.any(String) } } });
  });
});

describe('sign-in and sign-out', () => {
  let phone: string;
  let password: string;
  const email = 'Li.Na@Example.com';
  beforeAll(async () => {
    const body = aSignup('restaurant', { email });
    phone = body.user.phone;
    password = body.user.password;
    expect((await app.agent().post('/api/auth/signup', body)).status).toBe(201);
  });

  it('signs in with the mobile number or the email (any case), with a new session id each time', async () => {
    const agent = app.agent();
    await agent.login(phone, password);
    const first = agent.cookie;
    await agent.login(email.toUpperCase(), password);
    expect(agent.cookie).toBeDefined();
    expect(agent.cookie).not.toBe(first);
    expect((await agent.get('/api/me')).status).toBe(200);
  });

  it('answers a wrong password and an unknown account with the same 401 body', async () => {
    const wrong = await app
      .agent()
      .post(
        '/api/auth/login',
        { login: phone, password: 'not-the-password-1' },
        { headers: { 'x-forwarded-for': '10.1.1.1' } },
      );
    const unknown = await app
      .agent()
      .post(
        '/api/auth/login',
        { login: aPhone(), password: 'not-the-password-1' },
        { headers: { 'x-forwarded-for': '10.1.1.1' } },
      );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
    expect(wrong.body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('destroys the session at sign-out: the old cookie no longer works', async () => {
    const agent = app.agent();
    await agent.login(phone, password);
    const stolen = agent.cookie;
    const out = await agent.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect(agent.cookie).toBeUndefined();
    const replay = await app.agent().get('/api/me', { headers: { cookie: stolen ?? '' } });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('GET /api/me is 401 when anonymous', async () => {
    expect((await app.agent().get('/api/me')).status).toBe(401);
  });
});

describe('rate limiting', () => {
  it('after wrong passwords from many addresses, the right password from an address that has not been failing still signs in', async () => {
    const body = aSignup('farm');
    expect((await app.agent().post('/api/auth/signup', body)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      // Different IPs: the account-wide count only slows attempts down (scale, issue 11: no lockout DoS).
      const reply = await app
        .agent()
        .post(
          '/api/auth/login',
          { login: body.user.phone, password: `wrong-password-${i}` },
          { headers: { 'x-forwarded-for': `10.2.0.${i}` } },
        );
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401]);
    const right = await app
      .agent()
      .post(
        '/api/auth/login',
        { login: body.user.phone, password: body.user.password },
        { headers: { 'x-forwarded-for': '10.2.1.1' } },
      );
    expect(right.status).toBe(200);
  });

  it('answers 429 with Retry-After after 5 wrong passwords for an account from one address, even for the right one', async () => {
    const body = aSignup('farm');
    expect((await app.agent().post('/api/auth/signup', body)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const reply = await app
        .agent()
        .post(
          '/api/auth/login',
          { login: body.user.phone, password: `wrong-password-${i}` },
          { headers: { 'x-forwarded-for': '10.2.2.2' } },
        );
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const right = await app
      .agent()
      .post(
        '/api/auth/login',
        { login: body.user.phone, password: body.user.password },
        { headers: { 'x-forwarded-for': '10.2.2.2' } },
      );
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(right.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // The counters live in MongoDB, one document per key: the account's and the (account, address) pair's.
    const doc = await app.db.connection
      .collection('ratelimits')
      .findOne({ _id: `login:acct:${body.user.phone}` as never });
    expect(doc).toMatchObject({ failures: 5 });
    const pair = await app.db.connection
      .collection('ratelimits')
      .findOne({ _id: `login:acct-ip:${body.user.phone}|10.2.2.2` as never });
    expect(pair).toMatchObject({ failures: 5 });
  });

  it('limits an IP that tries many accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const reply = await app
        .agent()
        .post(
          '/api/auth/login',
          { login: aPhone(), password: 'guessing-123' },
          { headers: { 'x-forwarded-for': '10.3.3.3' } },
        );
      statuses.push(reply.status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without Origin or Referer', async () => {
    const reply = await app
      .agent()
      .post('/api/auth/login', { login: aPhone(), password: aPassword() }, { origin: null });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ error: { code: 'CSRF' } });
  });

  it('refuses another origin, even a look-alike', async () => {
    for (const origin of ['https://evil.example', `${app.origin}.evil.example`, 'null']) {
      const reply = await app.agent().post('/api/auth/signup', aSignup('farm'), { origin });
      expect(reply.status).toBe(403);
    }
  });

  it('accepts the app origin from Referer when Origin is absent', async () => {
    const reply = await app
      .agent()
      .post('/api/auth/signup', aSignup('farm'), { origin: null, referer: `${app.origin}/signup?x=1` });
    expect(reply.status).toBe(201);
  });

  it('lets safe methods through without Origin', async () => {
    expect((await app.agent().get('/api/me', { origin: null })).status).toBe(401);
  });
});

describe('hostile and malformed input', () => {
  it('refuses operator injection in login with 400 before any query', async () => {
    const reply = await app.agent().post('/api/auth/login', { login: { $ne: null }, password: { $gt: '' } });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      error: { code: 'VALIDATION', fields: { login: expect.any(String), password: expect.any(String) } },
    });
  });

  it('refuses malformed JSON with 400', async () => {
    const reply = await app.agent().request('POST', '/api/auth/login', { rawBody: '{"login": "1390000' });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('refuses a non-object body', async () => {
    const reply = await app.agent().request('POST', '/api/auth/login', { rawBody: '["x"]' });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'VALIDATION' } });
  });
});

describe('own account', () => {
  it('PATCH /api/me changes display name and locale', async () => {
    const agent = app.agent();
    expect((await agent.post('/api/auth/signup', aSignup('farm'))).status).toBe(201);
    const reply = await agent.patch('/api/me', { displayName: '  老李  ', locale: 'en' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ user: { displayName: '老李', locale: 'en' } });
    expect((await agent.patch('/api/me', { locale: 'fr' })).status).toBe(400);
  });

  it('changing the password keeps this session, ends the others, and needs the current password', async () => {
    const body = aSignup('farm');
    const here = app.agent();
    expect((await here.post('/api/auth/signup', body)).status).toBe(201);
    const elsewhere = app.agent();
    await elsewhere.login(body.user.phone, body.user.password);

    const wrong = await here.post('/api/auth/change-password', {
      currentPassword: 'not-it-at-all',
      newPassword: aPassword(),
    });
    expect(wrong.status).toBe(401);
    const weak = await here.post('/api/auth/change-password', {
      currentPassword: body.user.password,
      newPassword: 'qwertyuiop',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: { fields: { newPassword: expect.stringMatching(/common/) } } });

    const newPassword = aPassword();
    expect(
      (await here.post('/api/auth/change-password', { currentPassword: body.user.password, newPassword })).status,
    ).toBe(204);
    expect((await here.get('/api/me')).status).toBe(200);
    expect((await elsewhere.get('/api/me')).status).toBe(401);
    await app.agent().login(body.user.phone, newPassword);
  });
});

describe('headers and sessions store', () => {
  it('sends helmet headers with a CSP for our own scripts and socket.io', async () => {
    const reply = await app.agent().get('/healthz');
    const csp = reply.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps sessions in MongoDB under a hashed id with a TTL index that removes expired ones', async () => {
    const agent = app.agent();
    expect((await agent.post('/api/auth/signup', aSignup('farm'))).status).toBe(201);
    const sessions = app.db.connection.collection('sessions');
    const indexes = await sessions.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: { expires: 1 }, expireAfterSeconds: 0 })]),
    );
    const rawSid = decodeURIComponent(agent.cookie!.split('=')[1]).slice(2).split('.')[0];
    expect(await sessions.findOne({ _id: rawSid as never })).toBeNull();
    const hashed = createHash('sha256').update(rawSid).digest('hex');
    expect(await sessions.findOne({ _id: hashed as never })).toMatchObject({
      session: { passport: { user: { id: expect.any(String) } } },
    });
    expect(await sessions.countDocuments()).toBeGreaterThan(0);

    await sessions.insertOne({ _id: 'expired-session' as never, session: {}, expires: new Date(Date.now() - 1000) });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await sessions.findOne({ _id: 'expired-session' as never }))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await sessions.findOne({ _id: 'expired-session' as never })).toBeNull();
  });
});

describe('unexpected errors', () => {
  it('answer 500 with a generic message and the request id, never the stack or the message', async () => {
    const mini = express();
    mini.use((req, _res, next) => {
      (req as unknown as { id: string }).id = 'req-42';
      next();
    });
    mini.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    mini.use(errorHandler);
    const server = mini.listen(0);
    const port = (server.address() as { port: number }).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/boom`);
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toEqual({
        error: { code: 'INTERNAL', message: 'Something went wrong on our side.', requestId: 'req-42' },
      });
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('at ');
    } finally {
      server.close();
    }
  });
});
