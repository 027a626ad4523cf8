import loadHighs from 'highs';
import type { IndexedProblem } from '../../shared/domain/matching/types';

export interface LpOptimum {
  /** Optimal Σ grams × valuePerKg (− extra × discount), fen × 1000. */
  readonly objectiveMilliFen: number;
  readonly solveMs: number;
  readonly status: string;
}

type HighsRuntime = Awaited<ReturnType<typeof loadHighs>>;
let runtime: Promise<HighsRuntime> | undefined;

/**
 * The allocation as a plain LP for HiGHS, an independent exact reference: one column per
 * positive-value edge (grams), one per demand's tolerated extra, and rows for farm dispatch,
 * lot grams and demand grams (+ extra). Maximise Σ value × grams − discount × extra.
 */
export async function solveWithHighs(p: IndexedProblem): Promise<LpOptimum> {
  runtime ??= loadHighs();
  const highs = await runtime;
  const farmCount = p.farmDispatchGrams.length;
  const lotCount = p.lotGrams.length;
  const demandCount = p.demandGrams.length;
  const edges: number[] = [];
  for (let e = 0; e < p.edgeLot.length; e++) if (p.edgeValuePerKg[e] > 0) edges.push(e);
  const extras: number[] = [];
  for (let d = 0; d < demandCount; d++) if (p.demandExtraGrams && p.demandExtraGrams[d] > 0) extras.push(d);
  const numCols = edges.length + extras.length;
  const numRows = farmCount + lotCount + demandCount;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(highs.infinity);
  const starts = new Int32Array(numCols + 1);
  const indices = new Int32Array(3 * edges.length + extras.length);
  const values = new Float64Array(indices.length);
  let k = 0;
  edges.forEach((e, c) => {
    const lot = p.edgeLot[e];
    colCost[c] = p.edgeValuePerKg[e];
    starts[c] = k;
    indices[k] = p.lotFarm[lot];
    values[k++] = 1;
    indices[k] = farmCount + lot;
    values[k++] = 1;
    indices[k] = farmCount + lotCount + p.edgeDemand[e];
    values[k++] = 1;
  });
  extras.forEach((d, i) => {
    const c = edges.length + i;
    colCost[c] = -(p.demandExtraDiscountPerKg ? p.demandExtraDiscountPerKg[d] : 0);
    colUpper[c] = p.demandExtraGrams ? p.demandExtraGrams[d] : 0;
    starts[c] = k;
    indices[k] = farmCount + lotCount + d;
    values[k++] = -1;
  });
  starts[numCols] = k;
  const rowLower = new Float64Array(numRows).fill(-highs.infinity);
  const rowUpper = new Float64Array(numRows);
  for (let f = 0; f < farmCount; f++) rowUpper[f] = p.farmDispatchGrams[f];
  for (let l = 0; l < lotCount; l++) rowUpper[farmCount + l] = p.lotGrams[l];
  for (let d = 0; d < demandCount; d++) rowUpper[farmCount + lotCount + d] = p.demandGrams[d];

  const started = performance.now();
  return highs.withModel(
    {
      numCols,
      numRows,
      sense: highs.constants.objectiveSense.maximize,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csc', numRows, numCols, starts, indices, values },
    },
    (model) => {
      model.options.set({ output_flag: false });
      model.run();
      const code = model.getModelStatus();
      const status =
        code === highs.constants.modelStatus.optimal
          ? 'optimal'
          : code === highs.constants.modelStatus.empty
            ? 'empty'
            : `status ${code}`;
      const objectiveMilliFen = code === highs.constants.modelStatus.optimal ? model.getObjectiveValue() : 0;
      return { objectiveMilliFen, solveMs: performance.now() - started, status };
    },
  );
}
