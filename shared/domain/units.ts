/**
 * Quantities and money are integers: grams and fen (分, 1/100 元). No floating point ever
 * reaches a total or a stock level. Parsing accepts what farmers and cooks actually type
 * (斤, 公斤, kg, 吨, full-width digits); formatting is zh-CN first, English second.
 */
import { fail, type Failure } from './outcome';

export type Locale = 'zh-CN' | 'en';
export type WeightUnit = 'g' | 'jin' | 'kg' | 't';

export const GRAMS_PER_JIN = 500;
export const GRAMS_PER_KG = 1000;
export const GRAMS_PER_TONNE = 1_000_000;
const FEN_PER_YUAN = 100;

const UNIT_GRAMS: Record<WeightUnit, number> = { g: 1, jin: GRAMS_PER_JIN, kg: GRAMS_PER_KG, t: GRAMS_PER_TONNE };

const UNIT_ALIASES: Record<string, WeightUnit> = {
  g: 'g',
  gram: 'g',
  grams: 'g',
  克: 'g',
  jin: 'jin',
  斤: 'jin',
  市斤: 'jin',
  catty: 'jin',
  kg: 'kg',
  kgs: 'kg',
  kilo: 'kg',
  kilos: 'kg',
  kilogram: 'kg',
  kilograms: 'kg',
  公斤: 'kg',
  千克: 'kg',
  t: 't',
  tonne: 't',
  tonnes: 't',
  吨: 't',
  公吨: 't',
};

const UNIT_LABELS: Record<Locale, Record<WeightUnit, string>> = {
  'zh-CN': { g: '克', jin: '斤', kg: '公斤', t: '吨' },
  en: { g: 'g', jin: 'jin', kg: 'kg', t: 't' },
};

export type ParseFailure = Failure<'EMPTY' | 'NOT_A_NUMBER' | 'UNKNOWN_UNIT' | 'TOO_PRECISE' | 'TOO_LARGE'>;

/** Full-width digits and units become ASCII; thousands separators and spaces go. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[,，\s]/g, '');
}

/**
 * `decimal × multiplier` computed exactly (BigInt). Returns undefined when the result
 * is not a whole number — e.g. 1.0005 kg is half a gram, which we refuse rather than round.
 */
function exactScale(decimal: string, multiplier: number): { value: number } | 'TOO_PRECISE' | 'TOO_LARGE' {
  const [intPart = '', fracPart = ''] = decimal.split('.');
  const numerator = BigInt((intPart || '0') + fracPart) * BigInt(multiplier);
  const denominator = 10n ** BigInt(fracPart.length);
  if (numerator % denominator !== 0n) return 'TOO_PRECISE';
  const whole = numerator / denominator;
  if (whole > BigInt(Number.MAX_SAFE_INTEGER)) return 'TOO_LARGE';
  return { value: Number(whole) };
}

const NUMBER_THEN_UNIT = /^(\d+(?:\.\d+)?|\.\d+)([a-z\u4e00-\u9fff]*)$/;

/** "2.5吨", "100 斤", "50kg", "５０公斤", "1,200 g" → grams. A bare number uses `defaultUnit`. */
export function parseWeight(text: string, defaultUnit: WeightUnit = 'kg'): { ok: true; grams: number } | ParseFailure {
  const s = normalise(text);
  if (s === '') return fail('EMPTY', 'Enter a weight, e.g. 50 kg or 100 斤');
  const m = NUMBER_THEN_UNIT.exec(s);
  if (!m) return fail('NOT_A_NUMBER', `"${text}" is not a weight`);
  const unit = m[2] === '' ? defaultUnit : UNIT_ALIASES[m[2]];
  if (!unit) return fail('UNKNOWN_UNIT', `Unknown unit "${m[2]}": use 斤, kg/公斤, 吨 or g`);
  const scaled = exactScale(m[1], UNIT_GRAMS[unit]);
  if (scaled === 'TOO_PRECISE') return fail('TOO_PRECISE', 'Weights are kept to the whole gram');
  if (scaled === 'TOO_LARGE') return fail('TOO_LARGE', 'That weight is too large');
  return { ok: true, grams: scaled.value };
}

/** "12.5", "12.50元", "¥12.50", "￥8", "RMB 3.2" → fen. More than two decimals is refused. */
export function parseYuan(text: string): { ok: true; fen: number } | ParseFailure {
  const s = normalise(text)
    .replace(/^(¥|rmb|cny)/, '')
    .replace(/(元|yuan|rmb|cny)$/, '');
  if (s === '') return fail('EMPTY', 'Enter an amount in 元, e.g. 12.50');
  if (!/^(\d+(?:\.\d+)?|\.\d+)$/.test(s)) return fail('NOT_A_NUMBER', `"${text}" is not an amount in 元`);
  const scaled = exactScale(s, FEN_PER_YUAN);
  if (scaled === 'TOO_PRECISE') return fail('TOO_PRECISE', 'Amounts are kept to the fen (two decimals)');
  if (scaled === 'TOO_LARGE') return fail('TOO_LARGE', 'That amount is too large');
  return { ok: true, fen: scaled.value };
}

/** "6.5元/斤", "13 元/公斤", "¥13/kg" → fen per kg (per 斤 doubles exactly). */
export function parsePricePerWeight(text: string): { ok: true; fenPerKg: number } | ParseFailure {
  const s = normalise(text);
  const slash = s.lastIndexOf('/');
  const unitText = slash >= 0 ? s.slice(slash + 1) : 'kg';
  const unit = UNIT_ALIASES[unitText];
  if (unit !== 'kg' && unit !== 'jin') return fail('UNKNOWN_UNIT', 'Give the price per 斤 or per kg');
  const money = parseYuan(slash >= 0 ? s.slice(0, slash) : s);
  if (!money.ok) return money;
  return { ok: true, fenPerKg: unit === 'jin' ? fenPerJinToFenPerKg(money.fen) : money.fen };
}

function assertWholeNonNegative(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/**
 * The price of `grams` at `fenPerKg`, in fen.
 * Rounding rule: the exact amount grams × fenPerKg / 1000 is rounded half up to the fen
 * (0.5 fen and above rounds up). Computed in BigInt so 1000 t at ¥100 000/kg stays exact.
 */
export function totalFen(grams: number, fenPerKg: number): number {
  assertWholeNonNegative('grams', grams);
  assertWholeNonNegative('fenPerKg', fenPerKg);
  return Number((BigInt(grams) * BigInt(fenPerKg) + 500n) / 1000n);
}

/** A 斤 is exactly half a kg, so per-斤 → per-kg is exact. */
export function fenPerJinToFenPerKg(fenPerJin: number): number {
  assertWholeNonNegative('fenPerJin', fenPerJin);
  return fenPerJin * 2;
}

/** Per-kg → per-斤 halves the price; an odd fen is rounded half up (1301 → 651). */
export function fenPerKgToFenPerJin(fenPerKg: number): number {
  assertWholeNonNegative('fenPerKg', fenPerKg);
  return Math.floor((fenPerKg + 1) / 2);
}

/** Percent change applied to a price, rounded half up to the fen: 1000 fen −10% → 900. */
export function applyPercent(fen: number, percent: number): number {
  assertWholeNonNegative('fen', fen);
  return Math.floor((fen * (100 + percent) + 50) / 100);
}

function formatNumber(value: number, locale: Locale, maxFractionDigits: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(value);
}

/** "¥12.50" (zh-CN) or "CN¥12.50" (en). */
export function formatYuan(fen: number, locale: Locale = 'zh-CN'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(
    fen / FEN_PER_YUAN,
  );
}

/** The unit a reader expects: tonnes from 1 t, kilograms from 1 kg, grams below. */
function naturalUnit(grams: number): WeightUnit {
  if (Math.abs(grams) >= GRAMS_PER_TONNE) return 't';
  if (Math.abs(grams) >= GRAMS_PER_KG) return 'kg';
  return 'g';
}

/** "2.5吨", "100斤", "50公斤" (zh-CN, no space) or "2.5 t", "50 kg" (en). */
export function formatWeight(grams: number, locale: Locale = 'zh-CN', unit: WeightUnit | 'auto' = 'auto'): string {
  const u = unit === 'auto' ? naturalUnit(grams) : unit;
  const n = formatNumber(grams / UNIT_GRAMS[u], locale, u === 'g' ? 0 : 3);
  return locale === 'zh-CN' ? `${n}${UNIT_LABELS[locale][u]}` : `${n} ${UNIT_LABELS[locale][u]}`;
}

/**
 * "¥13.00/公斤", "¥6.50/斤", "CN¥13.00/kg". A price of an odd number of fen per kg is half a fen
 * per 斤 and is shown exactly ("¥2.395/斤"), so that quantity × price on screen adds up to the total.
 */
export function formatPrice(fenPerKg: number, locale: Locale = 'zh-CN', per: 'kg' | 'jin' = 'kg'): string {
  const yuan = per === 'jin' ? fenPerKg / 2 / FEN_PER_YUAN : fenPerKg / FEN_PER_YUAN;
  const text = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    minimumFractionDigits: 2,
    maximumFractionDigits: 3,
  }).format(yuan);
  return `${text}/${UNIT_LABELS[locale][per]}`;
}

/**
 * A price as people type it: whole fen per unit, the unit's price rounded half up to the fen (as
 * `fenPerKgToFenPerJin` does), so "¥6.81/斤" is shown where the exact value is 6.805 — the same figure
 * the price inputs offer (they take yuan with at most 2 decimals). Totals are still computed per kg exactly.
 */
export function formatPriceAsTyped(fenPerKg: number, locale: Locale = 'zh-CN', per: 'kg' | 'jin' = 'kg'): string {
  const fen = per === 'jin' ? fenPerKgToFenPerJin(fenPerKg) : fenPerKg;
  const text = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(fen / FEN_PER_YUAN);
  return `${text}/${UNIT_LABELS[locale][per]}`;
}
