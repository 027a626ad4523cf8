import { indexProblem } from './indexing';
import { minCostCirculation } from './mincostflow';
import { buildAllocationNetwork, solutionFromFlow } from './network';
import type {
  Allocation,
  AllocationPlan,
  AllocationProblem,
  AllocationProblemError,
  IndexedProblem,
  IndexedSolution,
} from './types';

/** Exact optimum of the indexed problem (network simplex on the allocation network). */
export function allocateIndexed(problem: IndexedProblem): IndexedSolution {
  const network = buildAllocationNetwork(problem);
  const { flow } = minCostCirculation(network, network.searchStages);
  return solutionFromFlow(problem, network, flow);
}

export type AllocateResult =
  ({ readonly ok: true } & AllocationPlan) | ({ readonly ok: false } & AllocationProblemError);

export type IndexedSolver = (problem: IndexedProblem) => IndexedSolution;

/**
 * Maximises Σ grams × valuePerKg (fen) over the candidate edges without exceeding any farm's
 * dispatch capacity, lot's grams or demand's grams (+ tolerated extra). Exact: the optimum of
 * the linear program, which is integral because the constraint matrix is a network matrix.
 */
export function allocate(problem: AllocationProblem, solver: IndexedSolver = allocateIndexed): AllocateResult {
  const indexing = indexProblem(problem);
  if (!indexing.ok) return indexing;
  const { indexed } = indexing;
  const solution = solver(indexed);
  return { ok: true, ...planFromSolution(problem, indexed, solution) };
}

function planFromSolution(
  problem: AllocationProblem,
  indexed: IndexedProblem,
  solution: IndexedSolution,
): AllocationPlan {
  const allocations: Allocation[] = [];
  for (let e = 0; e < solution.edgeGrams.length; e++) {
    const grams = solution.edgeGrams[e];
    if (grams <= 0) continue;
    allocations.push({
      lot: problem.lots[indexed.edgeLot[e]].id,
      demand: problem.demands[indexed.edgeDemand[e]].id,
      grams,
    });
  }
  return { allocations, objective: solution.objectiveMilliFen / 1000 };
}
