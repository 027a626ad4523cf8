/** The chamber's desk: ledger, visits, problems, brokering (docs/desk.md). Chamber staff only. */
import { z } from 'zod';
import {
  atRiskQuery,
  brokeredOffersQuery,
  createProblemBody,
  createVisitBody,
  entityId,
  ledgerExportQuery,
  ledgerQuery,
  linkProblemOrdersBody,
  listProblemsQuery,
  listVisitsQuery,
  matchParamsBody,
  sellThroughQuery,
  sendProposalBody,
  transitionProblemBody,
  updateProblemBody,
} from '../../../shared/schemas/desk';
import type { RouteDoc, RouteRegistry } from './types';

const idParams = z.strictObject({ id: entityId });

const desk = (
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

export const deskRoutesDoc: RouteRegistry = {
  'GET /api/ledger': desk(
    'The assistance ledger (帮扶台账) by period: KPIs over the range, its entries newest first, paged',
    'ledger',
    200,
    '{from, to, period, total, periods, items: LedgerEntry[], nextCursor, truncated}',
    {
      query: ledgerQuery,
    },
  ),
  'GET /api/ledger/export.csv': desk('The ledger as CSV (UTF-8)', 'ledger', 200, 'CSV file', {
    query: ledgerExportQuery,
    ok: { status: 200, description: 'CSV file', contentType: 'text/csv' },
  }),
  'GET /api/ledger/sell-through': desk('Sell-through of farms by period', 'ledger', 200, 'Sell-through report', {
    query: sellThroughQuery,
  }),
  'POST /api/visits': desk(
    'Record a visit to an enterprise (走访), with problems raised',
    'visits',
    201,
    '{visit, problems}',
    { body: createVisitBody, errors: [403, 404] },
  ),
  'GET /api/visits': desk(
    'Visits, newest visit day first, paged',
    'visits',
    200,
    '{from, to, items: Visit[], nextCursor}',
    {
      query: listVisitsQuery,
    },
  ),
  'POST /api/problems': desk('Open a problem (问题清单)', 'problems', 201, '{problem}', {
    body: createProblemBody,
    errors: [403, 404],
  }),
  'GET /api/problems': desk(
    'Problems by status, category, urgency, assignee: newest raised first, paged, with counts',
    'problems',
    200,
    '{items: Problem[], nextCursor, counts, countsTruncated, summary}',
    {
      query: listProblemsQuery,
    },
  ),
  'GET /api/problems/:id': desk('One problem with its history', 'problems', 200, '{problem}', {
    params: idParams,
    errors: [403, 404],
  }),
  'PATCH /api/problems/:id': desk('Edit a problem', 'problems', 200, '{problem}', {
    params: idParams,
    body: updateProblemBody,
    errors: [403, 404, 409],
  }),
  'POST /api/problems/:id/transition': desk('Start, resolve or reopen a problem', 'problems', 200, '{problem}', {
    params: idParams,
    body: transitionProblemBody,
    errors: [403, 404, 409],
  }),
  'POST /api/problems/:id/links': desk('Link orders to a problem', 'problems', 200, '{problem}', {
    params: idParams,
    body: linkProblemOrdersBody,
    errors: [403, 404, 409],
  }),
  'GET /api/desk/at-risk': desk(
    'Lots at risk of spoiling (soonest expiry first, paged) and farms’ outlook',
    'desk',
    200,
    '{generatedAt, items: AtRiskLot[], nextCursor, surplusFarms, unansweredDemand}',
    {
      query: atRiskQuery,
    },
  ),
  'POST /api/desk/lots/:id/find-buyers': desk('Proposed buyers for one lot', 'desk', 200, 'Matching plan', {
    params: idParams,
    body: matchParamsBody,
    errors: [403, 404, 409],
  }),
  'POST /api/desk/match-all': desk('Proposals for every lot at risk', 'desk', 200, 'Matching plan', {
    body: matchParamsBody,
  }),
  'GET /api/desk/brokered-offers': desk(
    'Brokered offers (the deal log), newest or oldest first, searched by party name, paged',
    'desk',
    200,
    '{items: BrokeredOffer[], nextCursor}',
    {
      query: brokeredOffersQuery,
    },
  ),
  'POST /api/desk/proposals/send': desk('Send a reviewed proposal as a brokered offer', 'desk', 201, '{offerId}', {
    body: sendProposalBody,
    errors: [403, 404, 409, 501],
  }),
};
