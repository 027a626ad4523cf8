/**
 * A lot: one batch a farm puts on the market. The rules here only check and derive;
 * the stock level itself is changed atomically by the repository (see lots.repository.ts).
 */
import { findProduct, type Category, type Storage } from './catalogue';
import { fail, type Failure } from './outcome';
import { expiresAt as computeExpiresAt, HARVEST_CLOCK_SKEW_MS } from './spoilage';

export type LotStatus = 'open' | 'sold_out' | 'withdrawn' | 'expired';
export const LOT_STATUSES = ['open', 'sold_out', 'withdrawn', 'expired'] as const satisfies readonly LotStatus[];

/** What the offer and clock rules need to know about a lot. */
export interface LotSnapshot {
  status: LotStatus;
  remainingGrams: number;
  reservePriceFenPerKg: number;
  expiresAt: Date;
}

export interface NewLotInput {
  productCode: string;
  quantityGrams: number;
  harvestedAt: Date;
  storage: Storage;
  reservePriceFenPerKg: number;
  askPriceFenPerKg: number;
  expiresAt?: Date;
  /** The smallest bid or take the farm accepts; defaults per product (defaultMinTakeGrams). */
  minTakeGrams?: number;
}

export type NewLotFailure = Failure<
  | 'UNKNOWN_PRODUCT'
  | 'INVALID_QUANTITY'
  | 'INVALID_PRICE'
  | 'ASK_BELOW_RESERVE'
  | 'HARVESTED_IN_FUTURE'
  | 'EXPIRY_BEYOND_SHELF_LIFE'
  | 'EXPIRY_NOT_AFTER_HARVEST'
  | 'LOT_ALREADY_EXPIRED'
>;

export interface NewLotTerms {
  expiresAt: Date;
  remainingGrams: number;
  status: 'open';
  minTakeGrams: number;
}

export function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

/** Checks a farm's new lot and derives its expiry and opening stock. */
export function checkNewLot(input: NewLotInput, now: Date): { ok: true; lot: NewLotTerms } | NewLotFailure {
  const product = findProduct(input.productCode);
  if (!product) return fail('UNKNOWN_PRODUCT', `No product with code "${input.productCode}"`, 'productCode');
  if (!isPositiveInteger(input.quantityGrams)) {
    return fail('INVALID_QUANTITY', 'quantityGrams must be a whole number of grams above 0', 'quantityGrams');
  }
  if (!isPositiveInteger(input.reservePriceFenPerKg)) {
    return fail('INVALID_PRICE', 'reservePriceFenPerKg must be a whole number of fen above 0', 'reservePriceFenPerKg');
  }
  if (!isPositiveInteger(input.askPriceFenPerKg)) {
    return fail('INVALID_PRICE', 'askPriceFenPerKg must be a whole number of fen above 0', 'askPriceFenPerKg');
  }
  if (input.askPriceFenPerKg < input.reservePriceFenPerKg) {
    return fail('ASK_BELOW_RESERVE', 'askPriceFenPerKg may not be below reservePriceFenPerKg', 'askPriceFenPerKg');
  }
  if (input.harvestedAt.getTime() > now.getTime() + HARVEST_CLOCK_SKEW_MS) {
    return fail('HARVESTED_IN_FUTURE', 'harvestedAt is in the future', 'harvestedAt');
  }
  const minTakeGrams = input.minTakeGrams ?? defaultMinTakeGrams(input.productCode);
  if (!isPositiveInteger(minTakeGrams) || minTakeGrams > MAX_MIN_TAKE_GRAMS) {
    return fail('INVALID_QUANTITY', `minTakeGrams must be whole grams from 1 to ${MAX_MIN_TAKE_GRAMS}`, 'minTakeGrams');
  }
  const expiry = computeExpiresAt(input.harvestedAt, input.storage, product, input.expiresAt);
  if (!expiry.ok) return fail(expiry.reason, expiry.message, expiry.field);
  if (expiry.expiresAt.getTime() <= now.getTime()) {
    return fail('LOT_ALREADY_EXPIRED', `This lot expired at ${expiry.expiresAt.toISOString()}`, 'harvestedAt');
  }
  return {
    ok: true,
    lot: { expiresAt: expiry.expiresAt, remainingGrams: input.quantityGrams, status: 'open', minTakeGrams },
  };
}

/** Whether new business (bids, accepts, takes) may touch the lot at `now`. */
export function checkLotTradable(lot: LotSnapshot, now: Date): { ok: true } | Failure<'LOT_EXPIRED' | 'LOT_NOT_OPEN'> {
  if (lot.status === 'expired' || now.getTime() >= lot.expiresAt.getTime()) {
    return fail('LOT_EXPIRED', `The lot expired at ${lot.expiresAt.toISOString()}`);
  }
  if (lot.status !== 'open') return fail('LOT_NOT_OPEN', `The lot is ${lot.status.replace('_', ' ')}`);
  return { ok: true };
}

/** Withdrawing stops new business; confirmed orders stand. */
export function checkWithdrawLot(lot: LotSnapshot): { ok: true } | Failure<'LOT_NOT_OPEN'> {
  if (lot.status !== 'open') return fail('LOT_NOT_OPEN', `The lot is already ${lot.status.replace('_', ' ')}`);
  return { ok: true };
}

/**
 * The smallest take a farm accepts by default, by kind of produce: roughly one trade unit (a crate of
 * greens, a box of oranges, a bag of rice), so a 2 t lot is not picked apart gram by gram.
 * The farm may set its own (`minTakeGrams` on the lot).
 */
const DEFAULT_MIN_TAKE_GRAMS_BY_CATEGORY: Readonly<Record<Category, number>> = {
  mushroom: 1_000,
  leafy: 2_500,
  vegetable: 2_500,
  fruit: 5_000,
  grain: 25_000,
  egg: 2_500,
  soy: 1_000,
  meat: 2_500,
  fish: 2_500,
};
/** The highest minimum take a farm may set (1 t): above it a minimum is a typo, not a trade rule. */
const MAX_MIN_TAKE_GRAMS = 1_000_000;

/** The default minimum take for a product (1 kg for an unknown code). */
export function defaultMinTakeGrams(productCode: string): number {
  const product = findProduct(productCode);
  return product ? DEFAULT_MIN_TAKE_GRAMS_BY_CATEGORY[product.category] : 1_000;
}

/** A lot's minimum take: its own, or (lots posted before minimums existed) its product's default. */
export function minTakeOf(lot: { productCode: string; minTakeGrams?: number }): number {
  return lot.minTakeGrams ?? defaultMinTakeGrams(lot.productCode);
}

/**
 * Whether a bid or take of `grams` respects the lot's minimum. The last remainder below the minimum
 * stays buyable: taking all that is left is always allowed.
 */
export function checkMinTake(
  grams: number,
  minTakeGrams: number,
  remainingGrams: number,
): { ok: true } | Failure<'BELOW_MIN_TAKE'> {
  if (grams >= minTakeGrams || grams === remainingGrams) return { ok: true };
  return fail(
    'BELOW_MIN_TAKE',
    `quantityGrams must be at least the lot's minimum of ${minTakeGrams} g (or all ${remainingGrams} g left)`,
    'quantityGrams',
  );
}

/** What a farm may change on an open lot. `quantityGrams` is the new total and may only go down. */
export interface LotEdit {
  askPriceFenPerKg?: number;
  reservePriceFenPerKg?: number;
  quantityGrams?: number;
  minTakeGrams?: number;
}

export interface LotEditable extends LotSnapshot {
  quantityGrams: number;
  askPriceFenPerKg: number;
  /** A running clock sale's floor: the reserve may not rise above it. */
  clockFloorFenPerKg?: number;
}

/** The lot's fields after the edit; `remainingGrams` moves with the total (what is sold stays sold). */
export interface LotEditTerms {
  askPriceFenPerKg: number;
  reservePriceFenPerKg: number;
  quantityGrams: number;
  remainingGrams: number;
  minTakeGrams?: number;
}

export type LotEditFailure = Failure<
  'LOT_NOT_OPEN' | 'LOT_EXPIRED' | 'INVALID_PRICE' | 'ASK_BELOW_RESERVE' | 'INVALID_QUANTITY' | 'BELOW_SOLD' | 'EMPTY'
>;

/**
 * Checks a farm's edit against the lot as read. The grams already sold (reserved by orders, confirmed or
 * in flight) are `quantityGrams − remainingGrams`; the new total may not go below them, so nothing sold is
 * ever taken back. The caller writes the result conditionally on the stock it read (lots.repository.ts).
 */
export function checkLotEdit(
  lot: LotEditable,
  edit: LotEdit,
  now: Date,
): { ok: true; terms: LotEditTerms } | LotEditFailure {
  if (lot.status !== 'open') return fail('LOT_NOT_OPEN', `The lot is ${lot.status.replace('_', ' ')}`);
  if (now.getTime() >= lot.expiresAt.getTime()) return fail('LOT_EXPIRED', 'The lot has expired');
  if (Object.values(edit).every((v) => v === undefined)) {
    return fail('EMPTY', 'Change at least one of askPriceFenPerKg, reservePriceFenPerKg, quantityGrams, minTakeGrams');
  }
  const ask = edit.askPriceFenPerKg ?? lot.askPriceFenPerKg;
  const reserve = edit.reservePriceFenPerKg ?? lot.reservePriceFenPerKg;
  if (!isPositiveInteger(ask))
    return fail('INVALID_PRICE', 'askPriceFenPerKg must be whole fen above 0', 'askPriceFenPerKg');
  if (!isPositiveInteger(reserve)) {
    return fail('INVALID_PRICE', 'reservePriceFenPerKg must be whole fen above 0', 'reservePriceFenPerKg');
  }
  if (ask < reserve) {
    const field = edit.askPriceFenPerKg !== undefined ? 'askPriceFenPerKg' : 'reservePriceFenPerKg';
    return fail('ASK_BELOW_RESERVE', 'askPriceFenPerKg may not be below reservePriceFenPerKg', field);
  }
  if (lot.clockFloorFenPerKg !== undefined && reserve > lot.clockFloorFenPerKg) {
    return fail(
      'INVALID_PRICE',
      `reservePriceFenPerKg may not rise above the running clock's floor of ${lot.clockFloorFenPerKg}; stop the clock first`,
      'reservePriceFenPerKg',
    );
  }
  const sold = lot.quantityGrams - lot.remainingGrams;
  const quantity = edit.quantityGrams ?? lot.quantityGrams;
  if (!isPositiveInteger(quantity)) {
    return fail('INVALID_QUANTITY', 'quantityGrams must be whole grams above 0', 'quantityGrams');
  }
  if (quantity > lot.quantityGrams) {
    return fail('INVALID_QUANTITY', `quantityGrams may only go down (now ${lot.quantityGrams} g)`, 'quantityGrams');
  }
  if (quantity < sold) {
    return fail('BELOW_SOLD', `quantityGrams may not go below the ${sold} g already sold or reserved`, 'quantityGrams');
  }
  if (
    edit.minTakeGrams !== undefined &&
    !(isPositiveInteger(edit.minTakeGrams) && edit.minTakeGrams <= MAX_MIN_TAKE_GRAMS)
  ) {
    return fail('INVALID_QUANTITY', `minTakeGrams must be whole grams from 1 to ${MAX_MIN_TAKE_GRAMS}`, 'minTakeGrams');
  }
  return {
    ok: true,
    terms: {
      askPriceFenPerKg: ask,
      reservePriceFenPerKg: reserve,
      quantityGrams: quantity,
      remainingGrams: quantity - sold,
      ...(edit.minTakeGrams !== undefined ? { minTakeGrams: edit.minTakeGrams } : {}),
    },
  };
}

/** What a farm has registered it can supply (capacity/): per product a day, and what its cold store holds. */
export interface RegisteredCapacity {
  production: { productCode: string; dailyGrams: number }[];
  coldStorageGrams: number;
}

/**
 * A warning (never a block) when posting a lot: no capacity registered, or more than a day's registered
 * production of the product plus what the cold store holds — likely a typo (10 000 t) or an unregistered
 * crop. `null` when the lot fits.
 */
export function capacityWarning(
  quantityGrams: number,
  productCode: string,
  capacity: RegisteredCapacity | null,
): { kind: 'none_registered' } | { kind: 'over_capacity'; capacityGrams: number } | null {
  if (!capacity || capacity.production.length === 0) return { kind: 'none_registered' };
  const daily = capacity.production
    .filter((p) => p.productCode === productCode)
    .reduce((sum, p) => sum + p.dailyGrams, 0);
  const capacityGrams = daily + capacity.coldStorageGrams;
  return quantityGrams > capacityGrams ? { kind: 'over_capacity', capacityGrams } : null;
}
