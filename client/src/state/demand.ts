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
  loaded: boolean;
  error: ApiFailure | null;
}

const byNewest = (a: DemandView, b: DemandView) =>
  Date.parse(b.createdAt ?? b.neededBy) - Date.parse(a.createdAt ?? a.neededBy);
const bySoonest = (a: Demand, b: Demand) => Date.parse(a.neededBy) - Date.parse(b.neededBy);

function put<T extends { id: string }>(items: T[], item: T): T[] {
  return items.some((x) => x.id === item.id) ? items.map((x) => (x.id === item.id ? item : x)) : [item, ...items];
}

export class DemandStore extends Store<DemandState> {
  constructor(private readonly api: MarketApi) {
    super({ mine: [], standing: [], farms: [], open: [], loaded: false, error: null });
  }

  async loadRestaurant(): Promise<void> {
    const [mine, standing, farms] = await Promise.all([
      this.api.myDemand(),
      this.api.standingOrders(),
      this.api.farms(),
    ]);
    const failed = [mine, standing, farms].find((r): r is { ok: false; error: ApiFailure } => !r.ok);
    this.setState({
      loaded: true,
      error: failed ? failed.error : null,
      ...(mine.ok ? { mine: (mine.data.items as DemandView[]).slice().sort(byNewest) } : {}),
      ...(standing.ok ? { standing: standing.data.items } : {}),
      ...(farms.ok ? { farms: farms.data.items } : {}),
    });
  }

  /** Re-reads the restaurant's own requests only (after a sell offer on one was accepted: its fill changed). */
  async refreshMine(): Promise<void> {
    const mine = await this.api.myDemand();
    if (mine.ok) this.setState({ mine: (mine.data.items as DemandView[]).slice().sort(byNewest) });
  }

  async loadOpen(): Promise<void> {
    const open = await this.api.openDemand();
    this.setState({
      loaded: true,
      error: open.ok ? null : open.error,
      ...(open.ok ? { open: (open.data.items as DemandView[]).slice().sort(bySoonest) } : {}),
    });
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
