/**
 * The demand forms as a person fills them in (text in their unit, Shanghai dates and times) and how they
 * become request bodies in grams, fen per kg and ISO instants — or field problems, named per input.
 * DOM-free: tests/client/demand.test.ts drives it in Node.
 */
import { addDays, isCalendarDate, shanghaiDate, shanghaiInstant, type Weekday } from '../../../shared/domain/calendar';
import { isProductCode } from '../../../shared/domain/catalogue';
import { stillWantedGrams } from '../../../shared/domain/demand';
import type { ApiFailure } from './api-result';
import type { Translate } from '../i18n';
import { readGrams, readPrice, shortTime, type DisplayUnit, type PriceUnit } from './market-format';
import type { DemandBody, SellOfferBody, StandingOrderBody } from './market-api';
import type { Demand, Lot } from './market-types';
import { msg, type Message } from './message';
import { serverFieldMessage } from './field-errors';

export type FieldProblems = Record<string, Message>;
export type Read<B> = { ok: true; body: B } | { ok: false; fields: FieldProblems };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const NOTE_MAX = 500;
const ADDRESS_MAX = 200;

/** Demand as the API returns it (shared/schemas/market-views.ts); older servers leave out filledGrams. */
export type DemandView = Demand;

// ---------------------------------------------------------------- a restaurant's purchase request

export interface DemandFormInput {
  productCode: string;
  quantity: string;
  unit: DisplayUnit;
  maxPrice: string;
  priceUnit: PriceUnit;
  /** Shanghai calendar day, YYYY-MM-DD. */
  date: string;
  /** Optional start of the delivery window, HH:MM. */
  fromTime: string;
  /** Latest delivery, HH:MM: with `date` this is `neededBy`. */
  byTime: string;
  /** Where to deliver; empty = the restaurant collects. */
  address: string;
  note: string;
}

export const emptyDemandForm = (now: Date, unit: DisplayUnit, address = ''): DemandFormInput => ({
  productCode: '',
  quantity: '',
  unit,
  maxPrice: '',
  priceUnit: unit === 'jin' ? 'jin' : 'kg',
  date: addDays(shanghaiDate(now), 1),
  fromTime: '',
  byTime: '10:00',
  address,
  note: '',
});

/**
 * The form as a request body: the window is deliverFrom..neededBy on the chosen Shanghai day, an
 * address means the farm delivers (`deliveryRequired`), none means the restaurant collects.
 */
export function readDemandForm(input: DemandFormInput, now: Date): Read<DemandBody> {
  const fields: FieldProblems = {};
  if (!isProductCode(input.productCode)) fields.productCode = msg('market.error.product');
  const quantity = readGrams(input.quantity, input.unit);
  if (!quantity.ok) fields.quantity = msg(quantity.error);
  const price = readPrice(input.maxPrice, input.priceUnit);
  if (!price.ok) fields.maxPrice = msg(price.error);
  let neededBy: Date | null = null;
  if (!isCalendarDate(input.date)) fields.date = msg('market.demand.error.date');
  else if (!TIME.test(input.byTime)) fields.byTime = msg('market.error.time');
  else {
    neededBy = shanghaiInstant(input.date, input.byTime);
    if (neededBy.getTime() <= now.getTime()) fields.date = msg('market.demand.error.past');
  }
  const fromTime = input.fromTime.trim();
  if (fromTime && (!TIME.test(fromTime) || fromTime >= input.byTime))
    fields.fromTime = msg('market.demand.error.window');
  const address = input.address.trim();
  if (address.length > ADDRESS_MAX) fields.address = msg('market.demand.error.addressLong', { n: ADDRESS_MAX });
  const note = input.note.trim();
  if (note.length > NOTE_MAX) fields.note = msg('market.demand.error.noteLong', { n: NOTE_MAX });
  if (Object.keys(fields).length > 0 || !isProductCode(input.productCode) || !quantity.ok || !price.ok || !neededBy)
    return { ok: false, fields };
  return {
    ok: true,
    body: {
      productCode: input.productCode,
      quantityGrams: quantity.grams,
      maxPriceFenPerKg: price.fenPerKg,
      neededBy: neededBy.toISOString(),
      ...(fromTime ? { deliverFrom: shanghaiInstant(input.date, fromTime).toISOString() } : {}),
      deliveryRequired: address !== '',
      ...(address ? { deliveryAddress: address } : {}),
      ...(note ? { note } : {}),
    },
  };
}

/**
 * When the goods are wanted, Shanghai time: "11/27 08:00–10:00 送到" for a window (the end's day left
 * out when it is the same), "11/27 10:00 前送到" when only the latest time is set.
 */
export function deliveryWindowText(t: Translate, demand: Pick<DemandView, 'deliverFrom' | 'neededBy'>): string {
  const to = shortTime(demand.neededBy);
  if (!demand.deliverFrom) return t('market.demandBoard.neededBy', { at: to });
  const from = shortTime(demand.deliverFrom);
  const [fromDay] = from.split(' ');
  const [toDay, toTime] = to.split(' ');
  return t('market.demandBoard.window', { from, to: fromDay === toDay && toTime ? toTime : to });
}

// ---------------------------------------------------------------- a standing order proposed to a farm

export interface StandingFormInput {
  sellerOrgId: string;
  productCode: string;
  quantity: string;
  unit: DisplayUnit;
  price: string;
  priceUnit: PriceUnit;
  weekdays: Weekday[];
  startDate: string;
  /** Empty: until cancelled. */
  endDate: string;
  deliverBy: string;
  /** "Up to +20 % at 10 % off": the farm may send more, the extra is cheaper. */
  tolerance: boolean;
  extraPercent: string;
  discountPercent: string;
}

export const emptyStandingForm = (now: Date, unit: DisplayUnit): StandingFormInput => ({
  sellerOrgId: '',
  productCode: '',
  quantity: '',
  unit,
  price: '',
  priceUnit: unit === 'jin' ? 'jin' : 'kg',
  weekdays: [],
  startDate: addDays(shanghaiDate(now), 1),
  endDate: '',
  deliverBy: '10:00',
  tolerance: true,
  extraPercent: '20',
  discountPercent: '10',
});

const percent = (text: string, max: number): number | null => {
  const s = text
    .trim()
    .replace(/[%％]$/, '')
    .trim();
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
};

export function readStandingForm(input: StandingFormInput, now: Date): Read<StandingOrderBody> {
  const fields: FieldProblems = {};
  if (!input.sellerOrgId) fields.sellerOrgId = msg('market.standing.error.farm');
  if (!isProductCode(input.productCode)) fields.productCode = msg('market.error.product');
  const quantity = readGrams(input.quantity, input.unit);
  if (!quantity.ok) fields.quantity = msg(quantity.error);
  const price = readPrice(input.price, input.priceUnit);
  if (!price.ok) fields.price = msg(price.error);
  if (input.weekdays.length === 0) fields.weekdays = msg('market.standing.error.weekdays');
  if (!isCalendarDate(input.startDate)) fields.startDate = msg('market.demand.error.date');
  else if (input.startDate < shanghaiDate(now)) fields.startDate = msg('market.standing.error.startPast');
  const endDate = input.endDate.trim();
  if (endDate && !isCalendarDate(endDate)) fields.endDate = msg('market.demand.error.date');
  else if (endDate && isCalendarDate(input.startDate) && endDate < input.startDate)
    fields.endDate = msg('market.standing.error.endBeforeStart');
  if (!TIME.test(input.deliverBy)) fields.deliverBy = msg('market.error.time');
  const extra = input.tolerance ? percent(input.extraPercent, 100) : 0;
  const discount = input.tolerance ? percent(input.discountPercent, 90) : 0;
  if (extra === null) fields.extraPercent = msg('market.standing.error.percent', { max: 100 });
  if (discount === null) fields.discountPercent = msg('market.standing.error.percent', { max: 90 });
  if (
    Object.keys(fields).length > 0 ||
    !isProductCode(input.productCode) ||
    !quantity.ok ||
    !price.ok ||
    extra === null ||
    discount === null
  )
    return { ok: false, fields };
  return {
    ok: true,
    body: {
      sellerOrgId: input.sellerOrgId,
      productCode: input.productCode,
      gramsPerOccurrence: quantity.grams,
      weekdays: [...input.weekdays].sort((a, b) => a - b),
      priceFenPerKg: price.fenPerKg,
      startDate: input.startDate,
      ...(endDate ? { endDate } : {}),
      deliverBy: input.deliverBy,
      ...(input.tolerance && extra > 0 ? { tolerance: { extraPercent: extra, discountPercent: discount } } : {}),
    },
  };
}

// ---------------------------------------------------------------- a farm's sell offer on a demand

export interface SellOfferFormInput {
  lotId: string;
  quantity: string;
  unit: DisplayUnit;
  price: string;
  priceUnit: PriceUnit;
}

/** The farm's lots that can answer this demand: same product, open, with stock, still fresh when it is needed. */
export function lotsForDemand(
  demand: Pick<Demand, 'productCode' | 'neededBy'>,
  lots: readonly Lot[],
  now: number,
): Lot[] {
  return lots.filter(
    (l) =>
      l.productCode === demand.productCode &&
      l.status === 'open' &&
      l.remainingGrams > 0 &&
      Date.parse(l.expiresAt) > now &&
      Date.parse(l.expiresAt) >= Date.parse(demand.neededBy),
  );
}

export function readSellOfferForm(
  input: SellOfferFormInput,
  demand: Pick<DemandView, 'quantityGrams' | 'filledGrams'>,
  lot: Lot | undefined,
  weight: (grams: number) => string,
  price: (fenPerKg: number) => string,
): Read<SellOfferBody> {
  const fields: FieldProblems = {};
  if (!lot) fields.lotId = msg('market.sell.error.lot');
  const quantity = readGrams(input.quantity, input.unit);
  if (!quantity.ok) fields.quantity = msg(quantity.error);
  else if (lot && quantity.grams > lot.remainingGrams)
    fields.quantity = msg('market.sell.error.moreThanLot', { w: weight(lot.remainingGrams) });
  else if (quantity.grams > stillWantedGrams(demand))
    fields.quantity = msg('market.sell.error.moreThanWanted', { w: weight(stillWantedGrams(demand)) });
  const offered = readPrice(input.price, input.priceUnit);
  if (!offered.ok) fields.price = msg(offered.error);
  else if (lot && offered.fenPerKg < lot.reservePriceFenPerKg)
    fields.price = msg('market.sell.error.belowReserve', { p: price(lot.reservePriceFenPerKg) });
  if (Object.keys(fields).length > 0 || !lot || !quantity.ok || !offered.ok) return { ok: false, fields };
  return { ok: true, body: { lotId: lot.id, quantityGrams: quantity.grams, priceFenPerKg: offered.fenPerKg } };
}

// ---------------------------------------------------------------- server refusals, next to the field

/** Where a refused body field belongs on the form, and how we say what is wrong with it. */
export type FieldMap = Record<string, { field: string; problem: Message }>;

export const DEMAND_FIELDS: FieldMap = {
  productCode: { field: 'productCode', problem: msg('market.error.product') },
  quantityGrams: { field: 'quantity', problem: msg('market.error.weight') },
  maxPriceFenPerKg: { field: 'maxPrice', problem: msg('market.error.price') },
  neededBy: { field: 'date', problem: msg('market.demand.error.past') },
  deliverFrom: { field: 'fromTime', problem: msg('market.demand.error.window') },
  deliveryAddress: { field: 'address', problem: msg('market.demand.error.addressLong', { n: ADDRESS_MAX }) },
  note: { field: 'note', problem: msg('market.demand.error.noteLong', { n: NOTE_MAX }) },
};

export const STANDING_FIELDS: FieldMap = {
  sellerOrgId: { field: 'sellerOrgId', problem: msg('market.standing.error.farmNotTrading') },
  productCode: { field: 'productCode', problem: msg('market.error.product') },
  gramsPerOccurrence: { field: 'quantity', problem: msg('market.error.weight') },
  priceFenPerKg: { field: 'price', problem: msg('market.error.price') },
  weekdays: { field: 'weekdays', problem: msg('market.standing.error.weekdays') },
  startDate: { field: 'startDate', problem: msg('market.demand.error.date') },
  endDate: { field: 'endDate', problem: msg('market.standing.error.endBeforeStart') },
  deliverBy: { field: 'deliverBy', problem: msg('market.error.time') },
  tolerance: { field: 'extraPercent', problem: msg('market.standing.error.percent', { max: 100 }) },
  'tolerance.extraPercent': { field: 'extraPercent', problem: msg('market.standing.error.percent', { max: 100 }) },
  'tolerance.discountPercent': { field: 'discountPercent', problem: msg('market.standing.error.percent', { max: 90 }) },
};

export const SELL_OFFER_FIELDS: FieldMap = {
  lotId: { field: 'lotId', problem: msg('market.sell.error.lotUnfit') },
  quantityGrams: { field: 'quantity', problem: msg('market.code.QUANTITY_EXCEEDS_REMAINING') },
  priceFenPerKg: { field: 'price', problem: msg('market.code.PRICE_BELOW_RESERVE') },
};

/** Codes whose own words say more than the field's generic problem. */
const CODE_PROBLEMS: Partial<Record<string, Message>> = {
  PRICE_BELOW_RESERVE: msg('market.code.PRICE_BELOW_RESERVE'),
  QUANTITY_EXCEEDS_REMAINING: msg('market.code.QUANTITY_EXCEEDS_REMAINING'),
  WRONG_PRODUCT: msg('market.sell.error.lotUnfit'),
  LOT_EXPIRES_BEFORE_NEEDED: msg('market.code.LOT_EXPIRES_BEFORE_NEEDED'),
  NEEDED_BY_IN_PAST: msg('market.demand.error.past'),
  WINDOW_ENDS_BEFORE_START: msg('market.demand.error.window'),
  DELIVERY_ADDRESS_REQUIRED: msg('market.demand.error.addressNeeded'),
  END_BEFORE_START: msg('market.standing.error.endBeforeStart'),
};

/** The problems a refused request names, on the inputs they belong to; the rest is for the form as a whole. */
export function placeFieldErrors(
  error: ApiFailure,
  map: FieldMap,
  unit?: DisplayUnit,
): { fields: FieldProblems; placed: boolean } {
  const fields: FieldProblems = {};
  for (const path of Object.keys(error.fields)) {
    const target = map[path] ?? map[path.split('.')[0]];
    // A limit the server names ("at most 1,000 t") says more than the field's generic problem.
    const issue = error.fieldIssues?.[path];
    if (target)
      fields[target.field] =
        CODE_PROBLEMS[error.code] ?? (issue ? serverFieldMessage(error, path, unit) : target.problem);
  }
  return { fields, placed: Object.keys(fields).length > 0 };
}
