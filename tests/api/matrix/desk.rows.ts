/**
 * The chamber's desk: ledger, visits, problems, brokering. All of it is for chamber staff and admins
 * (`requireChamber` in front of every path, before any lookup): farms and restaurants, pending or not,
 * get 403 FORBIDDEN, anonymous 401 (docs/desk.md). Refusals still aim at real targets — a problem on
 * a real farm, an open lot — so a missing guard would show as a 2xx, not as a 404.
 */
import { shanghaiDate } from '../../../shared/domain/calendar';
import { aFarm } from '../../fixtures/accounts';
import { call, chamberOnly, perApp, type Cell, type RouteRow } from './support';

const today = () => shanghaiDate(new Date());

/** A verified farm the desk works on, one open lot of it, a problem the chamber raised about it, and a restaurant's demand the lot fits. */
const desk = perApp(async (ctx) => {
  const farm = await aFarm(ctx.app);
  const lot = await call<{ id: string }>(farm.agent, 'POST', '/api/lots', {
    productCode: 'lettuce',
    quantityGrams: 50_000,
    harvestedAt: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 400,
    askPriceFenPerKg: 600,
  });
  const problemId = await aProblem(ctx.member('chamberStaff').agent, farm.organisationId);
  const demand = await call<{ id: string }>(ctx.member('restaurant').agent, 'POST', '/api/demand', {
    productCode: 'lettuce',
    quantityGrams: 20_000,
    maxPriceFenPerKg: 800,
    neededBy: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString(),
  });
  return { farmOrgId: farm.organisationId, lotId: lot.id, problemId, demandId: demand.id };
});

async function aProblem(agent: Cell['agent'], orgId: string): Promise<string> {
  const created = await call<{ problem: { id: string } }>(agent, 'POST', '/api/problems', {
    orgId,
    category: 'sales',
    description: '香菇滞销',
  });
  return created.problem.id;
}

/** A fresh problem for a cell that changes one (so each succeeding cell starts from `open`); refusals use the shared one. */
async function problemFor(cell: Cell): Promise<string> {
  const d = await desk(cell.ctx);
  return cell.succeeds ? aProblem(cell.agent, d.farmOrgId) : d.problemId;
}

export const DESK_ROUTES: Record<string, RouteRow> = {
  'GET /api/ledger': { request: async () => ({ path: '/api/ledger?period=week' }), expect: chamberOnly(200) },
  'GET /api/ledger/export.csv': { request: async () => ({ path: '/api/ledger/export.csv' }), expect: chamberOnly(200) },
  'GET /api/ledger/sell-through': {
    request: async () => ({ path: '/api/ledger/sell-through' }),
    expect: chamberOnly(200),
  },

  'POST /api/visits': {
    request: async ({ ctx }) => ({
      path: '/api/visits',
      body: { orgId: (await desk(ctx)).farmOrgId, visitedOn: today(), notes: '走访：冷库不足' },
    }),
    expect: chamberOnly(201),
  },
  'GET /api/visits': { request: async () => ({ path: '/api/visits' }), expect: chamberOnly(200) },

  'POST /api/problems': {
    request: async ({ ctx }) => ({
      path: '/api/problems',
      body: { orgId: (await desk(ctx)).farmOrgId, category: 'logistics', description: '缺冷链车' },
    }),
    expect: chamberOnly(201),
  },
  'GET /api/problems': { request: async () => ({ path: '/api/problems' }), expect: chamberOnly(200) },
  'GET /api/problems/:id': {
    request: async ({ ctx }) => ({ path: `/api/problems/${(await desk(ctx)).problemId}` }),
    expect: chamberOnly(200),
  },
  'PATCH /api/problems/:id': {
    request: async (cell) => ({ path: `/api/problems/${await problemFor(cell)}`, body: { urgency: 'high' } }),
    expect: chamberOnly(200),
  },
  'POST /api/problems/:id/transition': {
    request: async (cell) => ({ path: `/api/problems/${await problemFor(cell)}/transition`, body: { type: 'start' } }),
    expect: chamberOnly(200),
  },
  'POST /api/problems/:id/links': {
    request: async (cell) => ({
      path: `/api/problems/${await problemFor(cell)}/links`,
      body: { orderIds: ['5f00000000000000000000aa'] },
    }),
    expect: chamberOnly(200),
  },

  'GET /api/desk/at-risk': { request: async () => ({ path: '/api/desk/at-risk' }), expect: chamberOnly(200) },
  'POST /api/desk/lots/:id/find-buyers': {
    request: async ({ ctx }) => ({ path: `/api/desk/lots/${(await desk(ctx)).lotId}/find-buyers`, body: {} }),
    expect: chamberOnly(200),
  },
  'POST /api/desk/match-all': {
    request: async () => ({ path: '/api/desk/match-all', body: {} }),
    expect: chamberOnly(200),
  },
  'GET /api/desk/brokered-offers': {
    request: async () => ({ path: '/api/desk/brokered-offers?limit=20' }),
    expect: chamberOnly(200),
  },
  // A real proposal (the farm's lot for the restaurant's demand): staff send it as a brokered sell offer.
  'POST /api/desk/proposals/send': {
    request: async ({ ctx }) => {
      const d = await desk(ctx);
      return {
        path: '/api/desk/proposals/send',
        body: { lotId: d.lotId, demandId: d.demandId, quantityGrams: 10_000, priceFenPerKg: 600 },
      };
    },
    expect: chamberOnly(201),
  },
};
