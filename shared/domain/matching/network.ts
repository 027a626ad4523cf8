import type { CirculationNetwork } from './mincostflow';
import type { IndexedProblem, IndexedSolution } from './types';

/**
 * The allocation as a circulation:
 *   source → farm (cap dispatch) → lot (cap grams) → demand (one arc per candidate, cost −value)
 *   → sink (cap grams, cost 0; plus a second arc for the tolerated extra, cost +discount)
 *   → source (return arc, cost 0).
 * Flow is optional, so only candidates of positive value get an arc: one of value ≤ 0 can
 * never lower the cost.
 *
 * Arc order serves staged pricing: the return arc and the structural arcs first, then the
 * candidates by their rank among their demand's candidates (every demand's best, then every
 * second best, …). `searchStages` are prefixes covering ranks < 1, < 3, < 8: the simplex first
 * optimises over the most promising arcs and only then prices the rest, which took ~40 % fewer
 * pivots on our market instances. The last stage is always all arcs, so the result is exact.
 */
export interface AllocationNetwork extends CirculationNetwork {
  /** Arc index of each problem edge, or −1 when the edge was dropped (value ≤ 0). */
  readonly edgeArc: Int32Array;
  /** Arc index of each demand's extra arc, or −1. */
  readonly demandExtraArc: Int32Array;
  /** The sink → source arc (leave it out to get a plain source → sink network). */
  readonly returnArc: number;
  /** Arc-count prefixes to price in turn before all arcs. */
  readonly searchStages: readonly number[];
}

const STAGE_RANKS = [1, 3, 8];

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

  let extras = 0;
  if (p.demandExtraGrams) {
    for (let d = 0; d < demandCount; d++) if (p.demandExtraGrams[d] > 0) extras++;
  }
  const { order, stageEnds } = candidatesByRank(p);
  const structural = 1 + farmCount + lotCount + demandCount + extras;
  const arcCount = structural + order.length;
  const arcSource = new Int32Array(arcCount);
  const arcTarget = new Int32Array(arcCount);
  const arcCapacity = new Float64Array(arcCount);
  const arcCost = new Float64Array(arcCount);

  const returnArc = 0;
  arcSource[returnArc] = SINK;
  arcTarget[returnArc] = SOURCE;
  let a = 1;
  let returnCapacity = 0;
  for (let f = 0; f < farmCount; f++, a++) {
    arcSource[a] = SOURCE;
    arcTarget[a] = farmNode + f;
    arcCapacity[a] = p.farmDispatchGrams[f];
    returnCapacity += p.farmDispatchGrams[f];
  }
  arcCapacity[returnArc] = returnCapacity;
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
  const demandExtraArc = new Int32Array(demandCount).fill(-1);
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
  const edgeArc = new Int32Array(edgeCount).fill(-1);
  fillCandidateArcs(p, order, a, { arcSource, arcTarget, arcCapacity, arcCost }, edgeArc, lotNode, demandNode);
  const searchStages = stageEnds
    .map((end) => structural + end)
    .filter((end, i, all) => end < arcCount && end !== all[i - 1]);
  return { nodeCount, arcSource, arcTarget, arcCapacity, arcCost, edgeArc, demandExtraArc, returnArc, searchStages };
}

function fillCandidateArcs(
  p: IndexedProblem,
  order: Int32Array,
  first: number,
  arcs: { arcSource: Int32Array; arcTarget: Int32Array; arcCapacity: Float64Array; arcCost: Float64Array },
  edgeArc: Int32Array,
  lotNode: number,
  demandNode: number,
): void {
  const { arcSource, arcTarget, arcCapacity, arcCost } = arcs;
  const extra = p.demandExtraGrams;
  for (let i = 0, a = first; i < order.length; i++, a++) {
    const e = order[i];
    const lot = p.edgeLot[e];
    const demand = p.edgeDemand[e];
    edgeArc[e] = a;
    arcSource[a] = lotNode + lot;
    arcTarget[a] = demandNode + demand;
    arcCapacity[a] = Math.min(p.lotGrams[lot], p.demandGrams[demand] + (extra ? extra[demand] : 0));
    arcCost[a] = -p.edgeValuePerKg[e];
  }
}

/*
 * The helpers below are separate functions on purpose: each holds one long loop, so V8 compiles
 * it on its own instead of de-optimising one big function loop after loop on a cold start.
 */

/** Positive-value edges ordered by rank within their demand (ties by edge order), with stage ends. */
function candidatesByRank(p: IndexedProblem): { order: Int32Array; stageEnds: number[] } {
  const { start, byDemand } = groupPositiveEdgesByDemand(p);
  const rank = new Int32Array(byDemand.length);
  const maxRank = sortGroupsByValue(p.edgeValuePerKg, start, byDemand, rank);
  const rankStart = new Int32Array(maxRank + 1);
  const order = countingSortByRank(byDemand, rank, rankStart);
  const stageEnds = STAGE_RANKS.filter((r) => r < maxRank).map((r) => rankStart[r]);
  return { order, stageEnds };
}

function groupPositiveEdgesByDemand(p: IndexedProblem): { start: Int32Array; byDemand: Int32Array } {
  const demandCount = p.demandGrams.length;
  const edgeCount = p.edgeLot.length;
  const start = new Int32Array(demandCount + 1);
  let positive = 0;
  for (let e = 0; e < edgeCount; e++) {
    if (p.edgeValuePerKg[e] > 0) {
      start[p.edgeDemand[e] + 1]++;
      positive++;
    }
  }
  for (let d = 0; d < demandCount; d++) start[d + 1] += start[d];
  const byDemand = new Int32Array(positive);
  const fill = start.slice(0, demandCount);
  for (let e = 0; e < edgeCount; e++) if (p.edgeValuePerKg[e] > 0) byDemand[fill[p.edgeDemand[e]]++] = e;
  return { start, byDemand };
}

/**
 * Insertion sort of each demand's group, best value first: groups are small (~20) and already in
 * edge order, so equal values keep that order. Writes ranks; returns the largest group size.
 */
function sortGroupsByValue(
  value: ArrayLike<number>,
  start: Int32Array,
  byDemand: Int32Array,
  rank: Int32Array,
): number {
  let maxRank = 0;
  for (let d = 0; d + 1 < start.length; d++) {
    const lo = start[d];
    const hi = start[d + 1];
    for (let i = lo + 1; i < hi; i++) {
      const e = byDemand[i];
      let j = i - 1;
      while (j >= lo && value[byDemand[j]] < value[e]) {
        byDemand[j + 1] = byDemand[j];
        j--;
      }
      byDemand[j + 1] = e;
    }
    for (let i = lo; i < hi; i++) rank[i] = i - lo;
    maxRank = Math.max(maxRank, hi - lo);
  }
  return maxRank;
}

/** Stable counting sort by rank (demand order, and so edge order, kept within a rank). */
function countingSortByRank(byDemand: Int32Array, rank: Int32Array, rankStart: Int32Array): Int32Array {
  const maxRank = rankStart.length - 1;
  for (let i = 0; i < rank.length; i++) rankStart[rank[i] + 1]++;
  for (let r = 0; r < maxRank; r++) rankStart[r + 1] += rankStart[r];
  const order = new Int32Array(rank.length);
  const rankFill = rankStart.slice(0, maxRank);
  for (let i = 0; i < rank.length; i++) order[rankFill[rank[i]]++] = byDemand[i];
  return order;
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
