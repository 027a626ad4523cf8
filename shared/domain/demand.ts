/** A restaurant's posted need: "30 kg enoki by Friday 10:00, at most ¥9/kg". Farms answer with sell offers. */
import { findProduct } from './catalogue';
import { isPositiveInteger } from './lots';
import { checkFeasible, type FeasibilityReason, type FeasibleLot } from './feasibility';
import { fail, type Failure } from './outcome';

/** `filled`: accepted sell offers' confirmed orders add up to the quantity asked for. */
export type DemandStatus = 'open' | 'filled' | 'withdrawn' | 'expired';
export const DEMAND_STATUSES = ['open', 'filled', 'withdrawn', 'expired'] as const satisfies readonly DemandStatus[];

export interface NewDemandInput {
  productCode: string;
  quantityGrams: number;
  maxPriceFenPerKg: number;
  neededBy: Date;
  /** Start of the delivery window (deliverFrom..neededBy); absent: any time before neededBy. */
  deliverFrom?: Date;
  deliveryRequired?: boolean;
  deliveryAddress?: string;
}

export function checkNewDemand(
  input: NewDemandInput,
  now: Date,
):
  | { ok: true }
  | Failure<
      | 'UNKNOWN_PRODUCT'
      | 'INVALID_QUANTITY'
      | 'INVALID_PRICE'
      | 'NEEDED_BY_IN_PAST'
      | 'WINDOW_ENDS_BEFORE_START'
      | 'DELIVERY_ADDRESS_REQUIRED'
    > {
  if (!findProduct(input.productCode))
    return fail('UNKNOWN_PRODUCT', `No product with code "${input.productCode}"`, 'productCode');
  if (!isPositiveInteger(input.quantityGrams))
    return fail('INVALID_QUANTITY', 'quantityGrams must be above 0', 'quantityGrams');
  if (!isPositiveInteger(input.maxPriceFenPerKg))
    return fail('INVALID_PRICE', 'maxPriceFenPerKg must be above 0', 'maxPriceFenPerKg');
  if (input.neededBy.getTime() <= now.getTime())
    return fail('NEEDED_BY_IN_PAST', 'neededBy must be in the future', 'neededBy');
  if (input.deliverFrom && input.deliverFrom.getTime() >= input.neededBy.getTime())
    return fail('WINDOW_ENDS_BEFORE_START', 'deliverFrom must be before neededBy', 'deliverFrom');
  // A farm cannot deliver to nowhere; collecting needs no address (one given anyway is kept).
  if (input.deliveryRequired && !input.deliveryAddress?.trim())
    return fail(
      'DELIVERY_ADDRESS_REQUIRED',
      'deliveryAddress is required when deliveryRequired is true',
      'deliveryAddress',
    );
  return { ok: true };
}

/**
 * What one confirmed order adds to a demand: the status it should then have. Counting each order
 * once is the repository's job (the order id set); this is only the arithmetic.
 */
export function statusAfterFill(demand: {
  quantityGrams: number;
  filledGrams: number;
  status: DemandStatus;
}): DemandStatus {
  // An order confirmed after the date passed still supplies the demand: expired becomes filled too.
  const fillable = demand.status === 'open' || demand.status === 'expired';
  return fillable && demand.filledGrams >= demand.quantityGrams ? 'filled' : demand.status;
}

/**
 * What giving back a cancelled order's grams does to a demand: a filled one that is now short reopens,
 * but only while its `neededBy` is still ahead (a farm can still answer it); otherwise it stays as it is.
 */
export function statusAfterRelease(
  demand: { quantityGrams: number; filledGrams: number; status: DemandStatus; neededBy: Date },
  now: Date,
): DemandStatus {
  const reopens =
    demand.status === 'filled' &&
    demand.filledGrams < demand.quantityGrams &&
    demand.neededBy.getTime() > now.getTime();
  return reopens ? 'open' : demand.status;
}

/** Grams still wanted (never negative: offers may together overshoot). */
export const stillWantedGrams = (demand: { quantityGrams: number; filledGrams?: number }): number =>
  Math.max(0, demand.quantityGrams - (demand.filledGrams ?? 0));

/**
 * Whether a farm's lot can answer a demand: same product, open, and still fresh when it is
 * needed (a lot expiring before `neededBy` would arrive spoiled) — the shared feasibility rule
 * (feasibility.ts), the same one the desk's proposals obey; with `grams`, the quantity too.
 */
export function checkLotFitsDemand(
  lot: FeasibleLot,
  demand: { productCode: string; neededBy: Date; deliverFrom?: Date; status: DemandStatus },
  now: Date,
  grams?: number,
): { ok: true } | Failure<FeasibilityReason> {
  return checkFeasible(lot, demand, now, grams);
}
