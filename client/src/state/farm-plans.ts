/**
 * A farm's plans page (#/market/outlook), DOM-free: its capacity as a form the farmer can fill in
 * their own unit (斤 / 公斤 / 吨 → integer grams), and the standing orders restaurants propose to it,
 * which it accepts, declines or — once agreed — ends. Form fields are named by the API's dotted paths
 * (`production.0.dailyGrams`, `pickup.name`), so a server field error lands on its input as it is.
 */
import { isProductCode, type ProductCode } from '../../../shared/domain/catalogue';
import { parseWeight } from '../../../shared/domain/units';
import type { CapacityBody, MarketUpdate } from '../../../shared/schemas/market';
import type { ApiFailure, ApiResult } from './api-result';
import type { DisplayUnit } from './market-format';
import type { MarketApi } from './market-api';
import type { FarmCapacity, StandingOrder } from './market-types';
import { serverFieldMessage } from './field-errors';
import { msg, type Message } from './message';
import { appendPage, byKeyThenId, refreshFirstPage } from './pages';
import { Store } from './store';
import { heldAtStart, mergeRead, olderThanHeld } from './versions';

const UNIT_GRAMS: Record<DisplayUnit, number> = { jin: 500, kg: 1000, t: 1_000_000 };

/** Standing orders a page brings; the server reads them newest placed first. */
const STANDING_PAGE = 50;
const newestFirst = byKeyThenId<StandingOrder>((s) => s.createdAt, -1);

interface ProductionRow {
  productCode: string;
  amount: string;
  /** ISO weekdays it harvests; empty = every day. */
  weekdays: number[];
}

export interface CapacityFormInput {
  unit: DisplayUnit;
  production: ProductionRow[];
  coldStorage: string;
  dispatch: string;
  pickupName: string;
  pickupAddress: string;
}

/** Field path (as the API names it) → what is wrong. */
export type CapacityFieldErrors = Record<string, Message>;

/** Grams as the farmer would type them in `unit`; exact, since every unit is a whole number of grams. */
const amountIn = (grams: number, unit: DisplayUnit): string => String(grams / UNIT_GRAMS[unit]);

export function capacityFormFrom(capacity: FarmCapacity | null, unit: DisplayUnit): CapacityFormInput {
  return {
    unit,
    production: capacity?.production.map((p) => ({
      productCode: p.productCode,
      amount: amountIn(p.dailyGrams, unit),
      weekdays: p.weekdays ?? [],
    })) ?? [{ productCode: '', amount: '', weekdays: [] }],
    coldStorage: capacity ? amountIn(capacity.coldStorageGrams, unit) : '',
    dispatch: capacity ? amountIn(capacity.dispatchGramsPerDay, unit) : '',
    pickupName: capacity?.pickup?.name ?? '',
    pickupAddress: capacity?.pickup?.address ?? '',
  };
}

function readAmount(text: string, unit: DisplayUnit, allowZero: boolean): number | Message {
  const r = parseWeight(text, unit);
  if (!r.ok) return msg(r.reason === 'EMPTY' ? 'market.error.required' : 'market.capacity.error.amount');
  if (r.grams === 0 && !allowZero) return msg('market.error.weight');
  return r.grams;
}

/** The PUT /api/capacity body, or what is wrong, by field path. Rows left entirely empty are dropped. */
export function readCapacityForm(
  input: CapacityFormInput,
): { ok: true; body: CapacityBody } | { ok: false; fields: CapacityFieldErrors } {
  const fields: CapacityFieldErrors = {};
  const production: CapacityBody['production'] = [];
  const seen = new Set<string>();
  input.production.forEach((row, i) => {
    if (row.productCode === '' && row.amount.trim() === '') return;
    const code: ProductCode | null = isProductCode(row.productCode) ? row.productCode : null;
    if (!code) fields[`production.${i}.productCode`] = msg('market.error.product');
    else if (seen.has(code)) fields[`production.${i}.productCode`] = msg('market.capacity.error.duplicate');
    if (code) seen.add(code);
    const grams = readAmount(row.amount, input.unit, false);
    if (typeof grams !== 'number') fields[`production.${i}.dailyGrams`] = grams;
    if (code && typeof grams === 'number') {
      const weekdays = [...new Set(row.weekdays)].sort((a, b) => a - b);
      production.push({
        productCode: code,
        dailyGrams: grams,
        ...(weekdays.length > 0 && weekdays.length < 7 ? { weekdays } : {}),
      });
    }
  });
  const coldStorageGrams = readAmount(input.coldStorage, input.unit, true);
  if (typeof coldStorageGrams !== 'number') fields.coldStorageGrams = coldStorageGrams;
  const dispatchGramsPerDay = readAmount(input.dispatch, input.unit, true);
  if (typeof dispatchGramsPerDay !== 'number') fields.dispatchGramsPerDay = dispatchGramsPerDay;
  const name = input.pickupName.trim();
  const address = input.pickupAddress.trim();
  if ((name === '') !== (address === ''))
    fields[name === '' ? 'pickup.name' : 'pickup.address'] = msg('market.capacity.error.pickupBoth');
  if (Object.keys(fields).length > 0 || typeof coldStorageGrams !== 'number' || typeof dispatchGramsPerDay !== 'number')
    return { ok: false, fields };
  return {
    ok: true,
    body: { production, coldStorageGrams, dispatchGramsPerDay, ...(name ? { pickup: { name, address } } : {}) },
  };
}

export interface FarmPlansState {
  loaded: boolean;
  capacity: FarmCapacity | null;
  /** The form while the farmer edits; null when showing the saved capacity. */
  form: CapacityFormInput | null;
  errors: CapacityFieldErrors;
  formError: ApiFailure | null;
  saving: boolean;
  /** Standing orders naming this farm: proposed ones wait for its answer, active ones it supplies. */
  standing: StandingOrder[];
  /** Where the next page of standing orders starts (older ones); null once all are read. */
  standingNext: string | null;
  /** A next page of standing orders is being read. */
  loadingMore: boolean;
  /** The standing order an accept / decline / end is in flight for. */
  acting: string | null;
  /** The last step's outcome, for a notice by the list. */
  notice:
    | {
        kind: 'ok';
        key:
          'market.standing.accepted' | 'market.standing.declined' | 'market.standing.ended' | 'market.capacity.saved';
      }
    | { kind: 'error'; error: ApiFailure }
    | null;
  loadError: ApiFailure | null;
}

const STEP_NOTICE = {
  accept: 'market.standing.accepted',
  decline: 'market.standing.declined',
  end: 'market.standing.ended',
} as const;

export class FarmPlansStore extends Store<FarmPlansState> {
  constructor(
    private readonly api: MarketApi,
    private readonly organisationId: string,
  ) {
    super({
      loaded: false,
      capacity: null,
      form: null,
      errors: {},
      formError: null,
      saving: false,
      standing: [],
      standingNext: null,
      loadingMore: false,
      acting: null,
      notice: null,
      loadError: null,
    });
  }

  async load(): Promise<void> {
    // A step's answer or an event may come in while the list is read: the fresher standing order stays.
    const atStart = heldAtStart(this.state.standing);
    const [capacity, standing] = await Promise.all([
      this.api.capacity(),
      this.api.standingOrders({ limit: STANDING_PAGE }),
    ]);
    const failed = [capacity, standing].find(
      (r): r is { ok: false; error: ApiFailure } => !r.ok && r.error.code !== 'NOT_FOUND',
    );
    // The first page again; what was read beyond it stays (a reload after a refused step keeps the place).
    const kept = standing.ok
      ? refreshFirstPage(
          { items: this.state.standing, nextCursor: this.state.standingNext },
          { items: this.#forMe(standing.data.items), nextCursor: standing.data.nextCursor },
          newestFirst,
        )
      : { items: [], nextCursor: null };
    this.setState({
      loaded: true,
      capacity: capacity.ok ? capacity.data : null,
      standing: mergeRead(kept.items, this.state.standing, atStart).sort(newestFirst),
      standingNext: kept.nextCursor,
      loadError: failed?.error ?? null,
    });
  }

  /** The next page of standing orders naming this farm (older ones). */
  async moreStanding(): Promise<void> {
    const cursor = this.state.standingNext;
    if (!cursor || this.state.loadingMore) return;
    this.setState({ loadingMore: true });
    const page = await this.api.standingOrders({ limit: STANDING_PAGE, cursor });
    this.setState({
      loadingMore: false,
      ...(page.ok
        ? {
            standing: appendPage(this.state.standing, this.#forMe(page.data.items)),
            standingNext: page.data.nextCursor,
          }
        : { notice: { kind: 'error' as const, error: page.error } }),
    });
  }

  /** Proposed first (they wait for an answer), then active; declined and cancelled ones are history. */
  get proposed(): StandingOrder[] {
    return this.state.standing.filter((s) => s.status === 'proposed');
  }

  get active(): StandingOrder[] {
    return this.state.standing.filter((s) => s.status === 'active');
  }

  edit(unit: DisplayUnit): void {
    this.setState({ form: capacityFormFrom(this.state.capacity, unit), errors: {}, formError: null, notice: null });
  }

  cancelEdit(): void {
    this.setState({ form: null, errors: {}, formError: null });
  }

  /** Changes the form; a changed field's error goes (it is checked again on save). */
  change(patch: Partial<CapacityFormInput>, clears: string[] = []): void {
    if (!this.state.form) return;
    const errors = { ...this.state.errors };
    for (const name of clears) delete errors[name];
    this.setState({ form: { ...this.state.form, ...patch }, errors });
  }

  /** Switching the unit keeps what was typed meaning the same weight. */
  changeUnit(unit: DisplayUnit): void {
    const form = this.state.form;
    if (!form || form.unit === unit) return;
    const convert = (text: string) => {
      const r = parseWeight(text, form.unit);
      return r.ok ? amountIn(r.grams, unit) : text;
    };
    this.setState({
      form: {
        ...form,
        unit,
        production: form.production.map((row) => ({ ...row, amount: convert(row.amount) })),
        coldStorage: convert(form.coldStorage),
        dispatch: convert(form.dispatch),
      },
    });
  }

  async save(): Promise<boolean> {
    const form = this.state.form;
    if (!form || this.state.saving) return false;
    const read = readCapacityForm(form);
    if (!read.ok) {
      this.setState({ errors: read.fields, formError: null });
      return false;
    }
    this.setState({ saving: true, errors: {}, formError: null });
    const r = await this.api.putCapacity(read.body);
    if (!r.ok) {
      const errors: CapacityFieldErrors = {};
      for (const [path, text] of Object.entries(r.error.fields))
        errors[path] =
          text || r.error.fieldIssues?.[path]
            ? serverFieldMessage(r.error, path, form.unit)
            : msg('market.error.required');
      this.setState({ saving: false, errors, formError: r.error });
      return false;
    }
    this.setState({
      saving: false,
      capacity: r.data,
      form: null,
      notice: { kind: 'ok', key: 'market.capacity.saved' },
    });
    return true;
  }

  accept(id: string): Promise<boolean> {
    return this.#step(id, 'accept', () => this.api.acceptStandingOrder(id));
  }

  decline(id: string, reason: string): Promise<boolean> {
    return this.#step(id, 'decline', () => this.api.declineStandingOrder(id, reason));
  }

  /** The farm stops supplying an agreed standing order; the restaurant reads the reason. */
  end(id: string, reason: string): Promise<boolean> {
    return this.#step(id, 'end', () => this.api.cancelStandingOrder(id, reason));
  }

  /** Socket `market:update` for a standing order naming this farm (proposed, or the restaurant cancelled). */
  applyUpdate(update: MarketUpdate): void {
    if (!update.type.startsWith('standing-order:')) return;
    const so = update.data.standingOrder as StandingOrder | undefined;
    if (so && typeof so.id === 'string' && so.sellerOrgId === this.organisationId) this.#put(so);
  }

  async #step(
    id: string,
    kind: keyof typeof STEP_NOTICE,
    call: () => Promise<ApiResult<StandingOrder>>,
  ): Promise<boolean> {
    if (this.state.acting) return false;
    this.setState({ acting: id, notice: null });
    const r = await call();
    if (!r.ok) {
      this.setState({ acting: null, notice: { kind: 'error', error: r.error } });
      // It may have changed under us (the restaurant cancelled): show what it is now.
      if (r.error.code === 'WRONG_STATUS') await this.load();
      return false;
    }
    this.#put(r.data);
    this.setState({ acting: null, notice: { kind: 'ok', key: STEP_NOTICE[kind] } });
    return true;
  }

  #put(so: StandingOrder): void {
    const i = this.state.standing.findIndex((s) => s.id === so.id);
    // An event replayed after a reconnect may be older than what a step's answer or a reload showed.
    if (olderThanHeld(so, [this.state.standing[i]])) return;
    // A step's reply carries no names; keep the ones the list had.
    const old = i === -1 ? undefined : this.state.standing[i];
    const buyerName = so.buyerName ?? old?.buyerName;
    const merged = { ...old, ...so, ...(buyerName ? { buyerName } : {}) };
    const standing =
      i === -1 ? [...this.state.standing, merged] : this.state.standing.map((s, k) => (k === i ? merged : s));
    this.setState({ standing });
  }

  #forMe(items: StandingOrder[]): StandingOrder[] {
    return items.filter((s) => s.sellerOrgId === this.organisationId);
  }
}
