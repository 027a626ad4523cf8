/**
 * Limits on what a person types, in the unit they chose (docs/client.md "Field errors"): a quantity in 斤,
 * 公斤 or 吨 and a price per 斤 or per 公斤 are checked against the limit in grams or fen per kg, and the limit
 * is shown in the same unit at the precision the input takes — a weight to 3 decimals of the unit, a price to
 * the fen (2 decimals of 元). A shown maximum is rounded down and a shown minimum up, so typing the number
 * shown is always accepted. The refusal is the server's own shape (`too_big` / `too_small` with the limit),
 * so it is worded exactly as the server's would be (field-errors.ts `issueMessage`), in the person's language.
 */
import { MARKET_LIMITS } from '../../../shared/schemas/market';
import {
  fenPerJinToFenPerKg,
  GRAMS_PER_JIN,
  GRAMS_PER_KG,
  GRAMS_PER_TONNE,
  type Locale,
} from '../../../shared/domain/units';
import { readGrams, readPrice, weightText, type DisplayUnit, type PriceUnit } from './market-format';
import { msg, type Message } from './message';

export interface WeightLimits {
  /** Grams; at least this (e.g. a lot's minimum take). */
  min?: number;
  /** Grams; at most this (default: the API's 1,000 t). */
  max?: number;
}

const GRAMS_PER: Record<DisplayUnit, number> = { jin: GRAMS_PER_JIN, kg: GRAMS_PER_KG, t: GRAMS_PER_TONNE };
/** A weight is shown and typed to 3 decimals of its unit: one step is this many grams. */
const stepGrams = (unit: DisplayUnit) => GRAMS_PER[unit] / 1000;

/** A limit in grams as it can be shown in `unit` (3 decimals): a maximum rounded down, a minimum up. */
export function shownWeightLimit(grams: number, unit: DisplayUnit, side: 'max' | 'min'): number {
  const step = stepGrams(unit);
  return (side === 'max' ? Math.floor(grams / step) : Math.ceil(grams / step)) * step;
}

/** A price limit (fen per kg) as it can be typed per 斤 (whole fen per 斤): a maximum rounded down. */
function shownPriceLimit(fenPerKg: number, per: PriceUnit): number {
  return per === 'jin' ? fenPerJinToFenPerKg(Math.floor(fenPerKg / 2)) : fenPerKg;
}

const tooBig = (path: string, maximum: number, unit: DisplayUnit): Message => ({
  issue: { code: 'too_big', maximum, inclusive: true },
  path,
  unit,
});
const tooSmall = (path: string, minimum: number, unit: DisplayUnit): Message => ({
  issue: { code: 'too_small', minimum, inclusive: true },
  path,
  unit,
});

/** Whole grams within the limits, or what is wrong (the limit in the person's unit). */
export function weightProblem(grams: number, unit: DisplayUnit, limits: WeightLimits = {}): Message | null {
  const max = Math.min(limits.max ?? MARKET_LIMITS.maxGrams, MARKET_LIMITS.maxGrams);
  if (grams > max) return tooBig('quantityGrams', shownWeightLimit(max, unit, 'max'), unit);
  if (limits.min !== undefined && grams < limits.min)
    return tooSmall('quantityGrams', shownWeightLimit(limits.min, unit, 'min'), unit);
  return null;
}

/** A weight typed in `unit`, within the limits. */
export function readWeightWithin(
  text: string,
  unit: DisplayUnit,
  limits: WeightLimits = {},
  options: { allowZero?: boolean } = {},
): { ok: true; grams: number } | { ok: false; problem: Message } {
  const r = readGrams(text, unit, options);
  if (!r.ok) return { ok: false, problem: msg(r.error) };
  const problem = weightProblem(r.grams, unit, limits);
  return problem ? { ok: false, problem } : r;
}

/** A price typed per `per` (yuan, at most 2 decimals), at most the API's limit, shown per the same unit. */
export function readPriceWithin(
  text: string,
  per: PriceUnit,
  maxFenPerKg: number = MARKET_LIMITS.maxFenPerKg,
): { ok: true; fenPerKg: number } | { ok: false; problem: Message } {
  const r = readPrice(text, per);
  if (!r.ok) return { ok: false, problem: msg(r.error) };
  const max = Math.min(maxFenPerKg, MARKET_LIMITS.maxFenPerKg);
  if (r.fenPerKg > max) return { ok: false, problem: tooBig('priceFenPerKg', shownPriceLimit(max, per), per) };
  return r;
}

/** "1–24.69斤" / "at most 2,000,000 jin": the range an input takes, in the person's unit. */
export function weightRangeText(limits: WeightLimits, unit: DisplayUnit, locale: Locale): string {
  const max = weightText(
    shownWeightLimit(Math.min(limits.max ?? MARKET_LIMITS.maxGrams, MARKET_LIMITS.maxGrams), unit, 'max'),
    locale,
    unit,
  );
  if (limits.min === undefined) return max;
  return `${weightText(shownWeightLimit(limits.min, unit, 'min'), locale, unit)} – ${max}`;
}
