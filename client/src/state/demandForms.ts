/**
 * The demand forms as a person fills them in (text in their unit, Shanghai dates and times) and how they
 * become request bodies in grams, fen per kg and ISO instants — or field problems, named per input.
 * DOM-free: tests/client/demand.test.ts drives it in Node.
 */
import { addDays, isCalendarDate, shanghaiDate, shanghaiInstant, type Weekday } from '../../../shared/domain/calendar';
import { isProductCode } from '../../../shared/domain/catalogue';
import type { Translate } from '../i18n';
import type { ApiFailure } from './apiResult';
import { readGrams, readPrice, type DisplayUnit, type PriceUnit } from './marketFormat';
import type { DemandBody, SellOfferBody, StandingOrderBody } from './marketApi';
import type { Demand, Lot } from './marketTypes';
import { msg, type Message } from './message';

export type FieldProblems = Record<string, Message>;
export type Read<B> = { ok: true; body: B } | { ok: false; fields: FieldProblems };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const NOTE_MAX = 500;

/** Demand as the API returns it, with the fields marketTypes.ts does not (yet) name. */
export type DemandView = Demand & { note?: string; deliveryRequired?: boolean; storage?: 'cold' | 'ambient'; createdAt?: string };

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
 * The API has no fields for a delivery window or address: they travel at the head of the note, in
 * words the farm reads ("送货时段 08:00–10:00；送货地址：…"), and `deliveryRequired` says a delivery is wanted.
 */
export function demandNote(input: Pick<DemandFormInput, 'fromTime' | 'byTime' | 'address' | 'note'>, t: Translate): string {
  const parts: string[] = [];
  if (input.fromTime.trim()) parts.push(t('market.demand.noteWindow', { from: input.fromTime.trim(), to: input.byTime.trim() }));
  if (input.address.trim()) parts.push(t('market.demand.noteAddress', { a: input.address.trim() }));
  if (input.note.trim()) parts.push(input.note.trim());
  return parts.join(t('market.demand.noteJoin'));
}

export function readDemandForm(input: DemandFormInput, now: Date, t: Translate): Read<DemandBody> {
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
  if (input.fromTime.trim() && (!TIME.test(input.fromTime.trim()) || input.fromTime.trim() >= input.byTime)) fields.fromTime = msg('market.demand.error.window');
  const note = demandNote(input, t);
  if (note.length > NOTE_MAX) fields.note = msg('market.demand.error.noteLong', { n: NOTE_MAX });
  if (Object.keys(fields).length > 0 || !isProductCode(input.productCode) || !quantity.ok || !price.ok || !neededBy) return { ok: false, fields };
  return {
    ok: true,
    body: {
      productCode: input.productCode,
      quantityGrams: quantity.grams,
      maxPriceFenPerKg: price.fenPerKg,
      neededBy: neededBy.toISOString(),
      deliveryRequired: input.address.trim() !== '',
      ...(note ? { note } : {}),
    },
  };
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
  const s = text.trim().replace(/[%％]$/, '').trim();
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
  else if (endDate && isCalendarDate(input.startDate) && endDate < input.startDate) fields.endDate = msg('market.standing.error.endBeforeStart');
  if (!TIME.test(input.deliverBy)) fields.deliverBy = msg('market.error.time');
  const extra = input.tolerance ? percent(input.extraPercent, 100) : 0;
  const discount = input.tolerance ? percent(input.discountPercent, 90) : 0;
  if (extra === null) fields.extraPercent = msg('market.standing.error.percent', { max: 100 });
  if (discount === null) fields.discountPercent = msg('market.standing.error.percent', { max: 90 });
  if (Object.keys(fields).length > 0 || !isProductCode(input.productCode) || !quantity.ok || !price.ok || extra === null || discount === null) return { ok: false, fields };
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
export function lotsForDemand(demand: Pick<Demand, 'productCode' | 'neededBy'>, lots: readonly Lot[], now: number): Lot[] {
  return lots.filter(
    (l) => l.productCode === demand.productCode && l.status === 'open' && l.remainingGrams > 0 && Date.parse(l.expiresAt) > now && Date.parse(l.expiresAt) >= Date.parse(demand.neededBy),
  );
}

export function readSellOfferForm(input: SellOfferFormInput, demand: Pick<Demand, 'quantityGrams'>, lot: Lot | undefined, weight: (grams: number) => string, price: (fenPerKg: number) => string): Read<SellOfferBody> {
  const fields: FieldProblems = {};
  if (!lot) fields.lotId = msg('market.sell.error.lot');
  const quantity = readGrams(input.quantity, input.unit);
  if (!quantity.ok) fields.quantity = msg(quantity.error);
  else if (lot && quantity.grams > lot.remainingGrams) fields.quantity = msg('market.sell.error.moreThanLot', { w: weight(lot.remainingGrams) });
  else if (quantity.grams > demand.quantityGrams) fields.quantity = msg('market.sell.error.moreThanWanted', { w: weight(demand.quantityGrams) });
  const offered = readPrice(input.price, input.priceUnit);
  if (!offered.ok) fields.price = msg(offered.error);
  else if (lot && offered.fenPerKg < lot.reservePriceFenPerKg) fields.price = msg('market.sell.error.belowReserve', { p: price(lot.reservePriceFenPerKg) });
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
  END_BEFORE_START: msg('market.standing.error.endBeforeStart'),
};

/** The problems a refused request names, on the inputs they belong to; the rest is for the form as a whole. */
export function placeFieldErrors(error: ApiFailure, map: FieldMap): { fields: FieldProblems; placed: boolean } {
  const fields: FieldProblems = {};
  for (const path of Object.keys(error.fields)) {
    const target = map[path] ?? map[path.split('.')[0]];
    if (target) fields[target.field] = CODE_PROBLEMS[error.code] ?? target.problem;
  }
  return { fields, placed: Object.keys(fields).length > 0 };
}
