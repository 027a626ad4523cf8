import type {
  AllocationProblem,
  CandidateEdge,
  DemandCapacity,
  FarmCapacity,
  LotCapacity,
} from '../../shared/domain/matching/types';

/** mulberry32: a tiny, well-mixed 32-bit PRNG, so every instance is reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  readonly lots: number;
  readonly demands: number;
  readonly seed: number;
  /** Candidate lots per demand (default 20). */
  readonly candidatesPerDemand?: number;
  /** Lots per farm (default 10). */
  readonly lotsPerFarm?: number;
  /** Farm dispatch as a share of its lots' grams, drawn in [low, high] (default 0.70–0.85). */
  readonly dispatchShare?: readonly [number, number];
}

/**
 * A market on a line: lots sit at increasing positions (a farm's lots together), each demand
 * draws its candidates from the lots near its own position, and value per kg = buyer price −
 * lot reserve − transport × distance ± noise, so neighbouring demands compete for the same lots
 * and a farm's dispatch limit binds.
 */
export function generateInstance(options: GeneratorOptions): AllocationProblem {
  const rand = mulberry32(options.seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const perDemand = options.candidatesPerDemand ?? 20;
  const perFarm = options.lotsPerFarm ?? 10;
  const [shareLow, shareHigh] = options.dispatchShare ?? [0.7, 0.85];

  const lots: LotCapacity[] = [];
  const farms: FarmCapacity[] = [];
  const reserve: number[] = [];
  for (let start = 0, f = 0; start < options.lots; start += perFarm, f++) {
    let farmGrams = 0;
    const farmReserve = int(300, 700);
    for (let l = start; l < Math.min(options.lots, start + perFarm); l++) {
      const grams = Math.round(500_000 * Math.pow(20, rand())); // 0.5 t … 10 t, log-uniform
      lots.push({ id: `L${l}`, farm: `F${f}`, grams });
      reserve.push(farmReserve + int(-150, 150));
      farmGrams += grams;
    }
    farms.push({ id: `F${f}`, dispatchGrams: Math.round(farmGrams * (shareLow + rand() * (shareHigh - shareLow))) });
  }

  const demands: DemandCapacity[] = [];
  const edges: CandidateEdge[] = [];
  const spread = Math.max(perDemand * 2, 40);
  for (let d = 0; d < options.demands; d++) {
    const grams = Math.round(500_000 * Math.pow(20, rand()));
    demands.push({ id: `D${d}`, grams });
    const price = int(2000, 2600);
    const centre = Math.floor(((d + rand()) / options.demands) * options.lots);
    const chosen = new Set<number>();
    const want = Math.min(perDemand, options.lots);
    while (chosen.size < want) {
      const l = Math.min(options.lots - 1, Math.max(0, centre + int(-spread, spread)));
      chosen.add(l);
      if (chosen.size < want && Math.min(options.lots, 2 * spread + 1) <= chosen.size) break;
    }
    for (const l of chosen) {
      const transport = Math.abs(l - centre) * 4;
      edges.push({ lot: `L${l}`, demand: `D${d}`, valuePerKg: price - reserve[l] - transport + int(-120, 120) });
    }
  }
  return { farms, lots, demands, edges };
}
