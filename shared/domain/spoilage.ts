/**
 * When a lot stops being sellable, and how urgent selling it is.
 * The profile in the catalogue is the ceiling: a farm may promise less freshness
 * (an earlier expiry) but never more.
 */
import type { Product, Storage } from './catalogue';
import { fail, type Failure } from './outcome';

const HOUR_MS = 60 * 60 * 1000;

/** A harvest timestamp this far ahead of the server clock is tolerated (phones drift). */
export const HARVEST_CLOCK_SKEW_MS = 10 * 60 * 1000;

/** Below this many hours left a lot is "at risk" — unless its whole life is short (see atRiskThresholdHours). */
export const AT_RISK_HOURS = 48;

export type ExpiryFailure = Failure<'EXPIRY_BEYOND_SHELF_LIFE' | 'EXPIRY_NOT_AFTER_HARVEST'> & { maxExpiresAt: Date };

/** The latest moment a product harvested at `harvestedAt` and kept in `storage` may be sold. */
export function maxExpiresAt(harvestedAt: Date, storage: Storage, product: Product): Date {
  return new Date(harvestedAt.getTime() + product.shelfLifeHours[storage] * HOUR_MS);
}

/**
 * The expiry a lot gets: the profile's limit, or the farm's earlier date.
 * A requested expiry later than the profile allows is refused (not silently capped) so
 * the farm sees that the platform will not sell stale goods on its behalf.
 */
export function expiresAt(
  harvestedAt: Date,
  storage: Storage,
  product: Product,
  requestedExpiresAt?: Date,
): { ok: true; expiresAt: Date } | ExpiryFailure {
  const max = maxExpiresAt(harvestedAt, storage, product);
  if (requestedExpiresAt === undefined) return { ok: true, expiresAt: max };
  if (requestedExpiresAt.getTime() <= harvestedAt.getTime()) {
    return {
      ...fail('EXPIRY_NOT_AFTER_HARVEST', 'expiresAt must be after harvestedAt', 'expiresAt'),
      maxExpiresAt: max,
    };
  }
  if (requestedExpiresAt.getTime() > max.getTime()) {
    const hours = product.shelfLifeHours[storage];
    return {
      ...fail(
        'EXPIRY_BEYOND_SHELF_LIFE',
        `${product.nameEn} kept ${storage} keeps ${hours} h; expiresAt may be at most ${max.toISOString()}`,
        'expiresAt',
      ),
      maxExpiresAt: max,
    };
  }
  return { ok: true, expiresAt: requestedExpiresAt };
}

/** Hours until expiry, never negative (fractional). */
export function hoursLeft(expires: Date, now: Date): number {
  return Math.max(0, (expires.getTime() - now.getTime()) / HOUR_MS);
}

export function isExpired(expires: Date, now: Date): boolean {
  return now.getTime() >= expires.getTime();
}

/**
 * 48 h, or half the product's whole life if that is shorter — otherwise fresh fish
 * (48 h cold) would be "at risk" the moment it is landed, and the flag would mean nothing.
 */
export function atRiskThresholdHours(product: Product, storage: Storage): number {
  return Math.min(AT_RISK_HOURS, product.shelfLifeHours[storage] / 2);
}

export function isAtRisk(expires: Date, now: Date, thresholdHours: number = AT_RISK_HOURS): boolean {
  return !isExpired(expires, now) && hoursLeft(expires, now) < thresholdHours;
}

export type Urgency = 'fresh' | 'at_risk' | 'urgent' | 'critical' | 'expired';

/**
 * fresh → at_risk (under the threshold) → urgent (under a quarter of it, or 12 h)
 * → critical (under 6 h, or an eighth) → expired. The UI sorts and colours by this;
 * the clock sale is offered from at_risk on.
 */
export function urgency(expires: Date, now: Date, thresholdHours: number = AT_RISK_HOURS): Urgency {
  if (isExpired(expires, now)) return 'expired';
  const left = hoursLeft(expires, now);
  if (left < Math.min(6, thresholdHours / 8)) return 'critical';
  if (left < Math.min(12, thresholdHours / 4)) return 'urgent';
  if (left < thresholdHours) return 'at_risk';
  return 'fresh';
}
