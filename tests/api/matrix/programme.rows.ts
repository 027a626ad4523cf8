/**
 * The programme's rows (docs/programme.md): only chamber staff create campaigns, pairings, topics, plans
 * and outcomes, and read recommendations and the dashboard; every signed-in user reads campaigns; verified
 * buyers join; a pairing is read by the chamber and its two sides only (404 for anyone else); the poster
 * is for members (a stranger needs the chamber's share token: without it, 404). Refusals aim at real targets built once.
 */
import { shanghaiDate } from '../../../shared/domain/calendar';
import type { EventRow } from './support';
import {
  call,
  chamberOnly,
  FORBIDDEN,
  NOT_FOUND,
  perApp,
  signedIn,
  trading,
  type Cell,
  type MatrixContext,
  type RouteRow,
} from './support';

const DAY = 86_400_000;
const period = () => ({
  startsAt: new Date(Date.now() - DAY).toISOString(),
  endsAt: new Date(Date.now() + 30 * DAY).toISOString(),
});
const pairingBody = (ctx: MatrixContext) => ({
  enterpriseOrgId: ctx.member('restaurant').organisationId,
  farmIds: [ctx.member('verifiedFarm').organisationId],
  pledgeGrams: 20_000_000,
  ...period(),
});

const targets = perApp(async (ctx) => {
  const staff = ctx.member('chamberStaff').agent;
  const campaign = await call<{ campaign: { id: string } }>(staff, 'POST', '/api/campaigns', {
    name: '矩阵测试行动',
    productCodes: ['shiitake'],
    ...period(),
  });
  const pairing = await call<{ pairing: { id: string } }>(staff, 'POST', '/api/pairings', pairingBody(ctx));
  const topic = await call<{ topic: { id: string } }>(staff, 'POST', '/api/research-topics', { title: '冷链短板' });
  const plan = await call<{ plan: { id: string } }>(staff, 'POST', '/api/remediation-plans', {
    title: '冷链专项整治',
    tasks: [{ title: '对接冷库', owner: '张干事', dueOn: shanghaiDate(new Date()) }],
  });
  return {
    campaignId: campaign.campaign.id,
    pairingId: pairing.pairing.id,
    topicId: topic.topic.id,
    planId: plan.plan.id,
  };
});

const isChamber = (cell: Cell) => cell.principal === 'chamberStaff' || cell.principal === 'admin';

/** A non-chamber caller's list holds only what involves its own organisation. */
const onlyTheirPairings = (body: unknown, cell: Cell) => {
  if (isChamber(cell)) return;
  const own = cell.member?.organisationId;
  const items = (body as { items?: { enterpriseOrgId: string; farms: { id: string }[] }[] }).items ?? [];
  const foreign = items.filter((p) => p.enterpriseOrgId !== own && !p.farms.some((f) => f.id === own));
  if (foreign.length > 0) throw new Error(`${foreign.length} pairing(s) of others listed`);
};
const onlyTheirOrders = (body: unknown, cell: Cell) => {
  if (isChamber(cell)) return;
  const own = cell.member?.organisationId;
  const items = (body as { items?: { buyerOrgId: string; sellerOrgId: string }[] }).items ?? [];
  if (items.some((o) => o.buyerOrgId !== own && o.sellerOrgId !== own)) throw new Error('another’s order listed');
};

export const PROGRAMME_ROUTES: Record<string, RouteRow> = {
  'POST /api/campaigns': {
    request: async () => ({
      path: '/api/campaigns',
      body: { name: '冬季消费帮扶', ...period(), targetValueFen: 10_000_000 },
    }),
    expect: chamberOnly(201),
  },
  'GET /api/campaigns': { request: async () => ({ path: '/api/campaigns' }), expect: signedIn(200) },
  'GET /api/campaigns/:id': {
    request: async ({ ctx }) => ({ path: `/api/campaigns/${(await targets(ctx)).campaignId}` }),
    expect: signedIn(200),
  },
  // Members read the poster; a stranger without the share token gets 404 (programme-sharing.test.ts: with it, 200).
  'GET /api/campaigns/:id/poster': {
    request: async ({ ctx }) => ({ path: `/api/campaigns/${(await targets(ctx)).campaignId}/poster` }),
    expect: { ...signedIn(200), anonymous: NOT_FOUND },
  },
  'POST /api/campaigns/:id/poster-link': {
    request: async ({ ctx }) => ({ path: `/api/campaigns/${(await targets(ctx)).campaignId}/poster-link`, body: {} }),
    expect: chamberOnly(200),
  },
  'GET /api/campaigns/:id/orders': {
    request: async ({ ctx }) => ({ path: `/api/campaigns/${(await targets(ctx)).campaignId}/orders` }),
    expect: signedIn(200),
    check: onlyTheirOrders,
  },
  'POST /api/campaigns/:id/invite': {
    request: async ({ ctx }) => ({
      path: `/api/campaigns/${(await targets(ctx)).campaignId}/invite`,
      body: { orgIds: [ctx.member('canteen').organisationId] },
    }),
    expect: chamberOnly(200),
  },
  // Buyers join (every kind); farms and the chamber do not; pending organisations are stopped first.
  'POST /api/campaigns/:id/join': {
    request: async ({ ctx }) => ({ path: `/api/campaigns/${(await targets(ctx)).campaignId}/join`, body: {} }),
    expect: trading({ farm: FORBIDDEN, restaurant: 200, chamber: FORBIDDEN }),
  },
  'POST /api/pairings': {
    request: async ({ ctx }) => ({ path: '/api/pairings', body: pairingBody(ctx) }),
    expect: chamberOnly(201),
  },
  'GET /api/pairings': {
    request: async () => ({ path: '/api/pairings' }),
    expect: signedIn(200),
    check: onlyTheirPairings,
  },
  // The pairing is the restaurant's with the verified farm: the two sides and the chamber read it.
  'GET /api/pairings/:id': {
    request: async ({ ctx }) => ({ path: `/api/pairings/${(await targets(ctx)).pairingId}` }),
    expect: { ...signedIn(NOT_FOUND), verifiedFarm: 200, restaurant: 200, chamberStaff: 200, admin: 200 },
  },
  'PATCH /api/pairings/:id': {
    request: async ({ ctx }) => ({
      path: `/api/pairings/${(await targets(ctx)).pairingId}`,
      body: { pledgeFen: 10_000_000 },
    }),
    expect: chamberOnly(200),
  },
  'POST /api/pairings/:id/end': {
    request: async (cell) => {
      const id = cell.succeeds
        ? (await call<{ pairing: { id: string } }>(cell.agent, 'POST', '/api/pairings', pairingBody(cell.ctx))).pairing
            .id
        : (await targets(cell.ctx)).pairingId;
      return { path: `/api/pairings/${id}/end`, body: {} };
    },
    expect: chamberOnly(200),
  },
  'GET /api/recommendations': {
    request: async ({ ctx }) => ({ path: `/api/recommendations?farmId=${ctx.member('verifiedFarm').organisationId}` }),
    expect: chamberOnly(200),
  },
  'POST /api/research-topics': {
    request: async () => ({ path: '/api/research-topics', body: { title: '销路不畅' } }),
    expect: chamberOnly(201),
  },
  'GET /api/research-topics': { request: async () => ({ path: '/api/research-topics' }), expect: chamberOnly(200) },
  'PATCH /api/research-topics/:id': {
    request: async ({ ctx }) => ({
      path: `/api/research-topics/${(await targets(ctx)).topicId}`,
      body: { summary: '调研发现' },
    }),
    expect: chamberOnly(200),
  },
  'POST /api/remediation-plans': {
    request: async () => ({
      path: '/api/remediation-plans',
      body: { title: '专项整治', tasks: [{ title: '走访', owner: '李干事', dueOn: '2026-12-31' }] },
    }),
    expect: chamberOnly(201),
  },
  'GET /api/remediation-plans': { request: async () => ({ path: '/api/remediation-plans' }), expect: chamberOnly(200) },
  'POST /api/remediation-plans/:id/tasks/:index': {
    request: async ({ ctx }) => ({
      path: `/api/remediation-plans/${(await targets(ctx)).planId}/tasks/0`,
      body: { done: true },
    }),
    expect: chamberOnly(200),
  },
  'POST /api/programme-outcomes': {
    request: async () => ({ path: '/api/programme-outcomes', body: { title: '香菇进食堂', achievedOn: '2026-12-01' } }),
    expect: chamberOnly(201),
  },
  'GET /api/programme-outcomes': {
    request: async () => ({ path: '/api/programme-outcomes' }),
    expect: chamberOnly(200),
  },
  'GET /api/programme/dashboard': {
    request: async () => ({ path: '/api/programme/dashboard?from=2026-11-01&to=2026-12-31' }),
    expect: chamberOnly(200),
  },
};

export const PROGRAMME_EVENTS: Record<string, EventRow> = {
  'campaign:watch': {
    args: async (cell) => [{ campaignId: (await targets(cell.ctx)).campaignId }],
    expect: {
      anonymous: 'UNAUTHENTICATED',
      pendingFarm: 'ok',
      verifiedFarm: 'ok',
      restaurant: 'ok',
      pendingRestaurant: 'ok',
      canteen: 'ok',
      chamberStaff: 'ok',
      admin: 'ok',
    },
  },
};
