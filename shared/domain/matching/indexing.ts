import type { AllocationProblem, AllocationProblemError, IndexedProblem, MatchId } from './types';

export type IndexingResult =
  | { readonly ok: true; readonly indexed: IndexedProblem }
  | ({ readonly ok: false } & AllocationProblemError);

const isWhole = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

/**
 * Maps ids to dense indices and checks the amounts: grams are non-negative safe integers,
 * values are safe integers. Two edges for the same (lot, demand) pair collapse to the better
 * value — arcs are uncapacitated beyond the lot and demand, so only the best can matter.
 */
export function indexProblem(problem: AllocationProblem): IndexingResult {
  const farmIndex = new Map<MatchId, number>();
  const farmDispatchGrams = new Float64Array(problem.farms.length);
  for (const [i, farm] of problem.farms.entries()) {
    if (farmIndex.has(farm.id)) return { ok: false, reason: 'DUPLICATE_ID', detail: `farm ${JSON.stringify(farm.id)} appears twice` };
    if (!isWhole(farm.dispatchGrams) || farm.dispatchGrams < 0) {
      return { ok: false, reason: 'INVALID_NUMBER', detail: `farm ${JSON.stringify(farm.id)}: dispatchGrams must be a non-negative integer` };
    }
    farmIndex.set(farm.id, i);
    farmDispatchGrams[i] = farm.dispatchGrams;
  }
  const lotIndex = new Map<MatchId, number>();
  const lotFarm = new Int32Array(problem.lots.length);
  const lotGrams = new Float64Array(problem.lots.length);
  for (const [i, lot] of problem.lots.entries()) {
    if (lotIndex.has(lot.id)) return { ok: false, reason: 'DUPLICATE_ID', detail: `lot ${JSON.stringify(lot.id)} appears twice` };
    const farm = farmIndex.get(lot.farm);
    if (farm === undefined) {
      return { ok: false, reason: 'UNKNOWN_REFERENCE', detail: `lot ${JSON.stringify(lot.id)} names unknown farm ${JSON.stringify(lot.farm)}` };
    }
    if (!isWhole(lot.grams) || lot.grams < 0) {
      return { ok: false, reason: 'INVALID_NUMBER', detail: `lot ${JSON.stringify(lot.id)}: grams must be a non-negative integer` };
    }
    lotIndex.set(lot.id, i);
    lotFarm[i] = farm;
    lotGrams[i] = lot.grams;
  }
  const demandIndex = new Map<MatchId, number>();
  const demandCount = problem.demands.length;
  const demandGrams = new Float64Array(demandCount);
  const demandExtraGrams = new Float64Array(demandCount);
  const demandExtraDiscountPerKg = new Float64Array(demandCount);
  for (const [i, demand] of problem.demands.entries()) {
    const name = `demand ${JSON.stringify(demand.id)}`;
    if (demandIndex.has(demand.id)) return { ok: false, reason: 'DUPLICATE_ID', detail: `${name} appears twice` };
    const extra = demand.extraGrams ?? 0;
    const discount = demand.extraDiscountFenPerKg ?? 0;
    if (!isWhole(demand.grams) || demand.grams < 0 || !isWhole(extra) || extra < 0 || !isWhole(discount) || discount < 0) {
      return { ok: false, reason: 'INVALID_NUMBER', detail: `${name}: grams, extraGrams and extraDiscountFenPerKg must be non-negative integers` };
    }
    demandIndex.set(demand.id, i);
    demandGrams[i] = demand.grams;
    demandExtraGrams[i] = extra;
    demandExtraDiscountPerKg[i] = discount;
  }
  const pairEdge = new Map<number, number>();
  const edgeLot: number[] = [];
  const edgeDemand: number[] = [];
  const edgeValuePerKg: number[] = [];
  for (const [k, edge] of problem.edges.entries()) {
    const lot = lotIndex.get(edge.lot);
    const demand = demandIndex.get(edge.demand);
    if (lot === undefined) return { ok: false, reason: 'UNKNOWN_REFERENCE', detail: `edge ${k} names unknown lot ${JSON.stringify(edge.lot)}` };
    if (demand === undefined) {
      return { ok: false, reason: 'UNKNOWN_REFERENCE', detail: `edge ${k} names unknown demand ${JSON.stringify(edge.demand)}` };
    }
    if (!isWhole(edge.valuePerKg)) return { ok: false, reason: 'INVALID_NUMBER', detail: `edge ${k}: valuePerKg must be an integer` };
    const pair = lot * demandCount + demand;
    const seen = pairEdge.get(pair);
    if (seen !== undefined) {
      edgeValuePerKg[seen] = Math.max(edgeValuePerKg[seen], edge.valuePerKg);
      continue;
    }
    pairEdge.set(pair, edgeLot.length);
    edgeLot.push(lot);
    edgeDemand.push(demand);
    edgeValuePerKg.push(edge.valuePerKg);
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
      edgeLot: Int32Array.from(edgeLot),
      edgeDemand: Int32Array.from(edgeDemand),
      edgeValuePerKg: Float64Array.from(edgeValuePerKg),
    },
  };
}
