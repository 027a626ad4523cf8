/**
 * Which confirmed orders count for a campaign (消费帮扶行动) or a pairing (结对帮扶), and what they add up to.
 * Progress is never typed in: it is always recomputed from the orders themselves, so a cancelled order
 * simply stops counting.
 *
 * The scope's rules:
 *  - the order must be a sale that happened: confirmed, dispatched, delivered, completed or disputed
 *    (pending, failed and cancelled orders never count);
 *  - it was confirmed inside the period, `startsAt` ≤ confirmedAt < `endsAt`;
 *  - when product codes are named, its product is one of them;
 *  - when farms or villages are named, its seller is one of the farms OR lies in one of the villages
 *    (the places are a union: "these farms and everything in 太平村");
 *  - when buyers are named (a pairing's enterprise, a campaign's joined enterprises when it is
 *    members-only), its buyer is one of them.
 */
import type { OrderStatus } from '../orders';

export const COUNTED_STATUSES = [
  'confirmed',
  'dispatched',
  'delivered',
  'completed',
  'disputed',
] as const satisfies readonly OrderStatus[];

export interface ProgrammeScope {
  startsAt: Date;
  endsAt: Date;
  productCodes?: readonly string[];
  farmIds?: readonly string[];
  villages?: readonly string[];
  buyerOrgIds?: readonly string[];
}

/** The facts about an order that scope rules read; `sellerVillage` comes from the seller's address. */
export interface OrderFacts {
  id: string;
  buyerOrgId: string;
  sellerOrgId: string;
  productCode: string;
  quantityGrams: number;
  totalFen: number;
  status: OrderStatus;
  confirmedAt: Date;
  sellerVillage?: string;
}

export interface Progress {
  valueFen: number;
  grams: number;
  orders: number;
  buyers: number;
}

const nonEmpty = (list: readonly string[] | undefined): list is readonly string[] => !!list && list.length > 0;

function isCountedStatus(status: OrderStatus): boolean {
  return (COUNTED_STATUSES as readonly OrderStatus[]).includes(status);
}

/** Whether the order lies inside the scope's places and products (not its period or status). */
export function inPlaceAndProduct(scope: ProgrammeScope, order: OrderFacts): boolean {
  if (nonEmpty(scope.productCodes) && !scope.productCodes.includes(order.productCode)) return false;
  if (nonEmpty(scope.buyerOrgIds) && !scope.buyerOrgIds.includes(order.buyerOrgId)) return false;
  const farms = nonEmpty(scope.farmIds);
  const villages = nonEmpty(scope.villages);
  if (!farms && !villages) return true;
  if (farms && scope.farmIds?.includes(order.sellerOrgId)) return true;
  return villages && order.sellerVillage !== undefined && !!scope.villages?.includes(order.sellerVillage);
}

/** Whether a confirmed order counts for the scope: see the rules at the top of this file. */
export function countsFor(scope: ProgrammeScope, order: OrderFacts): boolean {
  if (!isCountedStatus(order.status)) return false;
  const at = order.confirmedAt.getTime();
  if (at < scope.startsAt.getTime() || at >= scope.endsAt.getTime()) return false;
  return inPlaceAndProduct(scope, order);
}

/** Sums the orders that count: value, grams, how many orders and how many distinct buyers. */
export function progressOf(scope: ProgrammeScope, orders: readonly OrderFacts[]): Progress {
  const counted = orders.filter((order) => countsFor(scope, order));
  return sumOrders(counted);
}

/** Sums orders already known to count (each order once, by id). */
export function sumOrders(orders: readonly OrderFacts[]): Progress {
  const seen = new Set<string>();
  const buyers = new Set<string>();
  let valueFen = 0;
  let grams = 0;
  for (const order of orders) {
    if (seen.has(order.id)) continue;
    seen.add(order.id);
    buyers.add(order.buyerOrgId);
    valueFen += order.totalFen;
    grams += order.quantityGrams;
  }
  return { valueFen, grams, orders: seen.size, buyers: buyers.size };
}

/** Share of a target reached, in whole per-mille (0…1000+, rounded down); null without a target. */
export function permilleOf(done: number, target: number | undefined): number | null {
  if (target === undefined || target <= 0) return null;
  return Math.floor((done * 1000) / target);
}

export interface LeaderboardRow {
  key: string;
  valueFen: number;
  grams: number;
  orders: number;
}

/**
 * Rows per buyer or per place (the seller's village, or the seller itself when it has no village),
 * largest value first, ties by grams then key; at most `limit` rows.
 */
export function leaderboard(
  counted: readonly OrderFacts[],
  by: 'buyer' | 'village' | 'farm',
  limit = 10,
): LeaderboardRow[] {
  const rows = new Map<string, LeaderboardRow>();
  for (const order of counted) {
    const key =
      by === 'buyer'
        ? order.buyerOrgId
        : by === 'farm'
          ? order.sellerOrgId
          : (order.sellerVillage ?? order.sellerOrgId);
    const row = rows.get(key) ?? { key, valueFen: 0, grams: 0, orders: 0 };
    row.valueFen += order.totalFen;
    row.grams += order.quantityGrams;
    row.orders += 1;
    rows.set(key, row);
  }
  return [...rows.values()]
    .sort((a, b) => b.valueFen - a.valueFen || b.grams - a.grams || a.key.localeCompare(b.key))
    .slice(0, limit);
}
