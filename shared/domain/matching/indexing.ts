import type { AllocationProblem, AllocationProblemError, IndexedProblem, MatchId } from './types';

export type IndexingResult =
  { readonly ok: true; readonly indexed: IndexedProblem } | ({ readonly ok: false } & AllocationProblemError);

const isWhole = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

type Failure = { readonly ok: false } & AllocationProblemError;
const fail = (reason: AllocationProblemError['reason'], detail: string): Failure => ({ ok: false, reason, detail });
const show = (id: MatchId): string => JSON.stringify(id);

/**
 * Maps ids to dense indices and checks the amounts: grams are non-negative safe integers,
 * values are safe integers. Two edges for the same (lot, demand) pair collapse to the better
 * value — arcs are uncapacitated beyond the lot and demand, so only the best can matter.
 * Each list is handled by its own function: one long loop each, which V8 compiles cheaply.
 */
export function indexProblem(problem: AllocationProblem): IndexingResult {
  const farms = indexFarms(problem);
  if ('ok' in farms) return farms;
  const lots = indexLots(problem, farms.index);
  if ('ok' in lots) return lots;
  const demands = indexDemands(problem);
  if ('ok' in demands) return demands;
  const edges = indexEdges(problem, lots.index, demands.index);
  if ('ok' in edges) return edges;
  const { farmDispatchGrams } = farms;
  const { lotFarm, lotGrams } = lots;
  const { demandGrams, demandExtraGrams, demandExtraDiscountPerKg } = demands;
  const demandCount = demandGrams.length;
  const { rawLot, rawDemand, rawValue } = edges;
  const { edgeLot, edgeDemand, edgeValuePerKg } = mergeDuplicatePairs(
    rawLot,
    rawDemand,
    rawValue,
    lotGrams.length,
    demandCount,
  );

  // Exactness guard: every sum the solvers form (Σ grams × value, tree potentials) must stay
  // below 2^53, where doubles stop representing integers exactly.
  let maxValue = 0;
  for (const v of edgeValuePerKg) maxValue = Math.max(maxValue, v); // edges of value ≤ 0 are never used
  for (const d of demandExtraDiscountPerKg) maxValue = Math.max(maxValue, d);
  let totalGrams = 0;
  for (const g of lotGrams) totalGrams += g;
  const nodeCount = farmDispatchGrams.length + lotGrams.length + demandCount + 3;
  if (maxValue * Math.max(totalGrams, 2 * nodeCount) > Number.MAX_SAFE_INTEGER) {
    return {
      ok: false,
      reason: 'TOO_LARGE',
      detail: 'grams × valuePerKg sums would exceed 2^53: exact integer arithmetic is not possible',
    };
  }
  return {
    ok: true,
    indexed: {
      farmDispatchGrams,
      lotFarm,
      lotGrams,
      demandGrams,
      demandExtraGrams,
      demandExtraDiscountPerKg,
      edgeLot,
      edgeDemand,
      edgeValuePerKg,
    },
  };
}

/**
 * Keeps the first edge of each (lot, demand) pair, with the best value of its duplicates, in the
 * original order. Linear time: edges are bucketed by lot, and a per-demand stamp spots repeats.
 */
function mergeDuplicatePairs(
  lots: Int32Array,
  demands: Int32Array,
  values: Float64Array,
  lotCount: number,
  demandCount: number,
): { edgeLot: Int32Array; edgeDemand: Int32Array; edgeValuePerKg: Float64Array } {
  const edgeCount = lots.length;
  const start = new Int32Array(lotCount + 1);
  for (let k = 0; k < edgeCount; k++) start[lots[k] + 1]++;
  for (let l = 0; l < lotCount; l++) start[l + 1] += start[l];
  const byLot = new Int32Array(edgeCount);
  const fill = start.slice(0, lotCount);
  for (let k = 0; k < edgeCount; k++) byLot[fill[lots[k]]++] = k;
  const stamp = new Int32Array(demandCount).fill(-1);
  const firstEdge = new Int32Array(demandCount);
  const keep = new Uint8Array(edgeCount);
  const best = Float64Array.from(values);
  let kept = 0;
  for (let l = 0; l < lotCount; l++) {
    for (let i = start[l]; i < start[l + 1]; i++) {
      const k = byLot[i]; // ascending within a lot, so the first seen is the earliest
      const d = demands[k];
      if (stamp[d] === l) {
        const first = firstEdge[d];
        best[first] = Math.max(best[first], values[k]);
        continue;
      }
      stamp[d] = l;
      firstEdge[d] = k;
      keep[k] = 1;
      kept++;
    }
  }
  if (kept === edgeCount) return { edgeLot: lots, edgeDemand: demands, edgeValuePerKg: values };
  const edgeLot = new Int32Array(kept);
  const edgeDemand = new Int32Array(kept);
  const edgeValuePerKg = new Float64Array(kept);
  for (let k = 0, j = 0; k < edgeCount; k++) {
    if (!keep[k]) continue;
    edgeLot[j] = lots[k];
    edgeDemand[j] = demands[k];
    edgeValuePerKg[j++] = best[k];
  }
  return { edgeLot, edgeDemand, edgeValuePerKg };
}

function indexFarms(
  problem: AllocationProblem,
): Failure | { index: Map<MatchId, number>; farmDispatchGrams: Float64Array } {
  const index = new Map<MatchId, number>();
  const farmDispatchGrams = new Float64Array(problem.farms.length);
  for (let i = 0; i < problem.farms.length; i++) {
    const farm = problem.farms[i];
    if (index.has(farm.id)) return fail('DUPLICATE_ID', `farm ${show(farm.id)} appears twice`);
    if (!isWhole(farm.dispatchGrams) || farm.dispatchGrams < 0) {
      return fail('INVALID_NUMBER', `farm ${show(farm.id)}: dispatchGrams must be a non-negative integer`);
    }
    index.set(farm.id, i);
    farmDispatchGrams[i] = farm.dispatchGrams;
  }
  return { index, farmDispatchGrams };
}

function indexLots(
  problem: AllocationProblem,
  farmIndex: Map<MatchId, number>,
): Failure | { index: Map<MatchId, number>; lotFarm: Int32Array; lotGrams: Float64Array } {
  const index = new Map<MatchId, number>();
  const lotFarm = new Int32Array(problem.lots.length);
  const lotGrams = new Float64Array(problem.lots.length);
  for (let i = 0; i < problem.lots.length; i++) {
    const lot = problem.lots[i];
    if (index.has(lot.id)) return fail('DUPLICATE_ID', `lot ${show(lot.id)} appears twice`);
    const farm = farmIndex.get(lot.farm);
    if (farm === undefined)
      return fail('UNKNOWN_REFERENCE', `lot ${show(lot.id)} names unknown farm ${show(lot.farm)}`);
    if (!isWhole(lot.grams) || lot.grams < 0)
      return fail('INVALID_NUMBER', `lot ${show(lot.id)}: grams must be a non-negative integer`);
    index.set(lot.id, i);
    lotFarm[i] = farm;
    lotGrams[i] = lot.grams;
  }
  return { index, lotFarm, lotGrams };
}

function indexDemands(problem: AllocationProblem):
  | Failure
  | {
      index: Map<MatchId, number>;
      demandGrams: Float64Array;
      demandExtraGrams: Float64Array;
      demandExtraDiscountPerKg: Float64Array;
    } {
  const count = problem.demands.length;
  const index = new Map<MatchId, number>();
  const demandGrams = new Float64Array(count);
  const demandExtraGrams = new Float64Array(count);
  const demandExtraDiscountPerKg = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const demand = problem.demands[i];
    if (index.has(demand.id)) return fail('DUPLICATE_ID', `demand ${show(demand.id)} appears twice`);
    const extra = demand.extraGrams ?? 0;
    const discount = demand.extraDiscountFenPerKg ?? 0;
    if (
      !isWhole(demand.grams) ||
      demand.grams < 0 ||
      !isWhole(extra) ||
      extra < 0 ||
      !isWhole(discount) ||
      discount < 0
    ) {
      return fail(
        'INVALID_NUMBER',
        `demand ${show(demand.id)}: grams, extraGrams and extraDiscountFenPerKg must be non-negative integers`,
      );
    }
    index.set(demand.id, i);
    demandGrams[i] = demand.grams;
    demandExtraGrams[i] = extra;
    demandExtraDiscountPerKg[i] = discount;
  }
  return { index, demandGrams, demandExtraGrams, demandExtraDiscountPerKg };
}

function indexEdges(
  problem: AllocationProblem,
  lotIndex: Map<MatchId, number>,
  demandIndex: Map<MatchId, number>,
): Failure | { rawLot: Int32Array; rawDemand: Int32Array; rawValue: Float64Array } {
  const count = problem.edges.length;
  const rawLot = new Int32Array(count);
  const rawDemand = new Int32Array(count);
  const rawValue = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const edge = problem.edges[k];
    const lot = lotIndex.get(edge.lot);
    const demand = demandIndex.get(edge.demand);
    if (lot === undefined) return fail('UNKNOWN_REFERENCE', `edge ${k} names unknown lot ${show(edge.lot)}`);
    if (demand === undefined) return fail('UNKNOWN_REFERENCE', `edge ${k} names unknown demand ${show(edge.demand)}`);
    if (!isWhole(edge.valuePerKg)) return fail('INVALID_NUMBER', `edge ${k}: valuePerKg must be an integer`);
    rawLot[k] = lot;
    rawDemand[k] = demand;
    rawValue[k] = edge.valuePerKg;
  }
  return { rawLot, rawDemand, rawValue };
}
