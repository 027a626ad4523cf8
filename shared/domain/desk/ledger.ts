/**
 * The assistance ledger (帮扶台账): one entry per order the chamber's desk facilitated,
 * and the figures the chamber reports upward (sales facilitated, at-risk produce saved,
 * enterprises and villages helped). Entries are written once, when the brokered order is
 * confirmed; a later cancellation voids the entry rather than deleting it, so the ledger
 * stays an audit trail.
 */
import { shanghaiDate, type CalendarDate } from '../calendar';
import { isPositiveInteger } from '../lots';
import { fail, type Failure } from '../outcome';
import { AT_RISK_HOURS } from '../spoilage';
import { periodOf, periodsBetween, type Period } from './periods';

const DEFAULT_PROGRAMME = '万企兴万村';
/** The ledger's programme for what the chamber bought itself (its own bid on a farm's lot), beside brokered help. */
export const DIRECT_PROCUREMENT = '农副产品直接采购';
const HOUR_MS = 3_600_000;

export interface Person {
  userId: string;
  name: string;
}

interface FarmRef {
  orgId: string;
  name: string;
  township?: string;
  village?: string;
}

interface OrgRef {
  orgId: string;
  name: string;
}

export interface LedgerEntry {
  id: string;
  orderId: string;
  broker: Person;
  farm: FarmRef;
  buyer: OrgRef;
  productCode: string;
  valueFen: number;
  quantityGrams: number;
  programme: string;
  /** The lot had AT_RISK_HOURS (48 h) or less left when the deal was brokered. */
  atRisk: boolean;
  createdAt: Date;
  voidedAt?: Date;
  voidReason?: string;
}

/** The part of a confirmed order the ledger needs (market's Order has all of these). */
export interface FacilitatedOrder {
  id: string;
  sellerOrgId: string;
  buyerOrgId: string;
  productCode: string;
  quantityGrams: number;
  totalFen: number;
}

/** What the desk knows beside the order: who brokered it, the parties' names and places, the lot's expiry. */
export interface FacilitationContext {
  broker: Person;
  farm: FarmRef;
  buyer: OrgRef;
  lotExpiresAt: Date;
  /** When the broker made the deal (the offer's brokered step); defaults to `now`. */
  brokeredAt?: Date;
  programme?: string;
}

export type LedgerFailure = Failure<'PARTY_MISMATCH' | 'INVALID_QUANTITY' | 'INVALID_VALUE'>;

export function wasAtRisk(lotExpiresAt: Date, brokeredAt: Date, hours = AT_RISK_HOURS): boolean {
  const left = lotExpiresAt.getTime() - brokeredAt.getTime();
  return left > 0 && left <= hours * HOUR_MS;
}

export function newLedgerEntry(
  id: string,
  order: FacilitatedOrder,
  context: FacilitationContext,
  now: Date,
): { ok: true; entry: LedgerEntry } | LedgerFailure {
  if (order.sellerOrgId !== context.farm.orgId)
    return fail('PARTY_MISMATCH', 'The order was not sold by this farm', 'farm.orgId');
  if (order.buyerOrgId !== context.buyer.orgId)
    return fail('PARTY_MISMATCH', 'The order was not bought by this buyer', 'buyer.orgId');
  if (!isPositiveInteger(order.quantityGrams))
    return fail('INVALID_QUANTITY', 'quantityGrams must be a positive integer', 'quantityGrams');
  if (!Number.isSafeInteger(order.totalFen) || order.totalFen < 0)
    return fail('INVALID_VALUE', 'totalFen must be a non-negative integer', 'totalFen');
  return {
    ok: true,
    entry: {
      id,
      orderId: order.id,
      broker: context.broker,
      farm: context.farm,
      buyer: context.buyer,
      productCode: order.productCode,
      valueFen: order.totalFen,
      quantityGrams: order.quantityGrams,
      programme: context.programme ?? DEFAULT_PROGRAMME,
      atRisk: wasAtRisk(context.lotExpiresAt, context.brokeredAt ?? now),
      createdAt: now,
    },
  };
}

export function voidLedgerEntry(
  entry: LedgerEntry,
  reason: string,
  now: Date,
): { ok: true; entry: LedgerEntry } | Failure<'ALREADY_VOID' | 'REASON_REQUIRED'> {
  if (entry.voidedAt) return fail('ALREADY_VOID', 'This entry is already void');
  const trimmed = reason.trim();
  if (trimmed === '') return fail('REASON_REQUIRED', 'Say why the entry is void', 'reason');
  return { ok: true, entry: { ...entry, voidedAt: now, voidReason: trimmed } };
}

export interface LedgerKpis {
  orders: number;
  valueFen: number;
  quantityGrams: number;
  /** Produce within 48 h of expiry that the desk sold before it spoiled. */
  atRiskGrams: number;
  atRiskOrders: number;
  /** Distinct farms (the enterprises helped). */
  enterprises: number;
  buyers: number;
  /** Distinct township + village pairs of the farms (entries without a village are not counted). */
  villages: number;
}

export interface PeriodKpis extends LedgerKpis {
  period: string;
  firstDay: CalendarDate;
  lastDay: CalendarDate;
}

const villageKey = (farm: FarmRef) => (farm.village ? `${farm.township ?? ''}\u0000${farm.village}` : undefined);

/** KPIs over these entries; void entries do not count. Distinct counts are over the whole set. */
export function ledgerKpis(entries: readonly LedgerEntry[]): LedgerKpis {
  const live = entries.filter((e) => !e.voidedAt);
  const farms = new Set<string>();
  const buyers = new Set<string>();
  const villages = new Set<string>();
  const kpis: LedgerKpis = {
    orders: 0,
    valueFen: 0,
    quantityGrams: 0,
    atRiskGrams: 0,
    atRiskOrders: 0,
    enterprises: 0,
    buyers: 0,
    villages: 0,
  };
  for (const e of live) {
    kpis.orders++;
    kpis.valueFen += e.valueFen;
    kpis.quantityGrams += e.quantityGrams;
    if (e.atRisk) {
      kpis.atRiskGrams += e.quantityGrams;
      kpis.atRiskOrders++;
    }
    farms.add(e.farm.orgId);
    buyers.add(e.buyer.orgId);
    const v = villageKey(e.farm);
    if (v) villages.add(v);
  }
  return { ...kpis, enterprises: farms.size, buyers: buyers.size, villages: villages.size };
}

/** KPIs per period from `from` to `to` (Shanghai days, inclusive), empty periods included, plus the total. */
export function ledgerKpisByPeriod(
  entries: readonly LedgerEntry[],
  period: Period,
  from: CalendarDate,
  to: CalendarDate,
): { periods: PeriodKpis[]; total: LedgerKpis } {
  const inRange = entries.filter((e) => {
    const day = shanghaiDate(e.createdAt);
    return day >= from && day <= to;
  });
  const byKey = new Map<string, LedgerEntry[]>();
  for (const e of inRange) {
    const key = periodOf(e.createdAt, period).key;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const periods = periodsBetween(from, to, period).map((span) => ({
    period: span.key,
    firstDay: span.firstDay,
    lastDay: span.lastDay,
    ...ledgerKpis(byKey.get(span.key) ?? []),
  }));
  return { periods, total: ledgerKpis(inRange) };
}
