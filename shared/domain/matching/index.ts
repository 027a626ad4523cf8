export * from './types';
export {
  buildCandidates,
  allocationProblemFrom,
  haversineKm,
  transitMs,
  valuePerKg,
  isUrgent,
  EARTH_RADIUS_KM,
} from './candidates';
export type {
  LatLng,
  OpenLot,
  OpenDemand,
  FarmDispatch,
  CandidateParams,
  Candidate,
  CandidateRejection,
  CandidateResult,
} from './candidates';
export { allocate, allocateIndexed, planFromSolution } from './allocate';
export type { AllocateResult, IndexedSolver } from './allocate';
export { allocateGreedy } from './greedy';
export { indexProblem } from './indexing';
export { minCostCirculation } from './mincostflow';
export { minCostFlowSuccessivePaths } from './ssp';
export { buildAllocationNetwork, solutionFromFlow } from './network';
