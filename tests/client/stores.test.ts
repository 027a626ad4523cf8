import { SessionStore } from '../../client/src/state/session';
import { QueueStore } from '../../client/src/state/queue';
import { OrganisationStore } from '../../client/src/state/organisation';
import { parseHash, RouterStore, type NavigateDetail } from '../../client/src/state/router';
import { request } from '../../client/src/api';
import { failureTitle } from '../../client/src/state/form';
import { aMe, anOrganisation, aUser, failure, fakeApi } from './fake-api';

describe('session', () => {
  it('is anonymous when /api/me answers 401', async () => {
    const session = new SessionStore(fakeApi({ me: async () => failure(401, 'UNAUTHENTICATED') }));
    await session.load();
    expect(session.state.status).toBe('anonymous');
  });

  it('turns the banner to verified when the chamber decides, without reloading', async () => {
    const me = aMe({ verification: 'pending' });
    const session = new SessionStore(fakeApi({ me: async () => ({ ok: true, data: me }) }));
    await session.load();
    session.applyVerification({
      organisationId: me.organisation.id,
      action: 'verify',
      verification: 'verified',
      at: '2026-11-26T09:00:00.000Z',
    });
    expect(session.state.me?.organisation.verification).toBe('verified');
    expect(session.state.verificationChangedLive).toBe(true);
  });

  it('shows the reason of a rejection and ignores events about other organisations', () => {
    const me = aMe();
    const session = new SessionStore(fakeApi());
    session.signedUp(me);
    session.applyVerification({
      organisationId: 'someone-else',
      action: 'verify',
      verification: 'verified',
      at: '2026-11-26T09:00:00.000Z',
    });
    expect(session.state.me?.organisation.verification).toBe('pending');
    session.applyVerification({
      organisationId: me.organisation.id,
      action: 'reject',
      verification: 'rejected',
      reason: '信用代码与名称不符',
      at: '2026-11-26T09:00:00.000Z',
    });
    expect(session.state.me?.organisation).toMatchObject({
      verification: 'rejected',
      verificationReason: '信用代码与名称不符',
    });
  });

  it('catches up after a reconnect: a decision missed while offline still reaches the banner', async () => {
    const me = aMe({ verification: 'pending' });
    const later = { ...me, organisation: { ...me.organisation, verification: 'verified' as const } };
    const session = new SessionStore(fakeApi({ me: async () => ({ ok: true, data: later }) }));
    session.signedUp(me);
    await session.refresh();
    expect(session.state.me?.organisation.verification).toBe('verified');
    expect(session.state.verificationChangedLive).toBe(true);
  });

  it('stays signed in when session:ended was about another session (password changed here)', async () => {
    const me = aMe();
    const session = new SessionStore(fakeApi({ me: async () => ({ ok: true, data: me }) }));
    session.signedUp(me);
    expect(await session.recheck('password-changed')).toBe(true);
    expect(session.state.status).toBe('signedIn');
  });

  it('signs out, with the reason, when the server really ended this session', async () => {
    const session = new SessionStore(fakeApi({ me: async () => failure(401, 'UNAUTHENTICATED') }));
    session.signedUp(aMe());
    expect(await session.recheck('removed')).toBe(false);
    expect(session.state).toMatchObject({ status: 'anonymous', me: null, endedReason: 'removed' });
  });

  it('clears the forced password change once the password is changed', () => {
    const session = new SessionStore(fakeApi());
    session.signedUp(aMe({}, { mustChangePassword: true }));
    expect(session.mustChangePassword).toBe(true);
    session.passwordChanged();
    expect(session.mustChangePassword).toBe(false);
  });
});

describe('verification queue', () => {
  it('lists whoever waited longest first', async () => {
    const older = anOrganisation({ createdAt: '2026-11-25T01:00:00.000Z' });
    const newer = anOrganisation({ createdAt: '2026-11-26T01:00:00.000Z' });
    const queue = new QueueStore(
      fakeApi({ organisations: async () => ({ ok: true, data: { items: [newer, older], nextCursor: null } }) }),
    );
    await queue.load();
    expect(queue.state.organisations?.map((o) => o.id)).toEqual([older.id, newer.id]);
  });

  it('reads older organisations a page at a time with the same filter, once each, still oldest first', async () => {
    const oldest = anOrganisation({ createdAt: '2026-11-24T01:00:00.000Z' });
    const older = anOrganisation({ createdAt: '2026-11-25T01:00:00.000Z' });
    const newer = anOrganisation({ createdAt: '2026-11-26T01:00:00.000Z' });
    const organisations = jest.fn(async (query: { cursor?: string }) =>
      query.cursor === 'c1'
        ? { ok: true as const, data: { items: [older, oldest], nextCursor: null } }
        : { ok: true as const, data: { items: [newer, older], nextCursor: 'c1' } },
    );
    const queue = new QueueStore(fakeApi({ organisations }));
    await queue.load('pending');
    expect(queue.state.cursor).toBe('c1');
    await queue.loadMore();
    expect(queue.state.organisations?.map((o) => o.id)).toEqual([oldest.id, older.id, newer.id]);
    expect(organisations.mock.calls.at(-1)?.[0]).toMatchObject({ verification: 'pending', cursor: 'c1' });
    expect(queue.state.cursor).toBeNull();
    await queue.loadMore(); // nothing more to read
    expect(organisations).toHaveBeenCalledTimes(2);
  });

  it('searches within the chosen state, and keeps the search on refresh', async () => {
    const organisations = jest.fn(async () => ({ ok: true as const, data: { items: [], nextCursor: null } }));
    const queue = new QueueStore(fakeApi({ organisations }));
    await queue.load('pending', ' 绿源 ');
    await queue.load();
    expect(organisations).toHaveBeenLastCalledWith({ verification: 'pending', q: '绿源', limit: 200 });
  });

  it('will not reject without a reason, and sends the reason when given', async () => {
    const org = anOrganisation();
    const decide = jest.fn(async () => ({
      ok: true as const,
      data: { organisation: { ...org, verification: 'rejected' as const, verificationReason: '地址不详' } },
    }));
    const queue = new QueueStore(
      fakeApi({ organisations: async () => ({ ok: true, data: { items: [org], nextCursor: null } }), decide }),
    );
    await queue.load();
    queue.startDecision(org.id, 'reject');
    expect(await queue.confirmDecision()).toBe(false);
    expect(decide).not.toHaveBeenCalled();
    queue.setReason('  地址不详 ');
    expect(await queue.confirmDecision()).toBe(true);
    expect(decide).toHaveBeenCalledWith(org.id, 'reject', '地址不详');
    expect(queue.state.organisations?.[0].verification).toBe('rejected');
    expect(queue.state.done).toEqual({ name: org.name, action: 'reject' });
  });

  it('keeps the draft and shows the error when another broker decided first (409)', async () => {
    const org = anOrganisation();
    const queue = new QueueStore(
      fakeApi({
        organisations: async () => ({ ok: true, data: { items: [org], nextCursor: null } }),
        decide: async () => failure(409, 'INVALID_TRANSITION'),
      }),
    );
    await queue.load();
    queue.startDecision(org.id, 'verify');
    expect(await queue.confirmDecision()).toBe(false);
    expect(queue.state.draft?.error?.code).toBe('INVALID_TRANSITION');
  });

  it('resets a member’s password and shows the one-time password once', async () => {
    const org = anOrganisation();
    const user = aUser({ organisationId: org.id, displayName: '李明' });
    const queue = new QueueStore(
      fakeApi({
        organisationMembers: async () => ({ ok: true, data: { items: [user], nextCursor: null } }),
        resetPassword: async () => ({ ok: true, data: { oneTimePassword: 'ab12-cd34-ef56' } }),
      }),
    );
    await queue.showMembers(org.id);
    expect(queue.state.members?.users).toEqual([user]);
    expect(await queue.resetPassword(user.id)).toBe(true);
    expect(queue.state.members?.reset).toEqual({ displayName: '李明', oneTimePassword: 'ab12-cd34-ef56' });
    await queue.showMembers(org.id);
    expect(queue.state.members?.reset).toBeNull();
  });

  it('reloads on a chamber:queue event only once the queue has been opened', async () => {
    const organisations = jest.fn(async () => ({ ok: true as const, data: { items: [], nextCursor: null } }));
    const queue = new QueueStore(fakeApi({ organisations }));
    const event = { organisationId: 'x', name: 'n', verification: 'pending' as const, at: '2026-11-26T09:00:00.000Z' };
    queue.applyQueueEvent(event);
    expect(organisations).not.toHaveBeenCalled();
    await queue.load();
    queue.applyQueueEvent(event);
    expect(organisations).toHaveBeenCalledTimes(2);
  });
});

describe('organisation: tokens and colleagues', () => {
  it('shows a new token secret once and forgets it after the next action', async () => {
    const store = new OrganisationStore(fakeApi({ revokeToken: async () => ({ ok: true, data: null }) }));
    store.tokenCreated(
      { id: 't1', name: '库存系统', prefix: 'fl_AbCd', createdAt: '2026-11-26T09:00:00.000Z' },
      'fl_secret',
    );
    expect(store.state.newTokenSecret).toEqual({ name: '库存系统', secret: 'fl_secret' });
    await store.revokeToken('t1');
    expect(store.state.newTokenSecret).toBeNull();
    expect(store.state.tokens).toEqual([]);
  });

  it('shows a colleague’s new role once the server confirms it', async () => {
    const user = aUser({ role: 'member' });
    const updateMember = jest.fn(async () => ({
      ok: true as const,
      data: { user: { ...user, role: 'manager' as const } },
    }));
    const store = new OrganisationStore(
      fakeApi({ members: async () => ({ ok: true, data: { items: [user], nextCursor: null } }), updateMember }),
    );
    await store.loadMembers();
    expect(await store.setRole(user.id, 'manager')).toBe(true);
    expect(updateMember).toHaveBeenCalledWith(user.id, { role: 'manager' });
    expect(store.state.members?.[0].role).toBe('manager');
  });

  it('keeps a colleague listed when the server refuses to remove the last manager', async () => {
    const user = aUser();
    const store = new OrganisationStore(
      fakeApi({
        members: async () => ({ ok: true, data: { items: [user], nextCursor: null } }),
        removeMember: async () => failure(409, 'LAST_MANAGER'),
      }),
    );
    await store.loadMembers();
    expect(await store.removeMember(user.id)).toBe(false);
    expect(store.state.members).toHaveLength(1);
    expect(store.state.error?.code).toBe('LAST_MANAGER');
  });
});

describe('router', () => {
  it('maps hashes to pages and unknown ones to not-found', () => {
    expect(parseHash('#/login')).toEqual({ name: 'signIn' });
    expect(parseHash('#/chamber/queue/')).toEqual({ name: 'queue' });
    expect(parseHash('')).toEqual({ name: 'organisation' });
    expect(parseHash('#/nope')).toEqual({ name: 'notFound', path: '/nope' });
  });

  it('asks the browser glue to replace the address on redirects', () => {
    const router = new RouterStore('#/login');
    const seen: NavigateDetail[] = [];
    router.addEventListener('navigate', (e) => seen.push((e as CustomEvent<NavigateDetail>).detail));
    router.go('organisation', { replace: true });
    expect(router.state.route).toEqual({ name: 'organisation' });
    expect(seen).toEqual([{ href: '#/org', replace: true }]);
  });
});

describe('typed fetch', () => {
  const respond = (status: number, body?: unknown) => async () =>
    new Response(body === undefined ? null : JSON.stringify(body), { status });

  it('reads {error:{code,message,fields}} into a failure', async () => {
    const r = await request(
      respond(400, {
        error: { code: 'VALIDATION', message: 'bad', fields: { 'user.email': 'Must be an email address' } },
      }),
      'POST',
      '/x',
      {},
    );
    expect(r).toEqual({
      ok: false,
      error: {
        status: 400,
        code: 'VALIDATION',
        message: 'bad',
        fields: { 'user.email': 'Must be an email address' },
        requestId: undefined,
      },
    });
  });

  it('treats 204 as success and a dropped connection as NETWORK', async () => {
    expect(await request(respond(204), 'POST', '/x', {})).toEqual({ ok: true, data: null });
    const offline = await request(async () => Promise.reject(new TypeError('Failed to fetch')), 'GET', '/x');
    expect(offline.ok ? null : offline.error.code).toBe('NETWORK');
  });

  it('reads Retry-After of a 429 so the sign-in form can say how long to wait', async () => {
    const fetchImpl = async () =>
      new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many attempts' } }), {
        status: 429,
        headers: { 'retry-after': '30' },
      });
    const r = await request(fetchImpl, 'POST', '/api/auth/login', {});
    expect(r.ok ? null : r.error.retryAfterSeconds).toBe(30);
    expect(r.ok ? null : failureTitle(r.error).title).toEqual({ key: 'errors.rateLimitedSeconds', params: { n: 30 } });
  });

  it('sends JSON with same-origin credentials', async () => {
    const fetchImpl = jest.fn(respond(200, {}));
    await request(fetchImpl, 'POST', '/api/auth/login', { login: 'a', password: 'b' });
    expect(fetchImpl).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({ method: 'POST', credentials: 'same-origin', body: '{"login":"a","password":"b"}' }),
    );
  });
});
