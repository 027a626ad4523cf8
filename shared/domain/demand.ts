/** A restaurant's posted need: "30 kg enoki by Friday 10:00, at most ¥9/kg". Farms answer with sell offers. */
import { findProduct } from './catalogue';
import { isPositiveInteger } from './lots';
import { fail, type Failure } from './outcome';

export type DemandStatus = 'open' | 'withdrawn' | 'expired';
export const DEMAND_STATUSES = ['open', 'withdrawn', 'expired'] as const satisfies readonly DemandStatus[];

export interface NewDemandInput {
  productCode: string;
  quantityGrams: number;
  maxPriceFenPerKg: number;
  neededBy: Date;
}

export function checkNewDemand(input: NewDemandInput, now: Date): { ok: true } | Failure<'UNKNOWN_PRODUCT' | 'INVALID_QUANTITY' | 'INVALID_PRICE' | 'NEEDED_BY_IN_PAST'> {
  if (!findProduct(input.productCode)) return fail('UNKNOWN_PRODUCT', `No product with code "${input.productCode}"`, 'productCode');
  if (!isPositiveInteger(input.quantityGrams)) return fail('INVALID_QUANTITY', 'quantityGrams must be above 0', 'quantityGrams');
  if (!isPositiveInteger(input.maxPriceFenPerKg)) return fail('INVALID_PRICE', 'maxPriceFenPerKg must be above 0', 'maxPriceFenPerKg');
  if (input.neededBy.getTime() <= now.getTime()) return fail('NEEDED_BY_IN_PAST', 'neededBy must be in the future', 'neededBy');
  return { ok: true };
}

/**
 * Whether a farm's lot can answer a demand: same product, open, and still fresh when it is
 * needed (a lot expiring before `neededBy` would arrive spoiled).
 */
export function checkLotFitsDemand(
  lot: { productCode: string; expiresAt: Date },
  demand: { productCode: string; neededBy: Date; status: DemandStatus },
  now: Date,
): { ok: true } | Failure<'DEMAND_CLOSED' | 'WRONG_PRODUCT' | 'LOT_EXPIRES_BEFORE_NEEDED'> {
  if (demand.status !== 'open' || demand.neededBy.getTime() <= now.getTime()) return fail('DEMAND_CLOSED', `The demand is ${demand.status === 'open' ? 'past its date' : demand.status}`);
  if (lot.productCode !== demand.productCode) return fail('WRONG_PRODUCT', `The demand is for ${demand.productCode}, the lot is ${lot.productCode}`, 'lotId');
  if (lot.expiresAt.getTime() < demand.neededBy.getTime()) return fail('LOT_EXPIRES_BEFORE_NEEDED', 'The lot expires before the restaurant needs it', 'lotId');
  return { ok: true };
}
