import type { IndexedProblem, IndexedSolution } from './types';

/**
 * Baseline: take candidate edges from the highest value per kg down (ties by edge order) and
 * give each as many grams as its farm, lot and demand still allow — first against the demand's
 * grams, then against its tolerated extra when the discounted value stays positive.
 * Fast and feasible, not optimal.
 */
export function allocateGreedy(p: IndexedProblem): IndexedSolution {
  const edgeCount = p.edgeLot.length;
  const order = Int32Array.from({ length: edgeCount }, (_, e) => e).sort(
    (a, b) => p.edgeValuePerKg[b] - p.edgeValuePerKg[a] || a - b,
  );
  const farmLeft = Float64Array.from(p.farmDispatchGrams);
  const lotLeft = Float64Array.from(p.lotGrams);
  const coreLeft = Float64Array.from(p.demandGrams);
  const extraLeft = p.demandExtraGrams ? Float64Array.from(p.demandExtraGrams) : new Float64Array(p.demandGrams.length);
  const edgeGrams = new Float64Array(edgeCount);
  const demandExtraUsed = new Float64Array(p.demandGrams.length);
  let objectiveMilliFen = 0;
  for (const e of order) {
    const value = p.edgeValuePerKg[e];
    if (value <= 0) break;
    const lot = p.edgeLot[e];
    const demand = p.edgeDemand[e];
    const farm = p.lotFarm[lot];
    const core = Math.min(farmLeft[farm], lotLeft[lot], coreLeft[demand]);
    if (core > 0) {
      farmLeft[farm] -= core;
      lotLeft[lot] -= core;
      coreLeft[demand] -= core;
      edgeGrams[e] += core;
      objectiveMilliFen += core * value;
    }
    const extraValue = value - (p.demandExtraDiscountPerKg ? p.demandExtraDiscountPerKg[demand] : 0);
    if (extraValue <= 0) continue;
    const extra = Math.min(farmLeft[farm], lotLeft[lot], extraLeft[demand]);
    if (extra > 0) {
      farmLeft[farm] -= extra;
      lotLeft[lot] -= extra;
      extraLeft[demand] -= extra;
      demandExtraUsed[demand] += extra;
      edgeGrams[e] += extra;
      objectiveMilliFen += extra * extraValue;
    }
  }
  return { edgeGrams, demandExtraUsed, objectiveMilliFen };
}
