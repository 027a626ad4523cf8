/** Typed fetch for the chamber's desk (docs/desk.md), on the accounts API's `request` helper. */
import type {
  CreateProblemBody,
  CreateVisitBody,
  DealLogSort,
  ListProblemsQuery,
  SendProposalBody,
  TransitionProblemBody,
  UpdateProblemBody,
} from '../../../shared/schemas/desk';
import { request, type FetchLike } from '../api';
import type { ApiResult } from './api-result';
import type {
  AtRiskBoard,
  BrokeredOfferRow,
  LedgerReport,
  Period,
  ProblemList,
  ProblemRow,
  ProposalPlan,
  SellThroughReport,
  VisitRow,
} from './desk-types';

export interface RangeQuery {
  from?: string;
  to?: string;
  period?: Period;
}

export type ProblemFilter = Partial<
  Pick<ListProblemsQuery, 'orgId' | 'status' | 'category' | 'urgency' | 'assigneeId'>
>;
/** Request bodies with defaults left optional (zod's output type makes them required). */
export type NewVisit = Omit<CreateVisitBody, 'staff' | 'problems'> &
  Partial<Pick<CreateVisitBody, 'staff' | 'problems'>>;

/** Which page of a list: its size, and the previous page's nextCursor. */
interface PageQuery {
  limit?: number;
  cursor?: string;
}
/** A page of the at-risk board's lots: the search, and the previous page's nextCursor. */
interface BoardPageQuery extends PageQuery {
  q?: string;
}
/** A page of the deal log. */
interface DealsPageQuery extends BoardPageQuery {
  sort?: DealLogSort;
}

export interface DeskApi {
  atRisk(page?: BoardPageQuery): Promise<ApiResult<AtRiskBoard>>;
  findBuyers(lotId: string): Promise<ApiResult<ProposalPlan & { lotId: string }>>;
  matchAll(): Promise<ApiResult<ProposalPlan>>;
  send(body: SendProposalBody): Promise<ApiResult<{ offerId: string }>>;
  brokeredOffers(page?: DealsPageQuery): Promise<ApiResult<{ items: BrokeredOfferRow[]; nextCursor: string | null }>>;
  ledger(query: RangeQuery & PageQuery): Promise<ApiResult<LedgerReport>>;
  sellThrough(query: RangeQuery): Promise<ApiResult<SellThroughReport>>;
  problems(filter: ProblemFilter, page?: PageQuery): Promise<ApiResult<ProblemList>>;
  createProblem(body: CreateProblemBody): Promise<ApiResult<{ problem: ProblemRow }>>;
  updateProblem(id: string, body: UpdateProblemBody): Promise<ApiResult<{ problem: ProblemRow }>>;
  transition(id: string, body: TransitionProblemBody): Promise<ApiResult<{ problem: ProblemRow }>>;
  link(id: string, orderIds: string[]): Promise<ApiResult<{ problem: ProblemRow }>>;
  visits(
    query: { from?: string; to?: string; orgId?: string } & PageQuery,
  ): Promise<ApiResult<{ items: VisitRow[]; nextCursor: string | null }>>;
  createVisit(body: NewVisit): Promise<ApiResult<{ visit: VisitRow; problems: ProblemRow[] }>>;
}

const qs = (query: Record<string, string | number | undefined>): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
};

/** Where the CSV export downloads from (a plain link: the browser saves it with the server's file name). */
export const ledgerCsvHref = (query: RangeQuery): string =>
  `/api/ledger/export.csv${qs({ from: query.from, to: query.to })}`;

export function createDeskApi(fetchImpl: FetchLike = (input, init) => fetch(input, init)): DeskApi {
  const call = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
    request<T>(fetchImpl, method, path, body);
  const enc = encodeURIComponent;
  return {
    atRisk: (page = {}) => call('GET', `/api/desk/at-risk${qs({ ...page })}`),
    findBuyers: (lotId) => call('POST', `/api/desk/lots/${enc(lotId)}/find-buyers`, {}),
    matchAll: () => call('POST', '/api/desk/match-all', {}),
    send: (body) => call('POST', '/api/desk/proposals/send', body),
    brokeredOffers: (page = {}) => call('GET', `/api/desk/brokered-offers${qs({ ...page })}`),
    ledger: (q) =>
      call('GET', `/api/ledger${qs({ from: q.from, to: q.to, period: q.period, limit: q.limit, cursor: q.cursor })}`),
    sellThrough: (q) => call('GET', `/api/ledger/sell-through${qs({ from: q.from, to: q.to, period: q.period })}`),
    problems: (f, page = {}) => call('GET', `/api/problems${qs({ ...f, ...page })}`),
    createProblem: (body) => call('POST', '/api/problems', body),
    updateProblem: (id, body) => call('PATCH', `/api/problems/${enc(id)}`, body),
    transition: (id, body) => call('POST', `/api/problems/${enc(id)}/transition`, body),
    link: (id, orderIds) => call('POST', `/api/problems/${enc(id)}/links`, { orderIds }),
    visits: (q) => call('GET', `/api/visits${qs({ ...q })}`),
    createVisit: (body) => call('POST', '/api/visits', body),
  };
}
