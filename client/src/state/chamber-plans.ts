/**
 * The chamber's view of farms' plans (#/market/chamber/plans), DOM-free and read-only: the market's
 * 7-day outlook (every farm summed, and each farm's day totals), one farm's capacity and outlook at a
 * time, every standing order with the parties' names, and open demand with the buyers' names.
 */
import { request, type FetchLike } from '../api';
import type { ApiFailure, ApiResult } from './api-result';
import type { Demand, FarmCapacity, FarmListing, MarketOutlook, OutlookDay, StandingOrder } from './market-types';
import { readPages, type Paged } from './pages';
import { Store } from './store';
import { heldAtStart, mergeRead } from './versions';

/** One farm's totals per day in the market outlook. */
type FarmDayTotals = MarketOutlook['farms'][number]['days'][number];
export type StandingStatus = StandingOrder['status'];

/** The chamber's reads (docs/market.md, "What the chamber reads"). */
export interface ChamberPlansApi {
  /** The three lists are paged (`cursor`: a previous page's nextCursor); the store reads them whole, bounded. */
  farms(cursor?: string): Promise<ApiResult<Paged<FarmListing>>>;
  marketOutlook(days: number): Promise<ApiResult<MarketOutlook>>;
  capacityOf(orgId: string): Promise<ApiResult<FarmCapacity>>;
  outlookOf(orgId: string, days: number): Promise<ApiResult<{ days: OutlookDay[] }>>;
  standingOrders(cursor?: string): Promise<ApiResult<Paged<StandingOrder>>>;
  openDemand(cursor?: string): Promise<ApiResult<Paged<Demand>>>;
}

/** `?limit=200[&cursor=…]`: the largest page. */
const pageOf = (cursor: string | undefined, first = '?') =>
  `${first}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

export function createChamberPlansApi(fetchImpl: FetchLike = (input, init) => fetch(input, init)): ChamberPlansApi {
  const get = <T>(path: string) => request<T>(fetchImpl, 'GET', path);
  const enc = encodeURIComponent;
  return {
    farms: (cursor) => get(`/api/farms${pageOf(cursor)}`),
    marketOutlook: (days) => get(`/api/capacity/market-outlook?days=${days}`),
    capacityOf: (orgId) => get(`/api/capacity?orgId=${enc(orgId)}`),
    outlookOf: (orgId, days) => get(`/api/capacity/outlook?orgId=${enc(orgId)}&days=${days}`),
    standingOrders: (cursor) => get(`/api/standing-orders${pageOf(cursor)}`),
    openDemand: (cursor) => get(`/api/demand${pageOf(cursor)}`),
  };
}

/** A row of the farms table: the farm's name (from GET /api/farms, else its id) and its days. */
export interface FarmRow {
  orgId: string;
  name: string;
  region: string;
  days: FarmDayTotals[];
  /** Over the whole outlook: what is left to sell and what is missing. */
  surplusGrams: number;
  shortfallGrams: number;
}

/** Farms with a plan, most unsold first (where the chamber can help most), then by name. */
export function farmRows(outlook: MarketOutlook | null, farms: readonly FarmListing[]): FarmRow[] {
  if (!outlook) return [];
  const listed = new Map(farms.map((f) => [f.id, f]));
  return outlook.farms
    .map((f) => ({
      orgId: f.orgId,
      name: listed.get(f.orgId)?.name ?? f.orgId,
      region: listed.get(f.orgId)?.region ?? '',
      days: f.days,
      surplusGrams: f.days.reduce((sum, d) => sum + d.totalSurplusGrams, 0),
      shortfallGrams: f.days.reduce((sum, d) => sum + d.shortfallGrams, 0),
    }))
    .sort((a, b) => b.surplusGrams - a.surplusGrams || a.name.localeCompare(b.name, 'zh-CN'));
}

/** How many standing orders are in each status (the filter's counts). */
export function countByStatus(items: readonly StandingOrder[]): Record<StandingStatus, number> {
  const counts: Record<StandingStatus, number> = { proposed: 0, active: 0, declined: 0, cancelled: 0 };
  for (const s of items) counts[s.status] += 1;
  return counts;
}

export interface ChamberPlansState {
  loaded: boolean;
  error: ApiFailure | null;
  farms: FarmListing[];
  outlook: MarketOutlook | null;
  standing: StandingOrder[];
  demand: Demand[];
  /** Buyer names by id, for open demand posted before demand carried `buyerName`. */
  names: Map<string, string>;
  /** The farm whose capacity and outlook are shown. */
  selected: string | null;
  capacity: FarmCapacity | null;
  farmDays: OutlookDay[];
  /** The selected farm has not registered its capacity. */
  noCapacity: boolean;
  /** Standing orders shown: all, or one status. */
  statusFilter: StandingStatus | 'all';
}

const OUTLOOK_DAYS = 7;

export class ChamberPlansStore extends Store<ChamberPlansState> {
  readonly #api: ChamberPlansApi;
  readonly #names: () => Promise<Map<string, string>>;
  #selecting = 0;

  /** `names`: organisation names by id (the accounts API's list), for demand that does not name its buyer. */
  constructor(api: ChamberPlansApi, names: () => Promise<Map<string, string>>) {
    super({
      loaded: false,
      error: null,
      farms: [],
      outlook: null,
      standing: [],
      demand: [],
      names: new Map(),
      selected: null,
      capacity: null,
      farmDays: [],
      noCapacity: false,
      statusFilter: 'all',
    });
    this.#api = api;
    this.#names = names;
  }

  /** Loads everything; selects the farm with the most unsold produce first. */
  async load(): Promise<void> {
    // A reload that overtook this one may already show fresher standing orders: keep them (versions.ts).
    const atStart = heldAtStart(this.state.standing);
    const [farms, outlook, standing, demand] = await Promise.all([
      readPages((cursor) => this.#api.farms(cursor)),
      this.#api.marketOutlook(OUTLOOK_DAYS),
      // Newest first and soonest needed first, up to readPages' bound (1,000 rows each; was 500 and 200).
      readPages((cursor) => this.#api.standingOrders(cursor)),
      readPages((cursor) => this.#api.openDemand(cursor)),
    ]);
    const failed = [farms, outlook, standing, demand].find((r): r is { ok: false; error: ApiFailure } => !r.ok);
    this.setState({
      loaded: true,
      error: failed?.error ?? null,
      farms: farms.ok ? farms.data.items.slice().sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')) : [],
      outlook: outlook.ok ? outlook.data : null,
      standing: standing.ok ? mergeRead(standing.data.items, this.state.standing, atStart) : [],
      demand: demand.ok ? demand.data.items : [],
    });
    // Demand carries the buyer's name from when it was posted; only older demand needs the organisations list.
    if (demand.ok && demand.data.items.some((d) => !d.buyerName)) this.setState({ names: await this.#names() });
    const first = farmRows(this.state.outlook, this.state.farms)[0]?.orgId ?? this.state.farms[0]?.id;
    if (first && !this.state.selected) await this.select(first);
  }

  /** Shows one farm's capacity and outlook; a slower earlier answer never overwrites a later choice. */
  async select(orgId: string): Promise<void> {
    const ticket = ++this.#selecting;
    this.setState({ selected: orgId, capacity: null, farmDays: [], noCapacity: false });
    const [capacity, outlook] = await Promise.all([
      this.#api.capacityOf(orgId),
      this.#api.outlookOf(orgId, OUTLOOK_DAYS),
    ]);
    if (ticket !== this.#selecting) return;
    const missing = !capacity.ok && capacity.error.status === 404;
    const failed = !capacity.ok && !missing ? capacity.error : !outlook.ok && !missing ? outlook.error : null;
    this.setState({
      capacity: capacity.ok ? capacity.data : null,
      farmDays: outlook.ok ? outlook.data.days : [],
      noCapacity: missing,
      ...(failed ? { error: failed } : {}),
    });
  }

  filter(status: StandingStatus | 'all'): void {
    this.setState({ statusFilter: status });
  }

  get shownStanding(): StandingOrder[] {
    const { standing, statusFilter } = this.state;
    return statusFilter === 'all' ? standing : standing.filter((s) => s.status === statusFilter);
  }
}
