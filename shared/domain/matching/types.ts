/** Ids are echoed back exactly as given: the engine never interprets them. */
export type MatchId = string | number;

export interface FarmCapacity {
  readonly id: MatchId;
  /** Grams the farm can dispatch in the planning period, across all of its lots. */
  readonly dispatchGrams: number;
}

export interface LotCapacity {
  readonly id: MatchId;
  readonly farm: MatchId;
  readonly grams: number;
}

export interface DemandCapacity {
  readonly id: MatchId;
  readonly grams: number;
  /** Extra grams the buyer tolerates beyond `grams` (0 when absent). */
  readonly extraGrams?: number;
  /** Value lost per kg on the tolerated extra, in fen (the buyer's discount). */
  readonly extraDiscountFenPerKg?: number;
}

export interface CandidateEdge {
  readonly lot: MatchId;
  readonly demand: MatchId;
  /** Integer fen per kg gained by moving this lot's produce to this demand. */
  readonly valuePerKg: number;
}

export interface AllocationProblem {
  readonly farms: readonly FarmCapacity[];
  readonly lots: readonly LotCapacity[];
  readonly demands: readonly DemandCapacity[];
  readonly edges: readonly CandidateEdge[];
}

export interface Allocation {
  readonly lot: MatchId;
  readonly demand: MatchId;
  readonly grams: number;
}

export interface AllocationPlan {
  readonly allocations: readonly Allocation[];
  /** Σ grams × valuePerKg / 1000 − tolerated extra × discount / 1000, in fen. */
  readonly objective: number;
}

export type AllocationProblemError =
  | { readonly reason: 'DUPLICATE_ID'; readonly detail: string }
  | { readonly reason: 'UNKNOWN_REFERENCE'; readonly detail: string }
  | { readonly reason: 'INVALID_NUMBER'; readonly detail: string }
  | { readonly reason: 'TOO_LARGE'; readonly detail: string };

/**
 * The same problem with dense indices, as the solvers use it. Amounts are integers
 * (grams, fen per kg); edges point at lot and demand indices.
 */
export interface IndexedProblem {
  readonly farmDispatchGrams: ArrayLike<number>;
  readonly lotFarm: ArrayLike<number>;
  readonly lotGrams: ArrayLike<number>;
  readonly demandGrams: ArrayLike<number>;
  readonly demandExtraGrams?: ArrayLike<number>;
  readonly demandExtraDiscountPerKg?: ArrayLike<number>;
  readonly edgeLot: ArrayLike<number>;
  readonly edgeDemand: ArrayLike<number>;
  readonly edgeValuePerKg: ArrayLike<number>;
}

export interface IndexedSolution {
  /** Grams sent along each edge, in the problem's edge order. */
  readonly edgeGrams: Float64Array;
  /** Grams of each demand served from its tolerated extra. */
  readonly demandExtraUsed: Float64Array;
  /** Σ grams × valuePerKg − extra × discount: fen × 1000, an exact integer. */
  readonly objectiveMilliFen: number;
}
