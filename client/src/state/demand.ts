/**
 * Demand as one organisation sees it: for a restaurant its purchase requests and standing orders (and the
 * verified farms it may name); for a farm the market's open demand. DOM-free: the pages call its methods
 * with what the person typed, and show the field problems it returns next to the inputs.
 */
import type { ApiFailure, ApiResult } from './api-result';
import {
  DEMAND_FIELDS,
  placeFieldErrors,
  readDemandForm,
  readSellOfferForm,
  readStandingForm,
  SELL_OFFER_FIELDS,
  STANDING_FIELDS,
  type DemandFormInput,
  type DemandView,
  type FieldMap,
  type FieldProblems,
  type Read,
  type SellOfferFormInput,
  type StandingFormInput,
} from './demand-forms';
import type { FarmListing, MarketApi } from './market-api';
import type { DisplayUnit } from './market-format';
import type { Demand, Lot, Offer, StandingOrder } from './market-types';
import { appendPage, byKeyThenId, readPages, refreshFirstPage, type Paged } from './pages';
import { MAX_PAGE_LIMIT } from '../../../shared/domain/paging';
import { Store } from './store';

/**
 * Standing orders with the farm's answer: new ones wait for the named farm (`proposed`), which accepts
 * (`active`) or declines (`declined`, with a reason). Older servers answer `active` straight away.
 */
export type StandingStatus = 'proposed' | 'active' | 'declined' | 'cancelled';
export type StandingOrderView = StandingOrder & { declineReason?: string };

export const standingStatus = (s: Pick<StandingOrder, 'status'>): StandingStatus =>
  s.status === 'proposed' || s.status === 'declined' || s.status === 'cancelled' ? s.status : 'active';

export type SubmitOutcome<T> = { ok: true; data: T } | { ok: false; fields: FieldProblems; error: ApiFailure | null };

export interface DemandState {
  /** The restaurant's own requests, any status, newest first. */
  mine: DemandView[];
  standing: StandingOrderView[];
  farms: FarmListing[];
  /** Open demand across the market, soonest needed first (for farms). */
  open: DemandView[];
  /** Where each paged list's next page starts; null once all of it is read. */
  mineNext: string | null;
  standingNext: string | null;
  openNext: string | null;
  /** A next page is being read. */
  loadingMore: boolean;
  loaded: boolean;
  error: ApiFailure | null;
}

/** Rows a page of demand or standing orders brings. */
const DEMAND_PAGE = 50;

// The orders the server pages in (keyset: the key, then the id), so pages append in place.
const byNewest = byKeyThenId<DemandView>((d) => d.createdAt ?? d.neededBy, -1);
const bySoonest = byKeyThenId<DemandView>((d) => d.neededBy, 1);
const standingNewest = byKeyThenId<StandingOrderView>((s) => s.createdAt, -1);

function put<T extends { id: string }>(items: T[], item: T): T[] {
  return items.some((x) => x.id === item.id) ? items.map((x) => (x.id === item.id ? item : x)) : [item, ...items];
}

export class DemandStore extends Store<DemandState> {
  constructor(private readonly api: MarketApi) {
    super({
      mine: [],
      standing: [],
      farms: [],
      open: [],
      mineNext: null,
      standingNext: null,
      openNext: null,
      loadingMore: false,
      loaded: false,
      error: null,
    });
  }

  /**
   * The restaurant's first pages of requests and standing orders (what was read beyond them stays), and the
   * farms it may name (every page, bounded: a picker needs them all), by name.
   */
  async loadRestaurant(): Promise<void> {
    const [mine, standing, farms] = await Promise.all([
      this.api.myDemand({ limit: DEMAND_PAGE }),
      this.api.standingOrders({ limit: DEMAND_PAGE }),
      readPages((cursor) => this.api.farms({ limit: MAX_PAGE_LIMIT, ...(cursor ? { cursor } : {}) })),
    ]);
    const failed = [mine, standing, farms].find((r): r is { ok: false; error: ApiFailure } => !r.ok);
    this.setState({
      loaded: true,
      error: failed ? failed.error : null,
      ...(mine.ok ? this.#firstMine(mine.data) : {}),
      ...(standing.ok ? this.#firstStanding(standing.data) : {}),
      ...(farms.ok ? { farms: farms.data.items.slice().sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')) } : {}),
    });
  }

  /** Re-reads the restaurant's own requests only (after a sell offer on one was accepted: its fill changed). */
  async refreshMine(): Promise<void> {
    const mine = await this.api.myDemand({ limit: DEMAND_PAGE });
    if (mine.ok) this.setState(this.#firstMine(mine.data));
  }

  /** The first page of open demand again; the pages read beyond it stay (a refresh does not lose the place). */
  async loadOpen(): Promise<void> {
    const open = await this.api.openDemand({ limit: DEMAND_PAGE });
    if (!open.ok) {
      this.setState({ loaded: true, error: open.error });
      return;
    }
    const first = {
      items: (open.data.items as DemandView[]).slice().sort(bySoonest),
      nextCursor: open.data.nextCursor,
    };
    const kept = refreshFirstPage({ items: this.state.open, nextCursor: this.state.openNext }, first, bySoonest);
    this.setState({ loaded: true, error: null, open: kept.items, openNext: kept.nextCursor });
  }

  /** The next page of open demand (soonest needed after the last one shown). */
  moreOpen(): Promise<void> {
    return this.#more(
      'openNext',
      (cursor) => this.api.openDemand({ limit: DEMAND_PAGE, cursor }),
      (page) => ({
        open: appendPage(this.state.open, page.items as DemandView[]),
        openNext: page.nextCursor,
      }),
    );
  }

  /** The next page of the restaurant's own requests (older ones). */
  moreMine(): Promise<void> {
    return this.#more(
      'mineNext',
      (cursor) => this.api.myDemand({ limit: DEMAND_PAGE, cursor }),
      (page) => ({
        mine: appendPage(this.state.mine, page.items as DemandView[]),
        mineNext: page.nextCursor,
      }),
    );
  }

  /** The next page of standing orders (older ones). */
  moreStanding(): Promise<void> {
    return this.#more(
      'standingNext',
      (cursor) => this.api.standingOrders({ limit: DEMAND_PAGE, cursor }),
      (page) => ({
        standing: appendPage(this.state.standing, page.items),
        standingNext: page.nextCursor,
      }),
    );
  }

  async #more<T>(
    next: 'openNext' | 'mineNext' | 'standingNext',
    read: (cursor: string) => Promise<ApiResult<Paged<T>>>,
    add: (page: Paged<T>) => Partial<DemandState>,
  ): Promise<void> {
    const cursor = this.state[next];
    if (!cursor || this.state.loadingMore) return;
    this.setState({ loadingMore: true });
    const page = await read(cursor);
    this.setState({ loadingMore: false, ...(page.ok ? add(page.data) : { error: page.error }) });
  }

  #firstMine(page: Paged<Demand>): Pick<DemandState, 'mine' | 'mineNext'> {
    const first = { items: (page.items as DemandView[]).slice().sort(byNewest), nextCursor: page.nextCursor };
    const kept = refreshFirstPage({ items: this.state.mine, nextCursor: this.state.mineNext }, first, byNewest);
    return { mine: kept.items, mineNext: kept.nextCursor };
  }

  #firstStanding(page: Paged<StandingOrderView>): Pick<DemandState, 'standing' | 'standingNext'> {
    const kept = refreshFirstPage(
      { items: this.state.standing, nextCursor: this.state.standingNext },
      page,
      standingNewest,
    );
    return { standing: kept.items, standingNext: kept.nextCursor };
  }

  postDemand(input: DemandFormInput, now: Date): Promise<SubmitOutcome<DemandView>> {
    return this.#submit(
      readDemandForm(input, now),
      DEMAND_FIELDS,
      input.unit,
      (body) => this.api.postDemand(body),
      (d) => this.setState({ mine: put(this.state.mine, d as DemandView) }),
    );
  }

  async withdrawDemand(id: string): Promise<ApiResult<Demand>> {
    const r = await this.api.withdrawDemand(id);
    if (r.ok) this.setState({ mine: put(this.state.mine, r.data as DemandView) });
    return r;
  }

  proposeStandingOrder(input: StandingFormInput, now: Date): Promise<SubmitOutcome<StandingOrderView>> {
    return this.#submit(
      readStandingForm(input, now),
      STANDING_FIELDS,
      input.unit,
      (body) => this.api.proposeStandingOrder(body),
      (s) => this.setState({ standing: put(this.state.standing, s) }),
    );
  }

  async cancelStandingOrder(id: string): Promise<ApiResult<StandingOrder>> {
    const r = await this.api.cancelStandingOrder(id);
    if (r.ok) this.setState({ standing: put(this.state.standing, r.data) });
    return r;
  }

  /** A sell offer on `demand` from one of the farm's lots; a closed demand leaves the list. */
  async sellOffer(
    demand: DemandView,
    input: SellOfferFormInput,
    lot: Lot | undefined,
    show: { weight: (grams: number) => string; price: (fenPerKg: number) => string },
  ): Promise<SubmitOutcome<Offer>> {
    const outcome = await this.#submit(
      readSellOfferForm(input, demand, lot, show.weight, show.price),
      SELL_OFFER_FIELDS,
      input.unit,
      (body) => this.api.offerToDemand(demand.id, body),
    );
    if (!outcome.ok && outcome.error?.code === 'DEMAND_CLOSED')
      this.setState({ open: this.state.open.filter((d) => d.id !== demand.id) });
    return outcome;
  }

  async #submit<B, T>(
    read: Read<B>,
    map: FieldMap,
    unit: DisplayUnit,
    send: (body: B) => Promise<ApiResult<T>>,
    saved?: (data: T) => void,
  ): Promise<SubmitOutcome<T>> {
    if (!read.ok) return { ok: false, fields: read.fields, error: null };
    const r = await send(read.body);
    if (r.ok) {
      saved?.(r.data);
      return { ok: true, data: r.data };
    }
    return { ok: false, fields: placeFieldErrors(r.error, map, unit).fields, error: r.error };
  }
}
