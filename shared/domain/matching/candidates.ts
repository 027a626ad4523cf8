import { lotOutlivesNeed } from '../feasibility';
import type { AllocationProblem, MatchId } from './types';

export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

export interface OpenLot {
  readonly id: MatchId;
  readonly farmId: MatchId;
  readonly remainingGrams: number;
  /** Epoch ms at which the produce is no longer sellable. */
  readonly expiresAt: number;
  readonly pickup: LatLng;
  readonly reservePriceFenPerKg: number;
}

export interface OpenDemand {
  readonly id: MatchId;
  readonly grams: number;
  /** Delivery window, epoch ms, both ends included. */
  readonly window: { readonly from: number; readonly to: number };
  readonly maxPriceFenPerKg: number;
  readonly location: LatLng;
  /** The buyer also takes up to extraPercent more grams, at discountPercent off its max price. */
  readonly tolerance?: { readonly extraPercent: number; readonly discountPercent: number };
}

export interface FarmDispatch {
  readonly id: MatchId;
  readonly dispatchGramsPerDay: number;
}

export interface CandidateParams {
  readonly now: number;
  readonly speedKmPerHour: number;
  /** May be fractional (e.g. 0.5 fen per kg·km); the product with distance is rounded. */
  readonly transportFenPerKgKm: number;
  readonly urgencyBonusFenPerKg: number;
  readonly urgencyWindowHours: number;
  /** Time from now until the truck can leave (packing, loading); 0 when absent. */
  readonly handlingHours?: number;
  /** Keep edges whose value is ≤ 0 too (default false: they are never worth using). */
  readonly keepNonPositive?: boolean;
}

export interface Candidate {
  readonly lot: MatchId;
  readonly demand: MatchId;
  readonly valuePerKg: number;
  readonly distanceKm: number;
  /** When the delivery lands: the earliest arrival, or the window's opening if that is later. */
  readonly deliverAt: number;
  readonly urgent: boolean;
}

export type CandidateRejection =
  'LOT_EMPTY' | 'DEMAND_EMPTY' | 'WINDOW_MISSED' | 'EXPIRES_BEFORE_DELIVERY' | 'NOT_PROFITABLE';

export type CandidateResult =
  | {
      readonly ok: true;
      readonly edges: readonly Candidate[];
      readonly rejected: Readonly<Record<CandidateRejection, number>>;
    }
  | { readonly ok: false; readonly reason: 'INVALID_PARAMS'; readonly detail: string };

const HOUR_MS = 3_600_000;
/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;

export function haversineKm(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Transit time, rounded up to a whole millisecond so a promise is never earlier than physics. */
export function transitMs(distanceKm: number, speedKmPerHour: number): number {
  return Math.ceil((distanceKm / speedKmPerHour) * HOUR_MS);
}

/**
 * valuePerKg = maxPriceFenPerKg − reservePriceFenPerKg − round(transportFenPerKgKm × km)
 *              + (expiresAt − now ≤ urgencyWindowHours h ? urgencyBonusFenPerKg : 0)
 * with Math.round (halves up) on the transport term, so the value is whole fen.
 */
function valuePerKg(lot: OpenLot, demand: OpenDemand, distanceKm: number, params: CandidateParams): number {
  const transport = Math.round(params.transportFenPerKgKm * distanceKm);
  return (
    demand.maxPriceFenPerKg -
    lot.reservePriceFenPerKg -
    transport +
    (isUrgent(lot, params) ? params.urgencyBonusFenPerKg : 0)
  );
}

function isUrgent(lot: OpenLot, params: CandidateParams): boolean {
  return lot.expiresAt - params.now <= params.urgencyWindowHours * HOUR_MS;
}

function checkParams(params: CandidateParams): string | undefined {
  if (!(params.speedKmPerHour > 0) || !Number.isFinite(params.speedKmPerHour))
    return 'speedKmPerHour must be a positive number';
  if (!(params.transportFenPerKgKm >= 0)) return 'transportFenPerKgKm must be ≥ 0';
  if (!Number.isSafeInteger(params.urgencyBonusFenPerKg)) return 'urgencyBonusFenPerKg must be an integer';
  if (!(params.urgencyWindowHours >= 0)) return 'urgencyWindowHours must be ≥ 0';
  if (!((params.handlingHours ?? 0) >= 0)) return 'handlingHours must be ≥ 0';
  if (!Number.isFinite(params.now)) return 'now must be a time in ms';
  return undefined;
}

/**
 * Every (lot, demand) pair that can be delivered and is worth doing. A truck leaves at
 * now + handling, drives the great-circle distance at the given speed, and may wait for the
 * window to open; the delivery must land inside the window (ends included) and strictly before
 * the lot expires, and the lot must outlive the window's close (feasibility.ts, the market's rule). Rejected pairs are counted by their first failing reason, in this order:
 * LOT_EMPTY, DEMAND_EMPTY, WINDOW_MISSED, EXPIRES_BEFORE_DELIVERY, NOT_PROFITABLE.
 */
export function buildCandidates(
  lots: readonly OpenLot[],
  demands: readonly OpenDemand[],
  params: CandidateParams,
): CandidateResult {
  const problem = checkParams(params);
  if (problem) return { ok: false, reason: 'INVALID_PARAMS', detail: problem };
  const departAt = params.now + Math.round((params.handlingHours ?? 0) * HOUR_MS);
  const rejected: Record<CandidateRejection, number> = {
    LOT_EMPTY: 0,
    DEMAND_EMPTY: 0,
    WINDOW_MISSED: 0,
    EXPIRES_BEFORE_DELIVERY: 0,
    NOT_PROFITABLE: 0,
  };
  const edges: Candidate[] = [];
  for (const lot of lots) {
    if (!(lot.remainingGrams > 0)) {
      rejected.LOT_EMPTY += demands.length;
      continue;
    }
    const urgent = isUrgent(lot, params);
    for (const demand of demands) {
      if (!(demand.grams > 0)) {
        rejected.DEMAND_EMPTY++;
        continue;
      }
      // Cheap time bounds first: even a zero-distance trip cannot make it.
      if (Math.max(departAt, demand.window.from) > demand.window.to) {
        rejected.WINDOW_MISSED++;
        continue;
      }
      // The market's rule (feasibility.ts): the lot must still be fresh when the window closes.
      if (
        Math.max(departAt, demand.window.from) >= lot.expiresAt ||
        !lotOutlivesNeed(lot.expiresAt, demand.window.to)
      ) {
        rejected.EXPIRES_BEFORE_DELIVERY++;
        continue;
      }
      const distanceKm = haversineKm(lot.pickup, demand.location);
      const deliverAt = Math.max(departAt + transitMs(distanceKm, params.speedKmPerHour), demand.window.from);
      if (deliverAt > demand.window.to) {
        rejected.WINDOW_MISSED++;
        continue;
      }
      if (deliverAt >= lot.expiresAt) {
        rejected.EXPIRES_BEFORE_DELIVERY++;
        continue;
      }
      const value = valuePerKg(lot, demand, distanceKm, params);
      if (value <= 0 && !params.keepNonPositive) {
        rejected.NOT_PROFITABLE++;
        continue;
      }
      edges.push({ lot: lot.id, demand: demand.id, valuePerKg: value, distanceKm, deliverAt, urgent });
    }
  }
  return { ok: true, edges, rejected };
}

/**
 * The allocation problem for these candidates. A demand's tolerance becomes extra capacity:
 * extraGrams = floor(grams × extraPercent / 100), each extra kg worth
 * extraDiscountFenPerKg = round(maxPriceFenPerKg × discountPercent / 100) less than its edge value.
 */
export function allocationProblemFrom(
  farms: readonly FarmDispatch[],
  lots: readonly OpenLot[],
  demands: readonly OpenDemand[],
  edges: readonly Candidate[],
): AllocationProblem {
  return {
    farms: farms.map((f) => ({ id: f.id, dispatchGrams: Math.max(0, Math.floor(f.dispatchGramsPerDay)) })),
    lots: lots.map((l) => ({ id: l.id, farm: l.farmId, grams: Math.max(0, Math.floor(l.remainingGrams)) })),
    demands: demands.map((d) => ({
      id: d.id,
      grams: Math.max(0, Math.floor(d.grams)),
      extraGrams: d.tolerance ? Math.max(0, Math.floor((d.grams * d.tolerance.extraPercent) / 100)) : 0,
      extraDiscountFenPerKg: d.tolerance
        ? Math.max(0, Math.round((d.maxPriceFenPerKg * d.tolerance.discountPercent) / 100))
        : 0,
    })),
    edges: edges.map((e) => ({ lot: e.lot, demand: e.demand, valuePerKg: e.valuePerKg })),
  };
}
