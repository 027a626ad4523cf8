/**
 * The programme pages' state (DOM-free, unit-testable): one campaign with its orders, kept live by the
 * `programme:campaign` socket event; the campaign list; pairings; the dashboard. Routes:
 * #/programme, #/programme/new, #/programme/campaigns/<id>, #/programme/campaigns/<id>/poster,
 * #/programme/campaigns/<id>/poster/<share token>, #/programme/pairings, #/programme/pairings/new,
 * #/programme/recommendations, #/programme/topics, #/programme/plans, #/programme/outcomes, #/programme/dashboard.
 */
import type { FarmBeforeAfter, ProgrammeDashboard } from '../../../shared/domain/programme/dashboard';
import type {
  CampaignProgressEvent,
  LeaderRowView,
  PairingProgressEvent,
  PairingViewData,
  ProgressView,
} from '../../../shared/schemas/programme';
import { MAX_PAGE_LIMIT } from '../../../shared/domain/paging';
import { parseWeight, parseYuan } from '../../../shared/domain/units';
import { request, type FetchLike } from '../api';
import type { ApiFailure, ApiResult } from './api-result';
import { appendPage, byKeyThenId, readPages, refreshFirstPage } from './pages';
import { Store } from './store';

export type ProgrammeRoute =
  | { name: 'list' }
  | { name: 'new' }
  | { name: 'campaign'; id: string }
  | { name: 'poster'; id: string; token?: string }
  | { name: 'pairings' }
  | { name: 'newPairing' }
  | { name: 'recommendations' }
  | { name: 'topics' }
  | { name: 'plans' }
  | { name: 'outcomes' }
  | { name: 'dashboard' };

const SIMPLE_PAGES = {
  '/programme/pairings': 'pairings',
  '/programme/pairings/new': 'newPairing',
  '/programme/recommendations': 'recommendations',
  '/programme/topics': 'topics',
  '/programme/plans': 'plans',
  '/programme/outcomes': 'outcomes',
  '/programme/dashboard': 'dashboard',
} as const;

export function parseProgrammePath(path: string): ProgrammeRoute | null {
  if (path === '/programme') return { name: 'list' };
  if (path === '/programme/new') return { name: 'new' };
  const simple = SIMPLE_PAGES[path as keyof typeof SIMPLE_PAGES] as
    (typeof SIMPLE_PAGES)[keyof typeof SIMPLE_PAGES] | undefined;
  if (simple) return { name: simple };
  const m = /^\/programme\/campaigns\/([a-f0-9]{24})(\/poster(?:\/([A-Za-z0-9_-]{20,100}))?)?$/.exec(path);
  if (!m) return null;
  if (!m[2]) return { name: 'campaign', id: m[1] };
  return m[3] ? { name: 'poster', id: m[1], token: m[3] } : { name: 'poster', id: m[1] };
}

export function programmeHref(route: ProgrammeRoute): string {
  switch (route.name) {
    case 'list':
      return '#/programme';
    case 'campaign':
      return `#/programme/campaigns/${route.id}`;
    case 'poster':
      return `#/programme/campaigns/${route.id}/poster${route.token ? `/${route.token}` : ''}`;
    case 'newPairing':
      return '#/programme/pairings/new';
    default:
      return `#/programme/${route.name}`;
  }
}

export interface CampaignView {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  status: 'upcoming' | 'running' | 'ended';
  productCodes?: string[];
  villages?: string[];
  targetValueFen?: number;
  targetGrams?: number;
  progress: ProgressView;
  valuePermille: number | null;
  gramsPermille: number | null;
  joinedCount: number;
  invited?: boolean;
  joined?: boolean;
  /**
   * Chamber staff only, in the answer that made the campaign: the poster's share token. The server keeps only
   * its hash, so later reads say just whether a link exists (`posterShared`).
   */
  posterToken?: string;
  posterShared?: boolean;
  leaderboard?: { enterprises: LeaderRowView[]; villages: LeaderRowView[] };
}

interface CampaignOrderRow {
  id: string;
  buyerName: string;
  sellerName: string;
  village?: string;
  productCode: string;
  quantityGrams: number;
  totalFen: number;
  confirmedAt: string;
}

export type PairingView = PairingViewData;

/** The dashboard as the API sends it: the pure rule's counts, each farm's name, and the programme's own counts. */
export type DashboardView = Omit<ProgrammeDashboard, 'farms'> & {
  campaigns: number;
  pairings: number;
  farms: (FarmBeforeAfter & { name: string })[];
};

interface NewCampaign {
  name: string;
  startsAt: string;
  endsAt: string;
  productCodes?: string[];
  villages?: string[];
  targetValueFen?: number;
  targetGrams?: number;
}

/** One ranked enterprise for a farm or village with produce to place, and what one click would send. */
export interface RecommendationView {
  orgId: string;
  name: string;
  kind: string;
  score: number;
  distanceKm?: number;
  reason: { 'zh-CN': string; en: string };
  /** A ready brokered offer (the enterprise's open demand × the farm's lot), for POST /api/desk/proposals/send. */
  offer?: { lotId: string; demandId: string; quantityGrams: number; priceFenPerKg: number };
}
export interface RecommendationsView {
  target: {
    farms: { id: string; name: string; village?: string }[];
    productCodes: string[];
    atRiskLots: number;
    surplusGrams: number;
    from: string;
    to: string;
  };
  items: RecommendationView[];
}

export interface TopicView {
  id: string;
  title: string;
  summary?: string;
  problemIds: string[];
  createdAt: string;
}
export interface PlanView {
  id: string;
  title: string;
  topicId?: string;
  problemIds: string[];
  tasks: { title: string; owner: string; dueOn: string; doneAt?: string }[];
  status: 'draft' | 'active' | 'done';
  overdue?: number;
}
interface OutcomeView {
  id: string;
  title: string;
  description?: string;
  achievedOn: string;
  problemIds: string[];
  planIds: string[];
  orderIds: string[];
  campaignIds: string[];
}
/** A problem from the desk's list, as the programme pages name it. */
export interface ProblemRef {
  id: string;
  description: string;
  status: string;
  category: string;
}
/** An organisation the chamber can pick (pairing form, recommendations). */
export interface OrgRef {
  id: string;
  name: string;
  kind: string;
  address?: { village?: string };
}

interface NewPairing {
  enterpriseOrgId: string;
  farmIds?: string[];
  villages?: string[];
  startsAt: string;
  endsAt: string;
  pledgeGrams?: number;
  pledgeFen?: number;
  note?: string;
}
interface NewTopic {
  title: string;
  summary?: string;
  problemIds?: string[];
}
interface NewPlan {
  title: string;
  topicId?: string;
  problemIds?: string[];
  tasks: { title: string; owner: string; dueOn: string }[];
}
interface NewOutcome {
  title: string;
  description?: string;
  achievedOn: string;
  problemIds?: string[];
  planIds?: string[];
  orderIds?: string[];
  campaignIds?: string[];
}

/** A page of a programme list (`nextCursor` null on the last). */
export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ProgrammeApi {
  campaigns(cursor?: string): Promise<ApiResult<Paged<CampaignView>>>;
  campaign(id: string): Promise<ApiResult<{ campaign: CampaignView }>>;
  poster(
    id: string,
    token?: string,
  ): Promise<ApiResult<{ poster: CampaignView & { villageBoard: LeaderRowView[]; enterprises: string[] } }>>;
  orders(id: string, cursor?: string): Promise<ApiResult<Paged<CampaignOrderRow> & { total: number }>>;
  create(body: NewCampaign): Promise<ApiResult<{ campaign: CampaignView }>>;
  join(id: string): Promise<ApiResult<{ joined: boolean }>>;
  pairings(cursor?: string): Promise<ApiResult<Paged<PairingView>>>;
  dashboard(from: string, to: string): Promise<ApiResult<DashboardView>>;
  posterLink(id: string, share: boolean): Promise<ApiResult<{ posterToken: string | null }>>;
  createPairing(body: NewPairing): Promise<ApiResult<{ pairing: PairingView }>>;
  recommendations(target: { farmId: string } | { village: string }): Promise<ApiResult<RecommendationsView>>;
  sendOffer(offer: NonNullable<RecommendationView['offer']>): Promise<ApiResult<{ offerId: string }>>;
  invite(campaignId: string, orgIds: string[]): Promise<ApiResult<{ invitedOrgIds: string[]; added: number }>>;
  topics(cursor?: string): Promise<ApiResult<Paged<TopicView>>>;
  createTopic(body: NewTopic): Promise<ApiResult<{ topic: TopicView }>>;
  updateTopic(id: string, body: Partial<NewTopic>): Promise<ApiResult<{ topic: TopicView }>>;
  plans(cursor?: string): Promise<ApiResult<Paged<PlanView>>>;
  createPlan(body: NewPlan): Promise<ApiResult<{ plan: PlanView }>>;
  setTask(planId: string, index: number, done: boolean): Promise<ApiResult<{ plan: PlanView }>>;
  outcomes(cursor?: string): Promise<ApiResult<Paged<OutcomeView>>>;
  createOutcome(body: NewOutcome): Promise<ApiResult<{ outcome: OutcomeView }>>;
  problems(): Promise<ApiResult<{ items: ProblemRef[] }>>;
  /** Verified organisations of one kind (chamber staff), for the pickers. */
  organisations(kind: string): Promise<ApiResult<{ items: OrgRef[] }>>;
}

/** A list's URL for one page: the largest page size, and the previous page's cursor when reading on. */
const pageOf = (path: string, cursor?: string) =>
  `${path}?limit=${MAX_PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

export function createProgrammeApi(fetchImpl: FetchLike = (input, init) => fetch(input, init)): ProgrammeApi {
  return {
    // Programme lists a page at a time, at the largest page size (pickers read the first page only).
    campaigns: (cursor) => request(fetchImpl, 'GET', pageOf('/api/campaigns', cursor)),
    campaign: (id) => request(fetchImpl, 'GET', `/api/campaigns/${id}`),
    poster: (id, token) =>
      request(fetchImpl, 'GET', `/api/campaigns/${id}/poster${token ? `?token=${encodeURIComponent(token)}` : ''}`),
    orders: (id, cursor) =>
      request(
        fetchImpl,
        'GET',
        `/api/campaigns/${id}/orders?limit=${MAX_PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    create: (body) => request(fetchImpl, 'POST', '/api/campaigns', body),
    join: (id) => request(fetchImpl, 'POST', `/api/campaigns/${id}/join`, {}),
    pairings: (cursor) => request(fetchImpl, 'GET', pageOf('/api/pairings', cursor)),
    dashboard: (from, to) =>
      request(
        fetchImpl,
        'GET',
        `/api/programme/dashboard?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      ),
    posterLink: (id, share) => request(fetchImpl, 'POST', `/api/campaigns/${id}/poster-link`, { share }),
    createPairing: (body) => request(fetchImpl, 'POST', '/api/pairings', body),
    recommendations: (target) =>
      request(
        fetchImpl,
        'GET',
        'farmId' in target
          ? `/api/recommendations?farmId=${encodeURIComponent(target.farmId)}`
          : `/api/recommendations?village=${encodeURIComponent(target.village)}`,
      ),
    sendOffer: (offer) => request(fetchImpl, 'POST', '/api/desk/proposals/send', offer),
    invite: (campaignId, orgIds) => request(fetchImpl, 'POST', `/api/campaigns/${campaignId}/invite`, { orgIds }),
    topics: (cursor) => request(fetchImpl, 'GET', pageOf('/api/research-topics', cursor)),
    createTopic: (body) => request(fetchImpl, 'POST', '/api/research-topics', body),
    updateTopic: (id, body) => request(fetchImpl, 'PATCH', `/api/research-topics/${id}`, body),
    plans: (cursor) => request(fetchImpl, 'GET', pageOf('/api/remediation-plans', cursor)),
    createPlan: (body) => request(fetchImpl, 'POST', '/api/remediation-plans', body),
    setTask: (planId, index, done) =>
      request(fetchImpl, 'POST', `/api/remediation-plans/${planId}/tasks/${index}`, { done }),
    outcomes: (cursor) => request(fetchImpl, 'GET', pageOf('/api/programme-outcomes', cursor)),
    createOutcome: (body) => request(fetchImpl, 'POST', '/api/programme-outcomes', body),
    problems: () => request(fetchImpl, 'GET', `/api/problems?limit=${MAX_PAGE_LIMIT}`),
    // Every verified organisation of the kind, page after page (bounded: readPages' 5 × 200), for the pickers.
    organisations: (kind) =>
      readPages<OrgRef>((cursor) =>
        request(
          fetchImpl,
          'GET',
          `/api/admin/organisations?verification=verified&kind=${encodeURIComponent(kind)}&limit=200${
            cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
          }`,
        ),
      ),
  };
}

/** What the store needs of the socket: watch one campaign, hear its progress (a fake in tests). */
export interface CampaignChannel {
  watch(campaignId: string): void;
  onProgress(listener: (event: CampaignProgressEvent) => void): () => void;
  /** A pairing of mine (or any, for the chamber) changed: made, pledge changed, ended, or an order moved it. */
  onPairing?(listener: (event: PairingProgressEvent) => void): () => void;
}

/** The pairings list after a live pairing event: the pairing replaced in place, or added first when new. */
export function applyPairingEvent(items: readonly PairingView[], event: PairingProgressEvent): PairingView[] {
  const at = items.findIndex((p) => p.id === event.pairingId);
  if (at === -1) return [event.pairing, ...items];
  return items.map((p, i) => (i === at ? event.pairing : p));
}

export interface CampaignState {
  campaign: CampaignView | null;
  orders: CampaignOrderRow[];
  /** The next page of the campaign's orders (older confirmed ones); null once all are shown. */
  ordersNext: string | null;
  loadingMore: boolean;
  error: ApiFailure | null;
  /** The last live change heard (orderId), for the page's "updated" note. */
  lastChange: CampaignProgressEvent | null;
}

/** One campaign page: loads it and its orders; a live event replaces the progress at once, then reloads the rest. */
const newestConfirmedFirst = byKeyThenId<CampaignOrderRow>((o) => o.confirmedAt, -1);

export class CampaignStore extends Store<CampaignState> {
  readonly #api: ProgrammeApi;
  #id: string | null = null;
  #stop: (() => void) | null = null;

  constructor(api: ProgrammeApi) {
    super({ campaign: null, orders: [], ordersNext: null, loadingMore: false, error: null, lastChange: null });
    this.#api = api;
  }

  async open(id: string, channel: CampaignChannel | null): Promise<void> {
    this.close();
    this.#id = id;
    this.setState({ campaign: null, orders: [], ordersNext: null, loadingMore: false, error: null, lastChange: null });
    if (channel) {
      channel.watch(id);
      this.#stop = channel.onProgress((event) => this.apply(event));
    }
    await this.reload();
  }

  close(): void {
    this.#stop?.();
    this.#stop = null;
  }

  async reload(): Promise<void> {
    const id = this.#id;
    if (!id) return;
    const [campaign, orders] = await Promise.all([this.#api.campaign(id), this.#api.orders(id)]);
    if (id !== this.#id) return;
    if (!campaign.ok) return this.setState({ error: campaign.error });
    // The first page again; pages read beyond it stay (a live change re-reads only the newest orders).
    const kept = orders.ok
      ? refreshFirstPage(
          { items: this.state.orders, nextCursor: this.state.ordersNext },
          { items: orders.data.items, nextCursor: orders.data.nextCursor },
          newestConfirmedFirst,
        )
      : { items: [], nextCursor: null };
    this.setState({ campaign: campaign.data.campaign, orders: kept.items, ordersNext: kept.nextCursor, error: null });
  }

  /** The next page of the campaign's orders (older confirmed ones). */
  async moreOrders(): Promise<void> {
    const id = this.#id;
    const cursor = this.state.ordersNext;
    if (!id || !cursor || this.state.loadingMore) return;
    this.setState({ loadingMore: true });
    const page = await this.#api.orders(id, cursor);
    if (id !== this.#id) return;
    if (!page.ok) return this.setState({ loadingMore: false });
    this.setState({
      orders: appendPage(this.state.orders, page.data.items),
      ordersNext: page.data.nextCursor,
      loadingMore: false,
    });
  }

  apply(event: CampaignProgressEvent): void {
    const current = this.state.campaign;
    if (!current || event.campaignId !== current.id) return;
    this.setState({ campaign: { ...current, progress: event.progress }, lastChange: event });
    void this.reload();
  }

  async join(): Promise<boolean> {
    if (!this.#id) return false;
    const joined = await this.#api.join(this.#id);
    if (!joined.ok) {
      this.setState({ error: joined.error });
      return false;
    }
    await this.reload();
    return true;
  }
}

export type PledgeUnit = 't' | 'jin' | 'kg' | 'yuan';

/**
 * A pledge as typed (an amount in 吨, 斤, 公斤 or 元) → integer grams or fen for the API; an empty amount
 * is no pledge. A bad amount names the form's `pledge` field.
 */
export function pledgeOf(
  amount: string,
  unit: PledgeUnit,
): { ok: true; pledge: { pledgeGrams?: number; pledgeFen?: number } } | { ok: false; reason: string } {
  const text = amount.trim();
  if (!text) return { ok: true, pledge: {} };
  if (unit === 'yuan') {
    const fen = parseYuan(text);
    if (!fen.ok) return { ok: false, reason: fen.reason };
    return fen.fen > 0 ? { ok: true, pledge: { pledgeFen: fen.fen } } : { ok: false, reason: 'NOT_POSITIVE' };
  }
  const grams = parseWeight(text, unit);
  if (!grams.ok) return { ok: false, reason: grams.reason };
  return grams.grams > 0 ? { ok: true, pledge: { pledgeGrams: grams.grams } } : { ok: false, reason: 'NOT_POSITIVE' };
}

/** A Shanghai calendar day's start (`from`) or the start of the day after (`to`, so the whole day counts). */
export const shanghaiDayStart = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
export const shanghaiDayEnd = (date: string) =>
  new Date(new Date(`${date}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();

/** The server's field errors for one form field: its own key, or any nested key under it (`tasks.0.owner`). */
export function fieldError(fields: Record<string, string>, key: string): string | undefined {
  if (key in fields) return fields[key] || '✗';
  const nested = Object.keys(fields).find((k) => k.startsWith(`${key}.`));
  return nested ? fields[nested] || '✗' : undefined;
}

/** A poster opened through its share link (token in the address): shown without signing in. */
export function isSharedPosterPath(path: string): boolean {
  const route = parseProgrammePath(path);
  return route?.name === 'poster' && !!route.token;
}
