/**
 * `market:watch`: which part of the market board a socket hears (docs/market.md "The board"). Products,
 * regions, or both (then only lots of those products from those regions); nothing named = the whole market.
 */
import { z } from 'zod';
import { productCode, regionName } from './market';

/** Bounded so one socket cannot make the server keep thousands of rooms for it (products × regions at most 100). */
const MAX_WATCHED_PRODUCTS = 10;
const MAX_WATCHED_REGIONS = 10;

const distinct = <T>(items: readonly T[] | undefined): T[] => [...new Set(items ?? [])];

export const marketWatchPayload = z
  .strictObject({
    productCodes: z.array(productCode).max(MAX_WATCHED_PRODUCTS, `at most ${MAX_WATCHED_PRODUCTS} products`).optional(),
    regions: z.array(regionName).max(MAX_WATCHED_REGIONS, `at most ${MAX_WATCHED_REGIONS} regions`).optional(),
  })
  .transform((w) => ({ productCodes: distinct(w.productCodes), regions: distinct(w.regions) }));
export type MarketWatchPayload = z.input<typeof marketWatchPayload>;

/** What the socket watches now, as the ack reports it; both empty = the whole market. */
export interface MarketWatching {
  productCodes: string[];
  regions: string[];
}
