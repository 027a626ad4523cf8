import { allocate, allocateIndexed } from '../../shared/domain/matching/allocate';
import { allocateGreedy } from '../../shared/domain/matching/greedy';
import { minCostCirculation } from '../../shared/domain/matching/mincostflow';
import { buildAllocationNetwork } from '../../shared/domain/matching/network';
import { minCostFlowSuccessivePaths } from '../../shared/domain/matching/ssp';
import type { IndexedProblem } from '../../shared/domain/matching/types';
import { solveWithHighs } from '../../bench/lib/highs';
import { generateInstance } from '../../bench/lib/generate';
import { indexProblem } from '../../shared/domain/matching/indexing';
import { bruteForceOptimum, objectiveOf, randomIndexedProblem, violation } from '../fixtures/matching';

const tinyShapes = [
  { farms: 1, lots: 2, demands: 2, edges: 4, maxGrams: 4, valueRange: [-3, 9] as const },
  { farms: 2, lots: 3, demands: 2, edges: 5, maxGrams: 3, valueRange: [1, 6] as const },
  { farms: 1, lots: 3, demands: 3, edges: 6, maxGrams: 3, valueRange: [-2, 4] as const },
  { farms: 2, lots: 2, demands: 3, edges: 5, maxGrams: 4, valueRange: [2, 2] as const }, // all ties
  { farms: 2, lots: 3, demands: 2, edges: 5, maxGrams: 3, valueRange: [1, 8] as const, withExtra: true },
];

function ssp(p: IndexedProblem): number {
  const net = buildAllocationNetwork(p);
  return -minCostFlowSuccessivePaths(net, 0, 1, net.returnArc).cost;
}

describe('exact allocation matches an exhaustive search on tiny random instances', () => {
  tinyShapes.forEach((shape, s) => {
    test(`shape ${s}: ${JSON.stringify(shape)} — 60 seeds`, () => {
      for (let seed = 1; seed <= 60; seed++) {
        const p = randomIndexedProblem(seed * 31 + s, shape);
        const solution = allocateIndexed(p);
        expect(violation(p, solution)).toBeUndefined();
        expect(objectiveOf(p, solution.edgeGrams)).toBe(solution.objectiveMilliFen);
        expect(solution.objectiveMilliFen).toBe(bruteForceOptimum(p));
        const greedy = allocateGreedy(p);
        expect(violation(p, greedy)).toBeUndefined();
        expect(greedy.objectiveMilliFen).toBeLessThanOrEqual(solution.objectiveMilliFen);
      }
    });
  });
});

describe('exact allocation agrees with two independent exact solvers', () => {
  test('HiGHS LP and successive shortest paths give the same optimum on 25 mid-size random instances', async () => {
    for (let seed = 1; seed <= 25; seed++) {
      const p = randomIndexedProblem(seed, {
        farms: 6,
        lots: 30,
        demands: 25,
        edges: 150,
        maxGrams: seed % 2 === 0 ? 10_000_000 : 50_000,
        valueRange: [-400, 2_000],
        withExtra: seed % 3 === 0,
      });
      const ours = allocateIndexed(p);
      expect(violation(p, ours)).toBeUndefined();
      expect(ours.objectiveMilliFen).toBe(ssp(p));
      const lp = await solveWithHighs(p);
      expect(lp.status).toBe('optimal');
      expect(Math.abs(ours.objectiveMilliFen - lp.objectiveMilliFen)).toBeLessThanOrEqual(
        1e-9 * Math.abs(lp.objectiveMilliFen) + 1e-6,
      );
    }
  });
});

describe('degenerate instances', () => {
  const base: IndexedProblem = {
    farmDispatchGrams: [1_000],
    lotFarm: [0, 0],
    lotGrams: [600, 600],
    demandGrams: [500, 500],
    edgeLot: [0, 1],
    edgeDemand: [0, 1],
    edgeValuePerKg: [10, 10],
  };

  test('no edges: nothing is allocated', () => {
    const s = allocateIndexed({ ...base, edgeLot: [], edgeDemand: [], edgeValuePerKg: [] });
    expect(s.objectiveMilliFen).toBe(0);
    expect(s.edgeGrams).toHaveLength(0);
  });

  test('no nodes at all', () => {
    const s = allocateIndexed({
      farmDispatchGrams: [],
      lotFarm: [],
      lotGrams: [],
      demandGrams: [],
      edgeLot: [],
      edgeDemand: [],
      edgeValuePerKg: [],
    });
    expect(s.objectiveMilliFen).toBe(0);
  });

  test('all values negative or zero: flow is optional, so nothing moves', () => {
    const s = allocateIndexed({ ...base, edgeValuePerKg: [-5, 0] });
    expect(Array.from(s.edgeGrams)).toEqual([0, 0]);
    expect(s.objectiveMilliFen).toBe(0);
  });

  test('zero capacities anywhere block the flow', () => {
    expect(allocateIndexed({ ...base, farmDispatchGrams: [0] }).objectiveMilliFen).toBe(0);
    expect(allocateIndexed({ ...base, lotGrams: [0, 0] }).objectiveMilliFen).toBe(0);
    expect(allocateIndexed({ ...base, demandGrams: [0, 0] }).objectiveMilliFen).toBe(0);
  });

  test('when the farm can dispatch 1 000 g of its 1 200 g, the binding farm limit caps the total', () => {
    const s = allocateIndexed(base);
    expect(s.edgeGrams[0] + s.edgeGrams[1]).toBe(1_000);
    expect(s.objectiveMilliFen).toBe(10_000);
  });

  test('a farm limit sends its scarce grams to the best demand', () => {
    const s = allocateIndexed({ ...base, farmDispatchGrams: [500], edgeValuePerKg: [10, 30] });
    expect(Array.from(s.edgeGrams)).toEqual([0, 500]);
  });

  test('one lot feeding many demands splits its grams by value', () => {
    const s = allocateIndexed({
      farmDispatchGrams: [10_000],
      lotFarm: [0],
      lotGrams: [1_000],
      demandGrams: [300, 300, 300, 300],
      edgeLot: [0, 0, 0, 0],
      edgeDemand: [0, 1, 2, 3],
      edgeValuePerKg: [5, 40, 20, 30],
    });
    expect(Array.from(s.edgeGrams)).toEqual([100, 300, 300, 300]);
    expect(s.objectiveMilliFen).toBe(100 * 5 + 300 * 90);
  });

  test('a tolerated extra is used only while the discounted value stays positive', () => {
    const p: IndexedProblem = {
      farmDispatchGrams: [10_000],
      lotFarm: [0, 0],
      lotGrams: [1_000, 1_000],
      demandGrams: [500],
      demandExtraGrams: [200],
      demandExtraDiscountPerKg: [25],
      edgeLot: [0, 1],
      edgeDemand: [0, 0],
      edgeValuePerKg: [30, 20],
    };
    const s = allocateIndexed(p);
    expect(Array.from(s.edgeGrams)).toEqual([700, 0]);
    expect(s.demandExtraUsed[0]).toBe(200);
    expect(s.objectiveMilliFen).toBe(700 * 30 - 200 * 25);
  });
});

describe('greedy baseline', () => {
  test('greedy takes the single best edge and loses to the exact plan', () => {
    // Lot A (500 g) is worth 10 to demand X or 9 to Y; lot B (500 g) is worth 8 to X only.
    // Greedy sends A → X first and strands B; exact sends A → Y and B → X.
    const p: IndexedProblem = {
      farmDispatchGrams: [1_000, 1_000],
      lotFarm: [0, 1],
      lotGrams: [500, 500],
      demandGrams: [500, 500],
      edgeLot: [0, 0, 1],
      edgeDemand: [0, 1, 0],
      edgeValuePerKg: [10, 9, 8],
    };
    const greedy = allocateGreedy(p);
    const exact = allocateIndexed(p);
    expect(Array.from(greedy.edgeGrams)).toEqual([500, 0, 0]);
    expect(greedy.objectiveMilliFen).toBe(5_000);
    expect(Array.from(exact.edgeGrams)).toEqual([0, 500, 500]);
    expect(exact.objectiveMilliFen).toBe(8_500);
  });
});

describe('large random instances stay feasible and exact', () => {
  test.each([
    [300, 11],
    [1_000, 12],
  ])('%i lots × as many demands (seed %i): no capacity exceeded, greedy strictly worse', (n, seed) => {
    const problem = generateInstance({ lots: n, demands: n, seed });
    const indexing = indexProblem(problem);
    if (!indexing.ok) throw new Error(indexing.detail);
    const p = indexing.indexed;
    const exact = allocateIndexed(p);
    expect(violation(p, exact)).toBeUndefined();
    expect(violation(p, allocateGreedy(p))).toBeUndefined();
    if (n <= 300) expect(exact.objectiveMilliFen).toBe(ssp(p));
    expect(allocateGreedy(p).objectiveMilliFen).toBeLessThan(exact.objectiveMilliFen);
  });

  test('when farms may dispatch only 30 % of their grams and demand is plentiful, most farms ship exactly their limit', () => {
    const problem = generateInstance({ lots: 200, demands: 400, seed: 5, dispatchShare: [0.3, 0.3] });
    const indexing = indexProblem(problem);
    if (!indexing.ok) throw new Error(indexing.detail);
    const p = indexing.indexed;
    const s = allocateIndexed(p);
    expect(violation(p, s)).toBeUndefined();
    const shipped = new Array<number>(p.farmDispatchGrams.length).fill(0);
    for (let e = 0; e < s.edgeGrams.length; e++) shipped[p.lotFarm[p.edgeLot[e]]] += s.edgeGrams[e];
    const atLimit = shipped.filter((g, f) => g === p.farmDispatchGrams[f]).length;
    expect(atLimit).toBeGreaterThan(0.8 * shipped.length);
    expect(s.objectiveMilliFen).toBe(ssp(p));
  });
});

describe('min-cost circulation directly', () => {
  test('staged pricing (best candidates first) reaches the same optimum as pricing all arcs at once', () => {
    for (const seed of [21, 22, 23]) {
      const indexing = indexProblem(generateInstance({ lots: 400, demands: 400, seed }));
      if (!indexing.ok) throw new Error(indexing.detail);
      const net = buildAllocationNetwork(indexing.indexed);
      expect(net.searchStages.length).toBeGreaterThan(0);
      expect(minCostCirculation(net, net.searchStages).cost).toBe(minCostCirculation(net).cost);
    }
  });

  test('cancels the one negative cycle up to its bottleneck', () => {
    // 0 → 1 (cap 5, cost −3), 1 → 2 (cap 4, cost 1), 2 → 0 (cap 9, cost 0)
    const r = minCostCirculation({
      nodeCount: 3,
      arcSource: Int32Array.from([0, 1, 2]),
      arcTarget: Int32Array.from([1, 2, 0]),
      arcCapacity: Float64Array.from([5, 4, 9]),
      arcCost: Float64Array.from([-3, 1, 0]),
    });
    expect(Array.from(r.flow)).toEqual([4, 4, 4]);
    expect(r.cost).toBe(-8);
  });
});

describe('allocate by id', () => {
  const problem = {
    farms: [{ id: 'F', dispatchGrams: 900 }],
    lots: [
      { id: 1, farm: 'F', grams: 600 },
      { id: '1', farm: 'F', grams: 600 },
    ],
    demands: [{ id: 'x', grams: 1_000 }],
    edges: [
      { lot: 1, demand: 'x', valuePerKg: 7 },
      { lot: '1', demand: 'x', valuePerKg: 5 },
    ],
  };

  test('echoes ids exactly as given (the number 1 and the string "1" are different lots)', () => {
    const r = allocate(problem);
    expect(r).toEqual({
      ok: true,
      allocations: [
        { lot: 1, demand: 'x', grams: 600 },
        { lot: '1', demand: 'x', grams: 300 },
      ],
      objective: (600 * 7 + 300 * 5) / 1000,
    });
  });

  test('duplicate edges keep the better value', () => {
    const r = allocate({ ...problem, edges: [...problem.edges, { lot: 1, demand: 'x', valuePerKg: 9 }] });
    expect(r.ok && r.objective).toBe((600 * 9 + 300 * 5) / 1000);
  });

  test.each([
    [{ ...problem, lots: [...problem.lots, { id: 1, farm: 'F', grams: 1 }] }, 'DUPLICATE_ID'],
    [{ ...problem, edges: [{ lot: 2, demand: 'x', valuePerKg: 1 }] }, 'UNKNOWN_REFERENCE'],
    [{ ...problem, edges: [{ lot: 1, demand: 'y', valuePerKg: 1 }] }, 'UNKNOWN_REFERENCE'],
    [{ ...problem, lots: [{ id: 1, farm: 'G', grams: 1 }] }, 'UNKNOWN_REFERENCE'],
    [{ ...problem, demands: [{ id: 'x', grams: 1.5 }] }, 'INVALID_NUMBER'],
    [{ ...problem, farms: [{ id: 'F', dispatchGrams: -1 }] }, 'INVALID_NUMBER'],
    [{ ...problem, edges: [{ lot: 1, demand: 'x', valuePerKg: 2 ** 50 }] }, 'TOO_LARGE'],
  ])('bad input is a returned failure, not an exception (%#)', (bad, reason) => {
    const r = allocate(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });
});
