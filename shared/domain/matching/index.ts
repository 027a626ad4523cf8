export * from './types';
export { buildCandidates, allocationProblemFrom } from './candidates';
export type { LatLng, OpenLot, OpenDemand, CandidateParams, Candidate, CandidateRejection } from './candidates';
export { allocate } from './allocate';
