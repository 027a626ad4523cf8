/** The desk API's answers as they travel (docs/desk.md): instants are ISO strings, money fen, weight grams. */
import type { LedgerKpis } from '../../../shared/domain/desk/ledger';
import type {
  Problem,
  ProblemCategory,
  ProblemCounts,
  ProblemStatus,
  Urgency,
} from '../../../shared/domain/desk/problems';
import type { Visit } from '../../../shared/domain/desk/visits';

type Wire<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K];
};

interface AtRiskLotRow {
  lotId: string;
  sellerOrgId: string;
  sellerName: string | null;
  productCode: string;
  remainingGrams: number;
  quantityGrams: number;
  unsoldPermille: number;
  hoursLeft: number;
  expiresAt: string;
}

interface SurplusFarmRow {
  orgId: string;
  name: string | null;
  surplusGrams: number;
  products: { productCode: string; surplusGrams: number }[];
  firstSurplusDate: string;
}

interface DemandRow {
  id: string;
  buyerOrgId: string;
  buyerName: string | null;
  productCode: string;
  quantityGrams: number;
  maxPriceFenPerKg: number;
  neededBy: string;
}

export interface AtRiskBoard {
  generatedAt: string;
  /** The pages of lots read so far (the server sends one page; the store appends the next ones). */
  items: AtRiskLotRow[];
  /** Where the next page of lots starts; null when every lot at risk (matching the search) is shown. */
  nextCursor: string | null;
  surplusFarms: SurplusFarmRow[];
  unansweredDemand: DemandRow[];
}

export interface Proposal {
  lotId: string;
  demandId: string;
  sellerOrgId: string;
  sellerName: string | null;
  buyerOrgId: string;
  buyerName: string | null;
  productCode: string;
  quantityGrams: number;
  priceFenPerKg: number;
  totalFen: number;
  distanceKm: number;
  deliverAt: string;
  urgent: boolean;
  /** The lot it is cut from, as the server read it when proposing (absent from older servers). */
  lot?: { remainingGrams: number; expiresAt: string };
}

/** GET /api/desk/brokered-offers: an offer a broker made, as the deal log reloads it. */
export interface BrokeredOfferRow {
  offerId: string;
  lotId: string;
  demandId: string | null;
  productCode: string | null;
  sellerOrgId: string;
  sellerName: string | null;
  buyerOrgId: string;
  buyerName: string | null;
  quantityGrams: number;
  priceFenPerKg: number;
  status: string;
  orderId: string | null;
  /** The order's status and total as the server has them now (older servers: absent). */
  orderStatus?: string | null;
  orderTotalFen?: number | null;
  /** The offer's and the order's versions (every write bumps them); absent from older servers. */
  offerVersion?: number;
  orderVersion?: number | null;
  sentAt: string;
}

export interface ProposalPlan {
  proposals: Proposal[];
  objectiveFen: number;
  candidates: number;
  rejected: Record<string, number>;
}

export type Period = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const PERIODS: readonly Period[] = ['day', 'week', 'month', 'quarter', 'year'];

type Kpis = LedgerKpis;
interface PeriodRow extends Kpis {
  period: string;
  firstDay: string;
  lastDay: string;
}

interface LedgerEntryRow {
  id: string;
  orderId: string;
  broker: { userId: string; name: string };
  farm: { orgId: string; name: string; township?: string; village?: string };
  buyer: { orgId: string; name: string };
  productCode: string;
  valueFen: number;
  quantityGrams: number;
  programme: string;
  atRisk: boolean;
  createdAt: string;
  voidedAt?: string;
  voidReason?: string;
}

export interface LedgerReport {
  from: string;
  to: string;
  period: Period;
  total: Kpis;
  periods: PeriodRow[];
  /** The pages of entries read so far, newest first (the server sends one page; the store appends the next). */
  items: LedgerEntryRow[];
  nextCursor: string | null;
  /** The KPIs stopped at the server's cap of entries for one range. */
  truncated: boolean;
}

interface SellThroughPoint {
  period: string;
  firstDay: string;
  lastDay: string;
  soldGrams: number;
  spoiledGrams: number;
  rate: number | null;
  ratePermille: number | null;
}

export interface SellThroughReport {
  from: string;
  to: string;
  period: Period;
  farms: { farmId: string; farmName: string; points: SellThroughPoint[]; overall: SellThroughPoint | null }[];
}

export type ProblemRow = Wire<Omit<Problem, 'history'>> & {
  history: { action: string; at: string; by: { name: string }; text?: string }[];
};
export type VisitRow = Wire<Visit> & { orgName?: string };
export type { ProblemCategory, ProblemCounts, ProblemStatus, Urgency };

export interface ProblemList {
  items: ProblemRow[];
  nextCursor: string | null;
  counts: ProblemCounts;
  countsTruncated: boolean;
  summary: { 'zh-CN': string; en: string };
}
