/**
 * The programme pages' state (DOM-free, unit-testable): one campaign with its orders, kept live by the
 * `programme:campaign` socket event; the campaign list; pairings; the dashboard. Routes:
 * #/programme, #/programme/new, #/programme/campaigns/<id>, #/programme/campaigns/<id>/poster,
 * #/programme/pairings, #/programme/dashboard.
 */
import type { FarmBeforeAfter, ProgrammeDashboard } from '../../../shared/domain/programme/dashboard';
import type { CampaignProgressEvent, LeaderRowView, ProgressView } from '../../../shared/schemas/programme';
import { request, type FetchLike } from '../api';
import type { ApiFailure, ApiResult } from './api-result';
import { Store } from './store';

export type ProgrammeRoute =
  | { name: 'list' }
  | { name: 'new' }
  | { name: 'campaign'; id: string }
  | { name: 'poster'; id: string }
  | { name: 'pairings' }
  | { name: 'dashboard' };

export function parseProgrammePath(path: string): ProgrammeRoute | null {
  if (path === '/programme') return { name: 'list' };
  if (path === '/programme/new') return { name: 'new' };
  if (path === '/programme/pairings') return { name: 'pairings' };
  if (path === '/programme/dashboard') return { name: 'dashboard' };
  const m = /^\/programme\/campaigns\/([a-f0-9]{24})(\/poster)?$/.exec(path);
  if (m) return m[2] ? { name: 'poster', id: m[1] } : { name: 'campaign', id: m[1] };
  return null;
}

export function programmeHref(route: ProgrammeRoute): string {
  switch (route.name) {
    case 'list':
      return '#/programme';
    case 'campaign':
      return `#/programme/campaigns/${route.id}`;
    case 'poster':
      return `#/programme/campaigns/${route.id}/poster`;
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
  leaderboard?: { enterprises: LeaderRowView[]; villages: LeaderRowView[] };
}

export interface CampaignOrderRow {
  id: string;
  buyerName: string;
  sellerName: string;
  village?: string;
  productCode: string;
  quantityGrams: number;
  totalFen: number;
  confirmedAt: string;
}

export interface PairingView {
  id: string;
  enterpriseName: string;
  farms: { id: string; name: string }[];
  villages: string[];
  startsAt: string;
  endsAt: string;
  pledgeGrams?: number;
  pledgeFen?: number;
  status: 'active' | 'ended';
  progress: ProgressView;
  gramsPermille: number | null;
  valuePermille: number | null;
  history: { action: string; at: string; note?: string }[];
}

/** The dashboard as the API sends it: the pure rule's counts, each farm's name, and the programme's own counts. */
export type DashboardView = Omit<ProgrammeDashboard, 'farms'> & {
  campaigns: number;
  pairings: number;
  farms: (FarmBeforeAfter & { name: string })[];
};

export interface NewCampaign {
  name: string;
  startsAt: string;
  endsAt: string;
  productCodes?: string[];
  villages?: string[];
  targetValueFen?: number;
  targetGrams?: number;
}

export interface ProgrammeApi {
  campaigns(): Promise<ApiResult<{ items: CampaignView[] }>>;
  campaign(id: string): Promise<ApiResult<{ campaign: CampaignView }>>;
  poster(
    id: string,
  ): Promise<ApiResult<{ poster: CampaignView & { villageBoard: LeaderRowView[]; enterprises: string[] } }>>;
  orders(id: string): Promise<ApiResult<{ items: CampaignOrderRow[]; total: number }>>;
  create(body: NewCampaign): Promise<ApiResult<{ campaign: CampaignView }>>;
  join(id: string): Promise<ApiResult<{ joined: boolean }>>;
  pairings(): Promise<ApiResult<{ items: PairingView[] }>>;
  dashboard(from: string, to: string): Promise<ApiResult<DashboardView>>;
}

export function createProgrammeApi(fetchImpl: FetchLike = (input, init) => fetch(input, init)): ProgrammeApi {
  return {
    campaigns: () => request(fetchImpl, 'GET', '/api/campaigns'),
    campaign: (id) => request(fetchImpl, 'GET', `/api/campaigns/${id}`),
    poster: (id) => request(fetchImpl, 'GET', `/api/campaigns/${id}/poster`),
    orders: (id) => request(fetchImpl, 'GET', `/api/campaigns/${id}/orders`),
    create: (body) => request(fetchImpl, 'POST', '/api/campaigns', body),
    join: (id) => request(fetchImpl, 'POST', `/api/campaigns/${id}/join`, {}),
    pairings: () => request(fetchImpl, 'GET', '/api/pairings'),
    dashboard: (from, to) =>
      request(
        fetchImpl,
        'GET',
        `/api/programme/dashboard?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      ),
  };
}

/** What the store needs of the socket: watch one campaign, hear its progress (a fake in tests). */
export interface CampaignChannel {
  watch(campaignId: string): void;
  onProgress(listener: (event: CampaignProgressEvent) => void): () => void;
}

export interface CampaignState {
  campaign: CampaignView | null;
  orders: CampaignOrderRow[];
  error: ApiFailure | null;
  /** The last live change heard (orderId), for the page's "updated" note. */
  lastChange: CampaignProgressEvent | null;
}

/** One campaign page: loads it and its orders; a live event replaces the progress at once, then reloads the rest. */
export class CampaignStore extends Store<CampaignState> {
  readonly #api: ProgrammeApi;
  #id: string | null = null;
  #stop: (() => void) | null = null;

  constructor(api: ProgrammeApi) {
    super({ campaign: null, orders: [], error: null, lastChange: null });
    this.#api = api;
  }

  async open(id: string, channel: CampaignChannel | null): Promise<void> {
    this.close();
    this.#id = id;
    this.setState({ campaign: null, orders: [], error: null, lastChange: null });
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
    this.setState({ campaign: campaign.data.campaign, orders: orders.ok ? orders.data.items : [], error: null });
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
