/**
 * Brokered-offer proposals: the desk asks "who should buy what" over open lots and open
 * demand, and gets a plan to review — nothing is sent. Candidate edges and the exact
 * allocation come from shared/domain/matching; this file adds what matching leaves to its
 * callers: only the same product is a candidate, places default to the district centre
 * when unknown, and each allocation becomes an offer with a price the broker can edit.
 *
 * Proposed price: the farm's ask when the buyer's ceiling covers it; otherwise the midpoint
 * of the farm's reserve and the buyer's ceiling (rounded down to the fen) — a fair split of
 * the gap that both sides have already said they accept.
 */
import {
  allocate,
  allocationProblemFrom,
  buildCandidates,
  type Candidate,
  type CandidateParams,
  type CandidateRejection,
  type LatLng,
  type OpenDemand,
  type OpenLot,
} from '../matching';
import { checkFeasible } from '../feasibility';
import { fail, type Failure } from '../outcome';
import { totalFen } from '../units';

/** 红谷滩区 (Honggutan district), Nanchang: used for a farm or buyer that gave no location. */
export const HONGGUTAN: LatLng = { lat: 28.6829, lng: 115.8577 };

export const DEFAULT_MATCH_PARAMS: Omit<CandidateParams, 'now'> = {
  speedKmPerHour: 40,
  transportFenPerKgKm: 0.5,
  urgencyBonusFenPerKg: 200,
  urgencyWindowHours: 48,
  handlingHours: 1,
};

export interface DeskLot {
  id: string;
  sellerOrgId: string;
  productCode: string;
  remainingGrams: number;
  expiresAt: Date;
  reservePriceFenPerKg: number;
  askPriceFenPerKg: number;
  pickup?: LatLng;
  /** The farm may trade (verified); absent: assumed. */
  sellerVerified?: boolean;
  /** Smallest take the lot allows; absent: 0. */
  minTakeGrams?: number;
}

export interface DeskDemand {
  id: string;
  buyerOrgId: string;
  productCode: string;
  quantityGrams: number;
  maxPriceFenPerKg: number;
  neededBy: Date;
  /** Opening of the delivery window; absent: now. */
  deliverFrom?: Date;
  location?: LatLng;
  tolerance?: { extraPercent: number; discountPercent: number };
  /** The restaurant may trade (verified); absent: assumed. */
  buyerVerified?: boolean;
}

export interface DeskFarm {
  orgId: string;
  dispatchGramsPerDay: number;
}

interface ProposedOffer {
  lotId: string;
  demandId: string;
  sellerOrgId: string;
  buyerOrgId: string;
  productCode: string;
  quantityGrams: number;
  priceFenPerKg: number;
  totalFen: number;
  /** Matching's value of the pair (fen per kg), for ranking. */
  valuePerKg: number;
  distanceKm: number;
  deliverAt: Date;
  /** The lot is within the urgency window (48 h). */
  urgent: boolean;
}

export interface ProposalPlan {
  proposals: ProposedOffer[];
  /** Σ grams × value, fen (matching's objective). */
  objectiveFen: number;
  candidates: number;
  rejected: Record<CandidateRejection, number>;
}

export type ProposalFailure = Failure<'INVALID_PARAMS' | 'INVALID_PROBLEM'>;

function toOpenLot(l: DeskLot): OpenLot {
  return {
    id: l.id,
    farmId: l.sellerOrgId,
    remainingGrams: l.remainingGrams,
    expiresAt: l.expiresAt.getTime(),
    pickup: l.pickup ?? HONGGUTAN,
    reservePriceFenPerKg: l.reservePriceFenPerKg,
  };
}

/** A demand can be delivered from now (or its window's opening) until it is needed. */
function toOpenDemand(d: DeskDemand, now: Date): OpenDemand {
  return {
    id: d.id,
    grams: d.quantityGrams,
    window: { from: Math.max(now.getTime(), d.deliverFrom?.getTime() ?? 0), to: d.neededBy.getTime() },
    maxPriceFenPerKg: d.maxPriceFenPerKg,
    location: d.location ?? HONGGUTAN,
    ...(d.tolerance ? { tolerance: d.tolerance } : {}),
  };
}

export function proposedPrice(
  lot: Pick<DeskLot, 'reservePriceFenPerKg' | 'askPriceFenPerKg'>,
  demand: Pick<DeskDemand, 'maxPriceFenPerKg'>,
): number {
  if (demand.maxPriceFenPerKg >= lot.askPriceFenPerKg) return lot.askPriceFenPerKg;
  return Math.floor((lot.reservePriceFenPerKg + demand.maxPriceFenPerKg) / 2);
}

/**
 * The best plan over these lots and demands. Farms missing from `farms` get unlimited dispatch
 * (their lots' total), so a farm without a capacity profile is not silently left out.
 */
export function proposeOffers(
  allLots: readonly DeskLot[],
  allDemands: readonly DeskDemand[],
  farms: readonly DeskFarm[],
  now: Date,
  params: Omit<CandidateParams, 'now'> = DEFAULT_MATCH_PARAMS,
): { ok: true; plan: ProposalPlan } | ProposalFailure {
  const full: CandidateParams = { ...params, now: now.getTime() };
  // Only verified parties trade (feasibility.ts); time and product are the candidates' (the same rule's) to judge.
  const lots = allLots.filter((l) => l.sellerVerified !== false);
  const demands = allDemands.filter((d) => d.buyerVerified !== false);
  const rejected: Record<CandidateRejection, number> = {
    LOT_EMPTY: 0,
    DEMAND_EMPTY: 0,
    WINDOW_MISSED: 0,
    EXPIRES_BEFORE_DELIVERY: 0,
    NOT_PROFITABLE: 0,
  };
  const edges: Candidate[] = [];
  const products = new Set(lots.map((l) => l.productCode));
  for (const code of products) {
    const result = buildCandidates(
      lots.filter((l) => l.productCode === code).map(toOpenLot),
      demands.filter((d) => d.productCode === code).map((d) => toOpenDemand(d, now)),
      full,
    );
    if (!result.ok) return fail('INVALID_PARAMS', result.detail);
    edges.push(...result.edges);
    for (const [k, n] of Object.entries(result.rejected)) rejected[k as CandidateRejection] += n;
  }
  const lotById = new Map(lots.map((l) => [l.id, l]));
  const demandById = new Map(demands.map((d) => [d.id, d]));
  const known = new Map(farms.map((f) => [f.orgId, f.dispatchGramsPerDay]));
  const farmIds = [...new Set(lots.map((l) => l.sellerOrgId))];
  const dispatch = farmIds.map((id) => ({
    id,
    dispatchGramsPerDay:
      known.get(id) ?? lots.filter((l) => l.sellerOrgId === id).reduce((s, l) => s + Math.max(0, l.remainingGrams), 0),
  }));
  const problem = allocationProblemFrom(
    dispatch,
    lots.map(toOpenLot),
    demands.map((d) => toOpenDemand(d, now)),
    edges,
  );
  const plan = allocate(problem);
  if (!plan.ok) return fail('INVALID_PROBLEM', plan.detail);
  const edgeOf = new Map(edges.map((e) => [`${e.lot}\u0000${e.demand}`, e]));
  const proposals: ProposedOffer[] = [];
  for (const a of plan.allocations) {
    const lot = lotById.get(String(a.lot));
    const demand = demandById.get(String(a.demand));
    const edge = edgeOf.get(`${a.lot}\u0000${a.demand}`);
    if (!lot || !demand || !edge || a.grams <= 0) continue;
    // Every proposal must be one the market takes: the same rule, with the quantity this time.
    const extraGrams = demand.tolerance ? Math.floor((demand.quantityGrams * demand.tolerance.extraPercent) / 100) : 0;
    if (!checkFeasible(lot, { ...demand, openGrams: demand.quantityGrams, extraGrams }, now, a.grams).ok) continue;
    const price = proposedPrice(lot, demand);
    proposals.push({
      lotId: lot.id,
      demandId: demand.id,
      sellerOrgId: lot.sellerOrgId,
      buyerOrgId: demand.buyerOrgId,
      productCode: lot.productCode,
      quantityGrams: a.grams,
      priceFenPerKg: price,
      totalFen: totalFen(a.grams, price),
      valuePerKg: edge.valuePerKg,
      distanceKm: Math.round(edge.distanceKm * 10) / 10,
      deliverAt: new Date(edge.deliverAt),
      urgent: edge.urgent,
    });
  }
  proposals.sort(
    (x, y) => Number(y.urgent) - Number(x.urgent) || y.valuePerKg - x.valuePerKg || (x.lotId < y.lotId ? -1 : 1),
  );
  return { ok: true, plan: { proposals, objectiveFen: plan.objective, candidates: edges.length, rejected } };
}
