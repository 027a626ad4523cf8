/**
 * A lot: one batch a farm puts on the market. The rules here only check and derive;
 * the stock level itself is changed atomically by the repository (see lots.repository.ts).
 */
import { findProduct, type Storage } from './catalogue';
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
  const expiry = computeExpiresAt(input.harvestedAt, input.storage, product, input.expiresAt);
  if (!expiry.ok) return fail(expiry.reason, expiry.message, expiry.field);
  if (expiry.expiresAt.getTime() <= now.getTime()) {
    return fail('LOT_ALREADY_EXPIRED', `This lot expired at ${expiry.expiresAt.toISOString()}`, 'harvestedAt');
  }
  return { ok: true, lot: { expiresAt: expiry.expiresAt, remainingGrams: input.quantityGrams, status: 'open' } };
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
