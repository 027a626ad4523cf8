/**
 * Who may call what: every API route and every socket event × every kind of principal, with the
 * status (and error code) expected. The route list is read from the Express router at runtime and the
 * event list from the registered socket handlers, so adding either without a row here fails this test.
 */
import type { Router } from 'express';
import { Types } from 'mongoose';
import { startTestApp, emitWithAck, type TestApp } from '../fixtures/test-app';
import {
  aChamberUser,
  aFarm,
  aPassword,
  aPendingFarm,
  aPhone,
  aRestaurant,
  aBuyer,
  aSignup,
  type Member,
} from '../fixtures/accounts';
import type { SocketContext } from '../../server/realtime/context';
import { CLIENT_EVENT_NAMES } from '../../shared/events';
import { DESK_ROUTES } from './matrix/desk.rows';
import { MARKET_ROUTES } from './matrix/market.rows';
import { MARKET_EVENTS } from './matrix/market.socket.rows';
import { PROGRAMME_EVENTS, PROGRAMME_ROUTES } from './matrix/programme.rows';
import {
  chamberOnly,
  everyone,
  PRINCIPALS,
  signedIn,
  tokenUsers,
  type AckExpectation,
  type Cell,
  type EventRow,
  type MatrixContext,
  type PrincipalName,
  type RouteRow,
} from './matrix/support';

let app: TestApp;
let someFarm: Member;
const shared = new Map<PrincipalName, Member | null>();

async function makePrincipal(name: PrincipalName): Promise<Member | null> {
  switch (name) {
    case 'anonymous':
      return null;
    case 'pendingFarm':
      return aPendingFarm(app);
    case 'verifiedFarm':
      return aFarm(app);
    case 'restaurant':
      return aRestaurant(app);
    case 'pendingRestaurant':
      return aRestaurant(app, 'pending');
    case 'canteen':
      return aBuyer(app, 'canteen');
    case 'chamberStaff':
      return aChamberUser(app, { admin: false });
    case 'admin':
      return aChamberUser(app, { admin: true });
  }
}

const pendingFarmId = async (cell: Cell) =>
  cell.succeeds ? (await aPendingFarm(app)).organisationId : someFarm.organisationId;

const ROUTES: Record<string, RouteRow> = {
  'POST /api/auth/signup': {
    fresh: true,
    request: async () => ({ path: '/api/auth/signup', body: aSignup('restaurant') }),
    expect: everyone(201),
  },
  'POST /api/auth/login': {
    fresh: true,
    request: async ({ member }) => ({
      path: '/api/auth/login',
      body: member ? { login: member.phone, password: member.password } : { login: aPhone(), password: aPassword() },
    }),
    expect: { ...everyone(200), anonymous: [401, 'INVALID_CREDENTIALS'] },
  },
  'POST /api/auth/logout': { fresh: true, request: async () => ({ path: '/api/auth/logout' }), expect: everyone(204) },
  'POST /api/auth/change-password': {
    fresh: true,
    request: async ({ member }) => ({
      path: '/api/auth/change-password',
      body: { currentPassword: member?.password ?? 'whatever-it-is', newPassword: aPassword() },
    }),
    expect: signedIn(204),
  },
  'GET /api/me': { request: async () => ({ path: '/api/me' }), expect: signedIn(200) },
  'PATCH /api/me': { request: async () => ({ path: '/api/me', body: { locale: 'zh-CN' } }), expect: signedIn(200) },
  'GET /api/organisation/members': {
    request: async () => ({ path: '/api/organisation/members' }),
    expect: signedIn(200),
  },
  'POST /api/organisation/members': {
    request: async () => ({ path: '/api/organisation/members', body: { displayName: '同事', phone: aPhone() } }),
    expect: { ...signedIn(201), chamberStaff: [403, 'FORBIDDEN'] },
  },
  'PATCH /api/organisation/location': {
    request: async () => ({ path: '/api/organisation/location', body: { lat: 28.68, lng: 115.86 } }),
    expect: { ...signedIn(200), chamberStaff: [403, 'FORBIDDEN'], admin: [403, 'FORBIDDEN'] },
  },
  'PATCH /api/organisation/members/:id': {
    request: async ({ agent }) => {
      const added = await agent.post<{ user?: { id: string } }>('/api/organisation/members', {
        displayName: '升职',
        phone: aPhone(),
      });
      return { path: `/api/organisation/members/${added.body.user?.id ?? someFarm.userId}`, body: { role: 'manager' } };
    },
    expect: { ...signedIn(200), chamberStaff: [403, 'FORBIDDEN'] },
  },
  'DELETE /api/organisation/members/:id': {
    request: async ({ agent }) => {
      const added = await agent.post<{ user?: { id: string } }>('/api/organisation/members', {
        displayName: '临时',
        phone: aPhone(),
      });
      return { path: `/api/organisation/members/${added.body.user?.id ?? someFarm.userId}` };
    },
    expect: { ...signedIn(204), chamberStaff: [403, 'FORBIDDEN'] },
  },
  'GET /api/admin/organisations': {
    request: async () => ({ path: '/api/admin/organisations?verification=pending' }),
    expect: chamberOnly(200),
  },
  'GET /api/admin/organisations/:id': {
    request: async () => ({ path: `/api/admin/organisations/${someFarm.organisationId}` }),
    expect: chamberOnly(200),
  },
  'GET /api/admin/organisations/:id/members': {
    request: async () => ({ path: `/api/admin/organisations/${someFarm.organisationId}/members` }),
    expect: chamberOnly(200),
  },
  'GET /api/admin/organisations/:id/audit': {
    request: async () => ({ path: `/api/admin/organisations/${someFarm.organisationId}/audit` }),
    expect: chamberOnly(200),
  },
  'POST /api/admin/organisations/:id/verify': {
    request: async (cell) => ({ path: `/api/admin/organisations/${await pendingFarmId(cell)}/verify` }),
    expect: chamberOnly(200),
  },
  'POST /api/admin/organisations/:id/reject': {
    request: async (cell) => ({
      path: `/api/admin/organisations/${await pendingFarmId(cell)}/reject`,
      body: { reason: '材料不全' },
    }),
    expect: chamberOnly(200),
  },
  'POST /api/admin/organisations/:id/suspend': {
    request: async ({ succeeds }) => ({
      path: `/api/admin/organisations/${succeeds ? (await aFarm(app)).organisationId : someFarm.organisationId}/suspend`,
      body: { reason: '投诉' },
    }),
    expect: chamberOnly(200),
  },
  'POST /api/admin/organisations/:id/reinstate': {
    request: async ({ succeeds }) => ({
      path: `/api/admin/organisations/${succeeds ? (await aFarm(app, 'suspended')).organisationId : someFarm.organisationId}/reinstate`,
    }),
    expect: chamberOnly(200),
  },
  'POST /api/admin/users/:id/reset-password': {
    request: async ({ succeeds }) => ({
      path: `/api/admin/users/${succeeds ? (await aFarm(app)).userId : someFarm.userId}/reset-password`,
    }),
    expect: chamberOnly(200),
  },
  'GET /api/tokens': { request: async () => ({ path: '/api/tokens' }), expect: tokenUsers(200) },
  'POST /api/tokens': {
    request: async () => ({ path: '/api/tokens', body: { name: '对接' } }),
    expect: tokenUsers(201, [403, 'VERIFICATION_PENDING']),
  },
  'DELETE /api/tokens/:id': {
    request: async ({ agent }) => {
      const created = await agent.post<{ token?: { id: string } }>('/api/tokens', { name: '待删' });
      return { path: `/api/tokens/${created.body.token?.id ?? '5f0000000000000000000000'}` };
    },
    expect: tokenUsers(204, [404, 'NOT_FOUND']),
  },
  ...MARKET_ROUTES,
  ...DESK_ROUTES,
  ...PROGRAMME_ROUTES,
  'GET /api/openapi.json': { request: async () => ({ path: '/api/openapi.json' }), expect: everyone(200) },
  // Only ever the caller's own organisation and user channels: nothing in the request names someone else's.
  'GET /api/notifications': {
    request: async () => ({ path: '/api/notifications?channel=org&afterSeq=0' }),
    expect: signedIn(200),
  },
  // Only ever the caller's own organisation's keys: a key of someone else's answers "unknown" (tests/api/outcomes.test.ts).
  'POST /api/outcomes': {
    request: async () => ({ path: '/api/outcomes', body: { keys: ['matrix-key-1'] } }),
    expect: signedIn(200),
  },
  'POST /api/notifications/read': {
    request: async () => ({ path: '/api/notifications/read', body: { channel: 'user', upToSeq: 0 } }),
    expect: signedIn(200),
  },
  // The notification centre: the caller's own channels only (tests/api/notification-centre.test.ts).
  'GET /api/notifications/centre': {
    request: async () => ({ path: '/api/notifications/centre?limit=5' }),
    expect: signedIn(200),
  },
  'GET /api/notifications/unread': {
    request: async () => ({ path: '/api/notifications/unread' }),
    expect: signedIn(200),
  },
  'POST /api/notifications/read-up-to': {
    request: async () => ({ path: '/api/notifications/read-up-to', body: { upTo: new Date().toISOString() } }),
    expect: signedIn(200),
  },
};

const EVENTS: Record<string, EventRow> = {
  'session:whoami': {
    args: [],
    expect: Object.fromEntries(PRINCIPALS.map((p) => [p, 'ok'])) as Record<PrincipalName, AckExpectation>,
  },
  'members:list': {
    args: [],
    expect: {
      ...(Object.fromEntries(PRINCIPALS.map((p) => [p, 'ok'])) as Record<PrincipalName, AckExpectation>),
      anonymous: 'UNAUTHENTICATED',
    },
  },
  'notifications:since': {
    args: [{ channel: 'org', afterSeq: 0 }],
    expect: {
      ...(Object.fromEntries(PRINCIPALS.map((p) => [p, 'ok'])) as Record<PrincipalName, AckExpectation>),
      anonymous: 'UNAUTHENTICATED',
    },
  },
  'chamber:organisations': {
    args: [{ verification: 'pending' }],
    expect: {
      anonymous: 'UNAUTHENTICATED',
      pendingFarm: 'FORBIDDEN',
      verifiedFarm: 'FORBIDDEN',
      restaurant: 'FORBIDDEN',
      pendingRestaurant: 'FORBIDDEN',
      canteen: 'FORBIDDEN',
      chamberStaff: 'ok',
      admin: 'ok',
    },
  },
  ...MARKET_EVENTS,
  ...PROGRAMME_EVENTS,
  'client:heartbeat': {
    args: [],
    expect: Object.fromEntries(PRINCIPALS.map((p) => [p, 'ok'])) as Record<PrincipalName, AckExpectation>,
  },
};

/** `METHOD /api/path` for every route in the router, recursively. */
function listRoutes(router: Router, prefix: string): string[] {
  const found: string[] = [];
  type LayerLike = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } };
  for (const layer of router.stack as unknown as LayerLike[]) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all')) {
        found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      }
    } else if (layer.handle?.stack) {
      found.push(...listRoutes(layer.handle as unknown as Router, prefix));
    }
  }
  return found;
}

let ctx: MatrixContext;

beforeAll(async () => {
  app = await startTestApp();
  someFarm = await aPendingFarm(app);
  for (const p of PRINCIPALS) shared.set(p, await makePrincipal(p));
  ctx = {
    app,
    someFarm,
    member: (name) => {
      const member = shared.get(name);
      if (!member) throw new Error(`no shared ${name}`);
      return member;
    },
  };
}, 120_000);
afterAll(async () => {
  await app.close();
});

describe('authorisation matrix', () => {
  afterAll(async () => {
    // Refusals really refused: the organisation used for them was never decided on.
    const audit = await app.db.connection
      .collection('audit')
      .countDocuments({ organisationId: new Types.ObjectId(someFarm.organisationId) });
    expect(audit).toBe(0);
  });

  it('has a row for every API route and no row without a route', () => {
    // One row per method + path, however many handlers serve it (GET /api/lots: the listing cache, then the route).
    const routes = [...new Set(listRoutes(app.handle.apiRouter, '/api'))].sort();
    expect(routes.length).toBeGreaterThan(15);
    expect(Object.keys(ROUTES).sort()).toEqual(routes);
  });

  it('has a row for every socket event the server handles and every event in shared/events.ts', () => {
    const registered: string[] = [];
    const fakeSocket = { on: (event: string) => registered.push(event) };
    for (const register of app.handle.realtime.socketHandlers)
      register({ socket: fakeSocket } as unknown as SocketContext);
    expect(registered.sort()).toEqual(Object.keys(EVENTS).sort());
    expect([...CLIENT_EVENT_NAMES].sort()).toEqual(Object.keys(EVENTS).sort());
  });

  describe.each(Object.entries(ROUTES))('%s', (route, row) => {
    const [method] = route.split(' ');
    it.each(PRINCIPALS.map((p) => [p]))(
      'as %s',
      async (principal) => {
        const member = row.fresh ? await makePrincipal(principal) : (shared.get(principal) ?? null);
        const agent = member?.agent ?? app.agent();
        const expected = row.expect[principal];
        const [status, code] = typeof expected === 'number' ? [expected, undefined] : expected;
        const cell: Cell = { agent, member, principal, succeeds: status < 300, ctx };
        const { path, body, headers } = await row.request(cell);
        const reply = await agent.request(method, path, {
          ...(body === undefined ? {} : { body }),
          ...(headers ? { headers } : {}),
        });
        expect({
          status: reply.status,
          ...(code ? { code: (reply.body as { error?: { code?: string } }).error?.code } : {}),
        }).toEqual({
          status,
          ...(code ? { code } : {}),
        });
        if (row.check && reply.status < 300) row.check(reply.body, cell);
      },
      30_000,
    );
  });

  describe.each(Object.entries(EVENTS))('socket %s', (event, row) => {
    it.each(PRINCIPALS.map((p) => [p]))(
      'as %s',
      async (principal) => {
        const member = shared.get(principal) ?? null;
        const expected = row.expect[principal];
        const cell: Cell = { agent: member?.agent ?? app.agent(), member, principal, succeeds: expected === 'ok', ctx };
        const args = typeof row.args === 'function' ? await row.args(cell) : row.args;
        const socket = await app.socket(member?.agent);
        const ack = await emitWithAck<{ ok: boolean; error?: { code: string } }>(socket, event, ...args);
        socket.disconnect();
        if (expected === 'ok') expect(ack).toMatchObject({ ok: true });
        else expect(ack).toMatchObject({ ok: false, error: { code: expected } });
      },
      30_000,
    );
  });
});
