import type { CirculationNetwork } from './mincostflow';
import type { IndexedProblem, IndexedSolution } from './types';

/**
 * The allocation as a circulation:
 *   source → farm (cap dispatch) → lot (cap grams) → demand (one arc per candidate, cost −value)
 *   → sink (cap grams, cost 0; plus a second arc for the tolerated extra, cost +discount)
 *   → source (return arc, cost 0).
 * Flow is optional, so only candidates of positive value get an arc: one of value ≤ 0 can
 * never lower the cost. Candidate arcs come first so arc index = edge index for those kept.
 */
export interface AllocationNetwork extends CirculationNetwork {
  /** Arc index of each problem edge, or −1 when the edge was dropped (value ≤ 0). */
  readonly edgeArc: Int32Array;
  /** Arc index of each demand's extra arc, or −1. */
  readonly demandExtraArc: Int32Array;
  /** Candidate arcs kept, the first arcs of the network. */
  readonly candidateArcCount: number;
}

export function buildAllocationNetwork(p: IndexedProblem): AllocationNetwork {
  const farmCount = p.farmDispatchGrams.length;
  const lotCount = p.lotGrams.length;
  const demandCount = p.demandGrams.length;
  const edgeCount = p.edgeLot.length;
  const SOURCE = 0;
  const SINK = 1;
  const farmNode = 2;
  const lotNode = farmNode + farmCount;
  const demandNode = lotNode + lotCount;
  const nodeCount = demandNode + demandCount;

  const edgeArc = new Int32Array(edgeCount).fill(-1);
  let kept = 0;
  for (let e = 0; e < edgeCount; e++) if (p.edgeValuePerKg[e] > 0) edgeArc[e] = kept++;
  const demandExtraArc = new Int32Array(demandCount).fill(-1);
  let extras = 0;
  if (p.demandExtraGrams) {
    for (let d = 0; d < demandCount; d++) if (p.demandExtraGrams[d] > 0) extras++;
  }
  const arcCount = kept + farmCount + lotCount + demandCount + extras + 1;
  const arcSource = new Int32Array(arcCount);
  const arcTarget = new Int32Array(arcCount);
  const arcCapacity = new Float64Array(arcCount);
  const arcCost = new Float64Array(arcCount);

  const demandTotal = (d: number): number => p.demandGrams[d] + (p.demandExtraGrams ? p.demandExtraGrams[d] : 0);
  for (let e = 0; e < edgeCount; e++) {
    const a = edgeArc[e];
    if (a < 0) continue;
    const lot = p.edgeLot[e];
    const demand = p.edgeDemand[e];
    arcSource[a] = lotNode + lot;
    arcTarget[a] = demandNode + demand;
    arcCapacity[a] = Math.min(p.lotGrams[lot], demandTotal(demand));
    arcCost[a] = -p.edgeValuePerKg[e];
  }
  let a = kept;
  let returnCapacity = 0;
  for (let f = 0; f < farmCount; f++, a++) {
    arcSource[a] = SOURCE;
    arcTarget[a] = farmNode + f;
    arcCapacity[a] = p.farmDispatchGrams[f];
    returnCapacity += p.farmDispatchGrams[f];
  }
  for (let l = 0; l < lotCount; l++, a++) {
    arcSource[a] = farmNode + p.lotFarm[l];
    arcTarget[a] = lotNode + l;
    arcCapacity[a] = p.lotGrams[l];
  }
  for (let d = 0; d < demandCount; d++, a++) {
    arcSource[a] = demandNode + d;
    arcTarget[a] = SINK;
    arcCapacity[a] = p.demandGrams[d];
  }
  if (p.demandExtraGrams) {
    for (let d = 0; d < demandCount; d++) {
      if (!(p.demandExtraGrams[d] > 0)) continue;
      demandExtraArc[d] = a;
      arcSource[a] = demandNode + d;
      arcTarget[a] = SINK;
      arcCapacity[a] = p.demandExtraGrams[d];
      arcCost[a] = p.demandExtraDiscountPerKg ? p.demandExtraDiscountPerKg[d] : 0;
      a++;
    }
  }
  arcSource[a] = SINK;
  arcTarget[a] = SOURCE;
  arcCapacity[a] = returnCapacity;

  return { nodeCount, arcSource, arcTarget, arcCapacity, arcCost, edgeArc, demandExtraArc, candidateArcCount: kept };
}

/** Reads edge grams back from arc flows and prices the plan exactly. */
export function solutionFromFlow(p: IndexedProblem, net: AllocationNetwork, flow: Float64Array): IndexedSolution {
  const edgeGrams = new Float64Array(p.edgeLot.length);
  let objectiveMilliFen = 0;
  for (let e = 0; e < edgeGrams.length; e++) {
    const a = net.edgeArc[e];
    if (a < 0) continue;
    edgeGrams[e] = flow[a];
    objectiveMilliFen += flow[a] * p.edgeValuePerKg[e];
  }
  const demandExtraUsed = new Float64Array(p.demandGrams.length);
  for (let d = 0; d < demandExtraUsed.length; d++) {
    const a = net.demandExtraArc[d];
    if (a < 0) continue;
    demandExtraUsed[d] = flow[a];
    objectiveMilliFen -= flow[a] * net.arcCost[a];
  }
  return { edgeGrams, demandExtraUsed, objectiveMilliFen };
}
