/**
 * The desk's at-risk board: what needs a broker's attention now.
 *  - lots with AT_RISK_HOURS (48 h) or less left, most urgent first, with the share still unsold;
 *  - farms whose next days' outlook (capacity.ts) shows produce nobody has bought yet;
 *  - demand that no farm has offered on.
 */
import type { OutlookDay } from '../capacity';
import type { LotStatus } from '../lots';
import type { OfferState } from '../offers';
import { AT_RISK_HOURS } from '../spoilage';

const HOUR_MS = 3_600_000;

export interface BoardLot {
  id: string;
  sellerOrgId: string;
  productCode: string;
  quantityGrams: number;
  remainingGrams: number;
  expiresAt: Date;
  status: LotStatus;
}

export interface AtRiskLot {
  lotId: string;
  sellerOrgId: string;
  productCode: string;
  remainingGrams: number;
  quantityGrams: number;
  /** remaining ÷ quantity, in whole per-mille (rounded down: never overstate what is left). */
  unsoldPermille: number;
  hoursLeft: number;
  expiresAt: Date;
}

export function atRiskLots(lots: readonly BoardLot[], now: Date, windowHours = AT_RISK_HOURS): AtRiskLot[] {
  const limit = now.getTime() + windowHours * HOUR_MS;
  return lots
    .filter(
      (l) =>
        l.status === 'open' &&
        l.remainingGrams > 0 &&
        l.expiresAt.getTime() > now.getTime() &&
        l.expiresAt.getTime() <= limit,
    )
    .sort(
      (a, b) =>
        a.expiresAt.getTime() - b.expiresAt.getTime() || b.remainingGrams - a.remainingGrams || (a.id < b.id ? -1 : 1),
    )
    .map((l) => ({
      lotId: l.id,
      sellerOrgId: l.sellerOrgId,
      productCode: l.productCode,
      remainingGrams: l.remainingGrams,
      quantityGrams: l.quantityGrams,
      unsoldPermille: l.quantityGrams > 0 ? Math.floor((l.remainingGrams * 1000) / l.quantityGrams) : 0,
      hoursLeft: Math.floor(((l.expiresAt.getTime() - now.getTime()) / HOUR_MS) * 10) / 10,
      expiresAt: l.expiresAt,
    }));
}

export interface FarmOutlook {
  orgId: string;
  days: OutlookDay[];
}

export interface SurplusFarm {
  orgId: string;
  surplusGrams: number;
  /** Per product, summed over the days (only products with a surplus). */
  products: { productCode: string; surplusGrams: number }[];
  /** First day with any surplus. */
  firstSurplusDate: string;
}

/** Farms with at least `minSurplusGrams` unsold over the outlook, biggest first. Shortfalls on one day do not cancel another day's surplus. */
export function surplusFarms(outlooks: readonly FarmOutlook[], minSurplusGrams = 1): SurplusFarm[] {
  const result: SurplusFarm[] = [];
  for (const o of outlooks) {
    const perProduct = new Map<string, number>();
    let first: string | undefined;
    for (const day of o.days) {
      for (const line of day.lines) {
        if (line.surplusGrams <= 0) continue;
        perProduct.set(line.productCode, (perProduct.get(line.productCode) ?? 0) + line.surplusGrams);
        first ??= day.date;
      }
    }
    const total = [...perProduct.values()].reduce((s, g) => s + g, 0);
    if (total < minSurplusGrams || first === undefined) continue;
    const products = [...perProduct.entries()]
      .map(([productCode, surplusGrams]) => ({ productCode, surplusGrams }))
      .sort((a, b) => b.surplusGrams - a.surplusGrams);
    result.push({ orgId: o.orgId, surplusGrams: total, products, firstSurplusDate: first });
  }
  return result.sort((a, b) => b.surplusGrams - a.surplusGrams || (a.orgId < b.orgId ? -1 : 1));
}

export interface BoardDemand {
  id: string;
  buyerOrgId: string;
  productCode: string;
  quantityGrams: number;
  maxPriceFenPerKg: number;
  neededBy: Date;
  status: string;
}

export interface BoardOffer {
  demandId?: string;
  state: OfferState;
}

/** Offers that count as "someone answered": live ones and accepted ones. A rejected or expired offer leaves the demand unanswered. */
const ANSWERING: readonly OfferState[] = ['open', 'countered', 'accepted'];

/** Open demand, not yet due, that no live or accepted offer answers; soonest needed first. */
export function unansweredDemand(
  demands: readonly BoardDemand[],
  offers: readonly BoardOffer[],
  now: Date,
): BoardDemand[] {
  const answered = new Set(offers.filter((o) => o.demandId && ANSWERING.includes(o.state)).map((o) => o.demandId));
  return demands
    .filter((d) => d.status === 'open' && d.neededBy.getTime() > now.getTime() && !answered.has(d.id))
    .sort((a, b) => a.neededBy.getTime() - b.neededBy.getTime() || (a.id < b.id ? -1 : 1));
}
