/**
 * One feasibility rule for "this lot may supply this demand": the market's acceptance of a sell offer
 * (demand.ts `checkLotFitsDemand`, used by the demand service) and the desk's candidate builder
 * (matching/candidates.ts, desk/proposals.ts) both ask this file, so every proposal the desk makes
 * is one the market takes. Plain data in, `now` passed in, failures as values.
 *
 * The rule, in the order it is checked:
 *  1. the demand is still open and its needed-by time is ahead (the delivery window has not closed);
 *  2. same product;
 *  3. the lot is open and fresh now, and OUTLIVES the demand's needed-by (a lot expiring before the
 *     restaurant needs it would arrive spoiled — expiring exactly then is still fine);
 *  4. the delivery window is a window: it opens before it closes;
 *  5. quantities: more than 0, no more than the lot has left, at least the lot's minimum take
 *     (or all that is left when less), no more than the demand still needs plus its tolerance;
 *  6. both sides are verified (the caller passes what it knows; unknown counts as verified).
 */
import { fail, type Failure } from './outcome';

export interface FeasibleLot {
  productCode: string;
  /** Epoch ms or a Date. */
  expiresAt: Date | number;
  status?: string;
  remainingGrams?: number;
  /** Smallest take the farm allows (lots may set it); absent: 0. */
  minTakeGrams?: number;
  sellerVerified?: boolean;
}

export interface FeasibleDemand {
  productCode: string;
  neededBy: Date | number;
  deliverFrom?: Date | number;
  status?: string;
  /** Grams still wanted (quantity − filled); absent: not checked. */
  openGrams?: number;
  /** Extra grams the buyer tolerates beyond openGrams. */
  extraGrams?: number;
  buyerVerified?: boolean;
}

export type FeasibilityReason =
  | 'DEMAND_CLOSED'
  | 'WRONG_PRODUCT'
  | 'LOT_NOT_OPEN'
  | 'LOT_EXPIRED'
  | 'LOT_EXPIRES_BEFORE_NEEDED'
  | 'WINDOW_ENDS_BEFORE_START'
  | 'INVALID_QUANTITY'
  | 'NOT_ENOUGH_LEFT'
  | 'BELOW_MIN_TAKE'
  | 'QUANTITY_EXCEEDS_REMAINING'
  | 'COUNTERPARTY_NOT_VERIFIED';

const ms = (t: Date | number): number => (typeof t === 'number' ? t : t.getTime());

/** The lot is still fresh when the demand needs it (the one time rule both sides share). */
export const lotOutlivesNeed = (lotExpiresAt: Date | number, neededBy: Date | number): boolean =>
  ms(lotExpiresAt) >= ms(neededBy);

/**
 * Whether `lot` may supply `demand` now — and, when `grams` is given, that many grams.
 * `minTakeGrams` defaults to 0 (lots without a minimum).
 */
export function checkFeasible(
  lot: FeasibleLot,
  demand: FeasibleDemand,
  now: Date | number,
  grams?: number,
): { ok: true } | Failure<FeasibilityReason> {
  const at = ms(now);
  if ((demand.status !== undefined && demand.status !== 'open') || ms(demand.neededBy) <= at)
    return fail(
      'DEMAND_CLOSED',
      `The demand is ${demand.status === 'open' || !demand.status ? 'past its date' : demand.status}`,
    );
  if (lot.productCode !== demand.productCode)
    return fail('WRONG_PRODUCT', `The demand is for ${demand.productCode}, the lot is ${lot.productCode}`, 'lotId');
  if (lot.status !== undefined && lot.status !== 'open')
    return fail('LOT_NOT_OPEN', `The lot is ${lot.status}`, 'lotId');
  if (ms(lot.expiresAt) <= at) return fail('LOT_EXPIRED', 'The lot has expired', 'lotId');
  if (!lotOutlivesNeed(lot.expiresAt, demand.neededBy))
    return fail('LOT_EXPIRES_BEFORE_NEEDED', 'The lot expires before the restaurant needs it', 'lotId');
  if (demand.deliverFrom !== undefined && ms(demand.deliverFrom) >= ms(demand.neededBy))
    return fail('WINDOW_ENDS_BEFORE_START', 'The delivery window closes before it opens', 'deliverFrom');
  if (lot.sellerVerified === false || demand.buyerVerified === false)
    return fail('COUNTERPARTY_NOT_VERIFIED', 'Both the farm and the restaurant must be verified to trade');
  if (grams === undefined) return { ok: true };
  if (!Number.isSafeInteger(grams) || grams <= 0)
    return fail('INVALID_QUANTITY', 'quantityGrams must be a whole number of grams above 0', 'quantityGrams');
  if (lot.remainingGrams !== undefined && grams > lot.remainingGrams)
    return fail('NOT_ENOUGH_LEFT', `Only ${lot.remainingGrams} g left in the lot`, 'quantityGrams');
  const minTake = Math.min(lot.minTakeGrams ?? 0, lot.remainingGrams ?? Number.MAX_SAFE_INTEGER);
  if (grams < minTake) return fail('BELOW_MIN_TAKE', `The lot sells at least ${minTake} g at a time`, 'quantityGrams');
  if (demand.openGrams !== undefined && grams > demand.openGrams + (demand.extraGrams ?? 0))
    return fail('QUANTITY_EXCEEDS_REMAINING', `The demand needs ${demand.openGrams} g more`, 'quantityGrams');
  return { ok: true };
}
