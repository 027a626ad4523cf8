/** The 万企兴万村 programme tools (docs/programme.md): campaigns, pairings, recommendations, remediation, dashboard. */
import {
  createCampaignBody,
  createOutcomeBody,
  createPairingBody,
  createPlanBody,
  createTopicBody,
  dashboardQuery,
  endPairingBody,
  inviteBody,
  listCampaignsQuery,
  campaignOrdersQuery,
  listOutcomesQuery,
  listPairingsQuery,
  listPlansQuery,
  listTopicsQuery,
  posterLinkBody,
  posterQuery,
  recommendationsQuery,
  taskDoneBody,
  taskParams,
  updatePledgeBody,
  updateTopicBody,
} from '../../../shared/schemas/programme';
import type { RouteDoc, RouteRegistry } from './types';

const chamber = (
  summary: string,
  tag: string,
  status: number,
  description: string,
  extra: Partial<RouteDoc> = {},
): RouteDoc => ({
  summary,
  tag,
  roles: ['chamber-staff', 'admin'],
  ok: { status, description },
  errors: [403],
  ...extra,
});

export const programmeRoutesDoc: RouteRegistry = {
  'POST /api/campaigns': chamber(
    'Start a consumption-assistance campaign (消费帮扶行动)',
    'campaigns',
    201,
    '{campaign}',
    {
      body: createCampaignBody,
      errors: [403],
    },
  ),
  'GET /api/campaigns': {
    summary: 'Campaigns with their progress (computed from confirmed orders), newest start first, paged',
    tag: 'campaigns',
    roles: ['signed-in'],
    query: listCampaignsQuery,
    ok: { status: 200, description: '{items, nextCursor}' },
  },
  'GET /api/campaigns/:id': {
    summary: 'A campaign: progress {valueFen, grams, orders, buyers}, leaderboards of enterprises and villages',
    tag: 'campaigns',
    roles: ['signed-in'],
    ok: { status: 200, description: '{campaign}' },
    errors: [404],
  },
  'GET /api/campaigns/:id/poster': {
    summary:
      'The read-only poster of a campaign (totals, villages, enterprises that joined): members, or anyone with ?token= (the share link); otherwise 404',
    tag: 'campaigns',
    roles: ['anyone'],
    auth: 'none',
    query: posterQuery,
    ok: { status: 200, description: '{poster}' },
    errors: [404],
  },
  'POST /api/campaigns/:id/poster-link': chamber(
    'A new poster share token, shown only in this answer (stored as its SHA-256; the old link stops working), or none with {share: false}',
    'campaigns',
    200,
    '{posterToken}',
    { body: posterLinkBody, errors: [403, 404] },
  ),
  'GET /api/campaigns/:id/orders': {
    summary: 'The orders counted for a campaign (chamber: all; others: their own), newest first, paged',
    tag: 'campaigns',
    roles: ['signed-in'],
    query: campaignOrdersQuery,
    ok: { status: 200, description: '{items, nextCursor, total}' },
    errors: [404],
  },
  'POST /api/campaigns/:id/invite': chamber(
    'Invite buying enterprises to a campaign',
    'campaigns',
    200,
    '{invitedOrgIds, added}',
    {
      body: inviteBody,
      errors: [403, 404],
    },
  ),
  'POST /api/campaigns/:id/join': {
    summary: 'Join a campaign (verified buying enterprises)',
    tag: 'campaigns',
    roles: ['verified'],
    ok: { status: 200, description: '{joined, changed}' },
    errors: [403, 404, 409],
  },
  'POST /api/pairings': chamber('Pair an enterprise with a farm or village (结对帮扶)', 'pairings', 201, '{pairing}', {
    body: createPairingBody,
  }),
  'GET /api/pairings': {
    summary: 'Pairings with progress (chamber: all; enterprises and farms: their own), newest first, paged',
    tag: 'pairings',
    roles: ['signed-in'],
    query: listPairingsQuery,
    ok: { status: 200, description: '{items, nextCursor}' },
  },
  'GET /api/pairings/:id': {
    summary: 'A pairing with progress and history',
    tag: 'pairings',
    roles: ['signed-in'],
    ok: { status: 200, description: '{pairing}' },
    errors: [404],
  },
  'PATCH /api/pairings/:id': chamber('Change a pairing’s pledge', 'pairings', 200, '{pairing}', {
    body: updatePledgeBody,
    errors: [403, 404, 409],
  }),
  'POST /api/pairings/:id/end': chamber('End a pairing (history kept)', 'pairings', 200, '{pairing}', {
    body: endPairingBody,
    errors: [403, 404, 409],
  }),
  'GET /api/recommendations': chamber(
    'Enterprises most likely to buy a farm’s or village’s produce',
    'recommendations',
    200,
    '{target, items}',
    {
      query: recommendationsQuery,
      errors: [403, 404],
    },
  ),
  'POST /api/research-topics': chamber('Start a research topic (调研课题)', 'remediation', 201, '{topic}', {
    body: createTopicBody,
  }),
  'GET /api/research-topics': chamber(
    'Research topics, newest first, paged',
    'remediation',
    200,
    '{items, nextCursor}',
    {
      query: listTopicsQuery,
    },
  ),
  'PATCH /api/research-topics/:id': chamber('Edit a research topic', 'remediation', 200, '{topic}', {
    body: updateTopicBody,
    errors: [403, 404],
  }),
  'POST /api/remediation-plans': chamber(
    'Make a remediation plan (专项整治方案) with tasks',
    'remediation',
    201,
    '{plan}',
    {
      body: createPlanBody,
      errors: [403, 404],
    },
  ),
  'GET /api/remediation-plans': chamber(
    'Remediation plans with overdue counts, newest first, paged',
    'remediation',
    200,
    '{items, nextCursor}',
    { query: listPlansQuery },
  ),
  'POST /api/remediation-plans/:id/tasks/:index': chamber(
    'Mark a plan’s task done or not',
    'remediation',
    200,
    '{plan}',
    {
      params: taskParams,
      body: taskDoneBody,
      errors: [403, 404],
    },
  ),
  'POST /api/programme-outcomes': chamber('Record an outcome (成果转化清单)', 'remediation', 201, '{outcome}', {
    body: createOutcomeBody,
  }),
  'GET /api/programme-outcomes': chamber(
    'The outcomes list, newest achieved first, paged',
    'remediation',
    200,
    '{items, nextCursor}',
    { query: listOutcomesQuery },
  ),
  'GET /api/programme/dashboard': chamber(
    'The programme dashboard for a period',
    'dashboard',
    200,
    'Counts and series',
    {
      query: dashboardQuery,
    },
  ),
};
