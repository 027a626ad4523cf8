/**
 * Standing orders: "50 kg shiitake every Tuesday and Friday, up to +20% at 10% off".
 * The base quantity is a firm commitment at the agreed price; the tolerance is optional
 * extra the restaurant will absorb when the farm has surplus, at a discount. Occurrences
 * are Shanghai calendar days (calendar.ts), whatever the server's time zone.
 *
 * A standing order naming a farm binds that farm only once it agrees: it starts `proposed`,
 * the farm accepts (`active`) or declines with a reason (`declined`); the restaurant may
 * cancel a proposed or active one, the farm may end an active one with a reason (`cancelled`).
 * Only `active` ones are commitments (the farm's outlook, occurrences).
 */
import {
  addDays,
  daysBetween,
  isCalendarDate,
  shanghaiDate,
  shanghaiInstant,
  weekdayOf,
  type CalendarDate,
  type Weekday,
} from './calendar';
import { isProductCode } from './catalogue';
import { checkFeasible, type FeasibilityReason, type FeasibleLot } from './feasibility';
import { isPositiveInteger } from './lots';
import { fail, type Failure } from './outcome';
import { applyPercent, totalFen } from './units';

interface Tolerance {
  /** Extra quantity on top of the base, in percent of it (0–100). */
  extraPercent: number;
  /** Discount on the extra quantity, in percent (0–90). */
  discountPercent: number;
}

export interface StandingOrderTerms {
  productCode: string;
  gramsPerOccurrence: number;
  weekdays: Weekday[];
  priceFenPerKg: number;
  startDate: CalendarDate;
  /** Inclusive; absent = until cancelled. */
  endDate?: CalendarDate;
  /** Shanghai wall-clock time the delivery is due, 'HH:MM'. */
  deliverBy: string;
  tolerance?: Tolerance;
}

export interface StandingOrder extends StandingOrderTerms {
  id: string;
  buyerOrgId: string;
  sellerOrgId?: string;
}

export const STANDING_ORDER_STATUSES = ['proposed', 'active', 'declined', 'cancelled'] as const;
export type StandingOrderStatus = (typeof STANDING_ORDER_STATUSES)[number];

/** Which side of a standing order acts: the restaurant that placed it, or the farm it names. */
export type StandingOrderSide = 'buyer' | 'seller';

export type StandingOrderAction =
  { type: 'accept' } | { type: 'decline'; reason: string } | { type: 'cancel'; reason?: string };

export type StandingOrderTransitionFailure = Failure<'WRONG_SIDE' | 'WRONG_STATUS' | 'REASON_REQUIRED'>;

/**
 * The new status if `side` may take `action` on a standing order now in `status`. The caller writes
 * it conditionally on `status` still being current, so of two racing steps exactly one lands.
 */
export function standingOrderTransition(
  status: StandingOrderStatus,
  side: StandingOrderSide,
  action: StandingOrderAction,
): { ok: true; to: StandingOrderStatus } | StandingOrderTransitionFailure {
  const wrongStatus = () => fail('WRONG_STATUS', `The standing order is ${status}`);
  switch (action.type) {
    case 'accept':
    case 'decline':
      if (side !== 'seller')
        return fail('WRONG_SIDE', 'Only the farm the standing order names may accept or decline it');
      if (status !== 'proposed') return wrongStatus();
      if (action.type === 'decline' && action.reason.trim() === '')
        return fail('REASON_REQUIRED', 'Say why the farm declines', 'reason');
      return { ok: true, to: action.type === 'accept' ? 'active' : 'declined' };
    case 'cancel':
      if (side === 'buyer')
        return status === 'proposed' || status === 'active' ? { ok: true, to: 'cancelled' } : wrongStatus();
      // The farm turns down a proposal with `decline`; it can only end what it agreed to.
      if (status !== 'active') return wrongStatus();
      if (!action.reason?.trim()) return fail('REASON_REQUIRED', 'Say why the farm ends the standing order', 'reason');
      return { ok: true, to: 'cancelled' };
  }
}

/** Only an agreed standing order commits the farm (outlook) and produces occurrences. */
export const isCommitment = (order: { status: StandingOrderStatus }): boolean => order.status === 'active';

/** A standing order naming a farm waits for its consent; one naming none binds nobody and is live at once. */
export const initialStatus = (order: { sellerOrgId?: string }): StandingOrderStatus =>
  order.sellerOrgId ? 'proposed' : 'active';

export interface Occurrence {
  standingOrderId: string;
  date: CalendarDate;
  dueAt: Date;
  baseGrams: number;
  maxExtraGrams: number;
}

/** Longest window expanded at once, to keep a careless request cheap. */
export const MAX_EXPANSION_DAYS = 366;

export type StandingOrderFailure = Failure<
  | 'UNKNOWN_PRODUCT'
  | 'INVALID_QUANTITY'
  | 'INVALID_PRICE'
  | 'NO_WEEKDAYS'
  | 'INVALID_DATE'
  | 'END_BEFORE_START'
  | 'INVALID_TIME'
  | 'INVALID_TOLERANCE'
>;

export function checkStandingOrder(terms: StandingOrderTerms): { ok: true } | StandingOrderFailure {
  if (!isProductCode(terms.productCode))
    return fail('UNKNOWN_PRODUCT', `No product with code "${terms.productCode}"`, 'productCode');
  if (!isPositiveInteger(terms.gramsPerOccurrence))
    return fail('INVALID_QUANTITY', 'gramsPerOccurrence must be above 0', 'gramsPerOccurrence');
  if (!isPositiveInteger(terms.priceFenPerKg))
    return fail('INVALID_PRICE', 'priceFenPerKg must be above 0', 'priceFenPerKg');
  if (terms.weekdays.length === 0 || terms.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    return fail('NO_WEEKDAYS', 'weekdays must list ISO weekdays 1 (Mon) – 7 (Sun)', 'weekdays');
  }
  if (!isCalendarDate(terms.startDate)) return fail('INVALID_DATE', 'startDate must be YYYY-MM-DD', 'startDate');
  if (terms.endDate !== undefined) {
    if (!isCalendarDate(terms.endDate)) return fail('INVALID_DATE', 'endDate must be YYYY-MM-DD', 'endDate');
    if (terms.endDate < terms.startDate) return fail('END_BEFORE_START', 'endDate is before startDate', 'endDate');
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(terms.deliverBy))
    return fail('INVALID_TIME', 'deliverBy must be HH:MM', 'deliverBy');
  const t = terms.tolerance;
  if (t && (!(t.extraPercent >= 0 && t.extraPercent <= 100) || !(t.discountPercent >= 0 && t.discountPercent <= 90))) {
    return fail('INVALID_TOLERANCE', 'tolerance: extraPercent 0–100, discountPercent 0–90', 'tolerance');
  }
  return { ok: true };
}

function maxExtraGrams(order: Pick<StandingOrderTerms, 'gramsPerOccurrence' | 'tolerance'>): number {
  return order.tolerance ? Math.floor((order.gramsPerOccurrence * order.tolerance.extraPercent) / 100) : 0;
}

/** The dated occurrences between `from` and `to` inclusive (Shanghai days). */
export function expandOccurrences(order: StandingOrder, from: CalendarDate, to: CalendarDate): Occurrence[] {
  const first = order.startDate > from ? order.startDate : from;
  const last = order.endDate !== undefined && order.endDate < to ? order.endDate : to;
  const span = Math.min(daysBetween(first, last), MAX_EXPANSION_DAYS);
  const extra = maxExtraGrams(order);
  const out: Occurrence[] = [];
  for (let i = 0; i <= span; i++) {
    const date = addDays(first, i);
    if (!order.weekdays.includes(weekdayOf(date))) continue;
    out.push({
      standingOrderId: order.id,
      date,
      dueAt: shanghaiInstant(date, order.deliverBy),
      baseGrams: order.gramsPerOccurrence,
      maxExtraGrams: extra,
    });
  }
  return out;
}

export interface Fill {
  baseGrams: number;
  extraGrams: number;
  basePriceFenPerKg: number;
  extraPriceFenPerKg: number;
  totalFen: number;
  /** Base not covered by what the farm had. */
  shortfallGrams: number;
}

/**
 * How an occurrence is filled from `availableGrams` the farm can put toward it:
 * the base first at the agreed price, then up to the tolerance at the discount.
 */
export function fillOccurrence(
  order: Pick<StandingOrderTerms, 'gramsPerOccurrence' | 'priceFenPerKg' | 'tolerance'>,
  availableGrams: number,
): Fill {
  const available = Math.max(0, Math.floor(availableGrams));
  const baseGrams = Math.min(available, order.gramsPerOccurrence);
  const extraGrams = Math.min(available - baseGrams, maxExtraGrams(order));
  const extraPriceFenPerKg = applyPercent(order.priceFenPerKg, -(order.tolerance?.discountPercent ?? 0));
  return {
    baseGrams,
    extraGrams,
    basePriceFenPerKg: order.priceFenPerKg,
    extraPriceFenPerKg,
    totalFen: totalFen(baseGrams, order.priceFenPerKg) + totalFen(extraGrams, extraPriceFenPerKg),
    shortfallGrams: order.gramsPerOccurrence - baseGrams,
  };
}

/**
 * Surplus left after the base commitments, absorbed by the tolerances of the day's
 * standing orders — highest discounted price first (the farm earns most), ties by id.
 */
export function absorbSurplus(
  surplusGrams: number,
  orders: Pick<StandingOrder, 'id' | 'gramsPerOccurrence' | 'priceFenPerKg' | 'tolerance'>[],
): {
  absorbed: { standingOrderId: string; grams: number; priceFenPerKg: number; totalFen: number }[];
  leftGrams: number;
} {
  const ranked = orders
    .map((o) => ({
      o,
      price: applyPercent(o.priceFenPerKg, -(o.tolerance?.discountPercent ?? 0)),
      cap: maxExtraGrams(o),
    }))
    .filter((r) => r.cap > 0)
    .sort((a, b) => b.price - a.price || (a.o.id < b.o.id ? -1 : 1));
  let left = Math.max(0, surplusGrams);
  const absorbed = [];
  for (const r of ranked) {
    if (left === 0) break;
    const grams = Math.min(left, r.cap);
    absorbed.push({ standingOrderId: r.o.id, grams, priceFenPerKg: r.price, totalFen: totalFen(grams, r.price) });
    left -= grams;
  }
  return { absorbed, leftGrams: left };
}

/** Default: an occurrence becomes a proposed order this many hours before it is due (STANDING_ORDER_LEAD_HOURS). */
export const DEFAULT_LEAD_HOURS = 24;

/**
 * The occurrences of an active standing order that should exist as proposed orders at `now`: due after
 * now and no later than `leadHours` ahead. Only an agreed standing order naming a farm produces orders.
 */
export function occurrencesToPropose(
  order: StandingOrder & { status: StandingOrderStatus },
  now: Date,
  leadHours: number,
): Occurrence[] {
  if (!isCommitment(order) || !order.sellerOrgId) return [];
  const until = new Date(now.getTime() + leadHours * 3_600_000);
  return expandOccurrences(order, shanghaiDate(now), shanghaiDate(until)).filter(
    (o) => o.dueAt.getTime() > now.getTime() && o.dueAt.getTime() <= until.getTime(),
  );
}

/** The key that makes one order per standing order and occurrence, however many generators run. */
export const occurrenceKey = (standingOrderId: string, date: CalendarDate): string =>
  `standing:${standingOrderId}:${date}`;

export type ProposalConfirmFailure = Failure<'INVALID_QUANTITY' | FeasibilityReason>;

/**
 * Whether the farm may confirm a proposed order with `grams` from `lot`: the base up to the tolerance's
 * extra, from an open lot of the same product that is still fresh when the delivery is due (the shared
 * feasibility rule). The price: the base at the agreed price, the extra at the discount.
 */
export function checkProposalConfirm(
  proposal: { productCode: string; dueAt: Date; baseGrams: number; maxExtraGrams: number },
  lot: FeasibleLot,
  grams: number,
  now: Date,
): { ok: true } | ProposalConfirmFailure {
  if (!Number.isSafeInteger(grams) || grams < proposal.baseGrams || grams > proposal.baseGrams + proposal.maxExtraGrams)
    return fail(
      'INVALID_QUANTITY',
      `quantityGrams must be between the agreed ${proposal.baseGrams} g and ${proposal.baseGrams + proposal.maxExtraGrams} g (the tolerance)`,
      'quantityGrams',
    );
  return checkFeasible(lot, { productCode: proposal.productCode, neededBy: proposal.dueAt }, now, grams);
}

/** What `grams` cost under a standing order: the base at `priceFenPerKg`, the rest at `extraPriceFenPerKg`. */
export function proposalTotalFen(
  grams: number,
  terms: { baseGrams: number; priceFenPerKg: number; extraPriceFenPerKg: number },
): number {
  const base = Math.min(grams, terms.baseGrams);
  return totalFen(base, terms.priceFenPerKg) + totalFen(grams - base, terms.extraPriceFenPerKg);
}
