/**
 * How the market shows and reads quantities, prices and times: the shared unit rules
 * (shared/domain/units.ts) in the person's chosen unit, China Standard Time throughout.
 */
import { findProduct, isProductCode, type ProductCode } from '../../../shared/domain/catalogue';
import { currentPrice, type ClockReading } from '../../../shared/domain/clock';
import { atRiskThresholdHours, maxExpiresAt, urgency, type Urgency } from '../../../shared/domain/spoilage';
import {
  fenPerJinToFenPerKg,
  fenPerKgToFenPerJin,
  formatPriceAsTyped,
  formatWeight,
  formatYuan,
  GRAMS_PER_JIN,
  GRAMS_PER_KG,
  GRAMS_PER_TONNE,
  parseWeight,
  parseYuan,
  type Locale,
} from '../../../shared/domain/units';
import type { MessageKey } from '../i18n';
import { APP_TIME_ZONE } from './format';
import type { Lot, LotClock } from './market-types';

/** What a person picks to see weights in; prices follow (斤 → 元/斤, 公斤 and 吨 → 元/公斤). */
export type DisplayUnit = 'jin' | 'kg' | 't';
export const DISPLAY_UNITS: readonly DisplayUnit[] = ['jin', 'kg', 't'];
export type PriceUnit = 'jin' | 'kg';
export const priceUnitFor = (unit: DisplayUnit): PriceUnit => (unit === 'jin' ? 'jin' : 'kg');

const HOUR_MS = 3_600_000;

export const weightText = (grams: number, locale: Locale, unit: DisplayUnit): string =>
  formatWeight(grams, locale, unit);
export const priceText = (fenPerKg: number, locale: Locale, unit: DisplayUnit): string =>
  formatPriceAsTyped(fenPerKg, locale, priceUnitFor(unit));
export const moneyText = (fen: number, locale: Locale): string => formatYuan(fen, locale);

/** A price per kg as the number a person types for their price unit ("6.5" for 1300 fen/kg per 斤). */
export function priceInputValue(fenPerKg: number, unit: PriceUnit): string {
  const fen = unit === 'jin' ? fenPerKgToFenPerJin(fenPerKg) : fenPerKg;
  return (fen / 100).toFixed(2).replace(/\.?0+$/, '');
}

const shortFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: APP_TIME_ZONE,
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** "11/27 09:30" in China Standard Time. */
export const shortTime = (iso: string | Date): string =>
  shortFormat.format(typeof iso === 'string' ? new Date(iso) : iso);

/** "2026-11-26T17:45" for a datetime-local input, in China Standard Time. */
export function localInputValue(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR_MS).toISOString().slice(0, 16);
}
/** A datetime-local value read as China Standard Time (+08:00, no DST). */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const d = new Date(`${value}:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const hoursLeftAt = (expiresAt: string, now: number): number =>
  Math.max(0, (Date.parse(expiresAt) - now) / HOUR_MS);

/** The lot's urgency recomputed each second from its expiry (the server's value is from when it was read). */
export function lotUrgency(lot: Pick<Lot, 'productCode' | 'storage' | 'expiresAt'>, now: number): Urgency {
  const product = findProduct(lot.productCode);
  const threshold = product ? atRiskThresholdHours(product, lot.storage) : 48;
  return urgency(new Date(lot.expiresAt), new Date(now), threshold);
}

/** The clock's price now, from its parameters: the page ticks each second, server updates confirm it. */
export function clockReading(clock: LotClock, lotId: string, now: number): ClockReading {
  return currentPrice(
    {
      lotId,
      startPriceFenPerKg: clock.startPriceFenPerKg,
      floorPriceFenPerKg: clock.floorPriceFenPerKg,
      startsAt: new Date(clock.startsAt),
      floorAt: new Date(clock.floorAt),
      endsAt: new Date(clock.endsAt),
      ...(clock.stepMinutes !== undefined ? { stepMinutes: clock.stepMinutes } : {}),
      minTakeGrams: clock.minTakeGrams,
    },
    new Date(now),
  );
}

export type FieldErrors = Partial<Record<string, MessageKey>>;

/** A weight typed in `unit` as whole grams; zero only where "nothing" is an answer (a received quantity). */
export function readGrams(
  text: string,
  unit: DisplayUnit,
  { allowZero = false }: { allowZero?: boolean } = {},
): { ok: true; grams: number } | { ok: false; error: MessageKey } {
  const r = parseWeight(text, unit);
  if (!r.ok) return { ok: false, error: r.reason === 'EMPTY' ? 'market.error.required' : 'market.error.weight' };
  if (r.grams < 0 || (r.grams === 0 && !allowZero)) return { ok: false, error: 'market.error.weight' };
  return r;
}

/** A weight as the number a person would type for their unit ("160" for 80 kg in 斤). */
export function gramsInputValue(grams: number, unit: DisplayUnit): string {
  const per = unit === 'jin' ? GRAMS_PER_JIN : unit === 'kg' ? GRAMS_PER_KG : GRAMS_PER_TONNE;
  return String(Math.round((grams / per) * 1000) / 1000);
}

export function readPrice(
  text: string,
  unit: PriceUnit,
): { ok: true; fenPerKg: number } | { ok: false; error: MessageKey } {
  const r = parseYuan(text);
  if (!r.ok) return { ok: false, error: r.reason === 'EMPTY' ? 'market.error.required' : 'market.error.price' };
  if (r.fen <= 0) return { ok: false, error: 'market.error.price' };
  return { ok: true, fenPerKg: unit === 'jin' ? fenPerJinToFenPerKg(r.fen) : r.fen };
}

export interface LotFormInput {
  productCode: string;
  quantity: string;
  unit: DisplayUnit;
  harvestedAt: string;
  storage: 'cold' | 'ambient';
  reserve: string;
  ask: string;
  priceUnit: PriceUnit;
  /** Empty: the product's default minimum take. */
  minTake?: string;
}

export interface LotFormBody {
  productCode: ProductCode;
  quantityGrams: number;
  harvestedAt: string;
  storage: 'cold' | 'ambient';
  reservePriceFenPerKg: number;
  askPriceFenPerKg: number;
  minTakeGrams?: number;
}

/** The expiry the lot will get, shown while the farmer types; null until product and harvest time are known. */
export function previewExpiry(input: Pick<LotFormInput, 'productCode' | 'harvestedAt' | 'storage'>): Date | null {
  const product = findProduct(input.productCode);
  const harvested = fromLocalInput(input.harvestedAt);
  return product && harvested ? maxExpiresAt(harvested, input.storage, product) : null;
}

export function readLotForm(input: LotFormInput): { ok: true; body: LotFormBody } | { ok: false; fields: FieldErrors } {
  const fields: FieldErrors = {};
  const productCode = isProductCode(input.productCode) ? input.productCode : null;
  if (!productCode) fields.productCode = 'market.error.product';
  const quantity = readGrams(input.quantity, input.unit);
  if (!quantity.ok) fields.quantity = quantity.error;
  const harvested = fromLocalInput(input.harvestedAt);
  if (!harvested) fields.harvestedAt = 'market.error.time';
  const reserve = readPrice(input.reserve, input.priceUnit);
  if (!reserve.ok) fields.reserve = reserve.error;
  const ask = readPrice(input.ask, input.priceUnit);
  if (!ask.ok) fields.ask = ask.error;
  if (reserve.ok && ask.ok && ask.fenPerKg < reserve.fenPerKg) fields.ask = 'market.error.askBelowReserve';
  const minTake = input.minTake?.trim() ? readGrams(input.minTake, input.unit) : null;
  if (minTake && !minTake.ok) fields.minTakeGrams = minTake.error;
  if (Object.keys(fields).length > 0 || !productCode || !quantity.ok || !harvested || !reserve.ok || !ask.ok)
    return { ok: false, fields };
  return {
    ok: true,
    body: {
      productCode,
      quantityGrams: quantity.grams,
      harvestedAt: harvested.toISOString(),
      storage: input.storage,
      reservePriceFenPerKg: reserve.fenPerKg,
      askPriceFenPerKg: ask.fenPerKg,
      ...(minTake?.ok ? { minTakeGrams: minTake.grams } : {}),
    },
  };
}

/**
 * What a lot costs now: on a running clock sale the clock's price (it falls each second), else the
 * farm's ask. `clock` says which, so a table can mark the falling price.
 */
export function lotPriceNow(
  lot: Pick<Lot, 'id' | 'status' | 'askPriceFenPerKg' | 'clock'>,
  now: number,
): { fenPerKg: number; clock: boolean } {
  const reading = lot.clock && lot.status === 'open' ? clockReading(lot.clock, lot.id, now) : null;
  return reading?.priceFenPerKg
    ? { fenPerKg: reading.priceFenPerKg, clock: true }
    : { fenPerKg: lot.askPriceFenPerKg, clock: false };
}

/** A lot as people name it on a phone call: "#" and the id's last six characters, upper case. */
export const lotRef = (lotId: string): string => `#${lotId.slice(-6).toUpperCase()}`;
