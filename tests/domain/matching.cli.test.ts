import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateInstance } from '../../bench/lib/generate';

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'freshlink-match-'));

function runMatch(instance: unknown, name: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, name);
  writeFileSync(file, typeof instance === 'string' ? instance : JSON.stringify(instance));
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/match.ts'), file],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Output {
  allocations: { lot: string | number; demand: string | number; grams: number }[];
  objective: number;
  solveMs: number;
}

describe('npm run match -- <instance.json>', () => {
  test('prints exactly one JSON object: allocations within every capacity, ids echoed as given, objective = Σ grams × value / 1000', () => {
    const instance = {
      farms: [
        { id: 'F1', dispatchGrams: 1_000 },
        { id: 2, dispatchGrams: 5_000 },
      ],
      lots: [
        { id: 'a', farm: 'F1', grams: 800 },
        { id: 'b', farm: 'F1', grams: 800 },
        { id: 7, farm: 2, grams: 3_000 },
      ],
      demands: [
        { id: 'x', grams: 900 },
        { id: 10, grams: 2_000 },
      ],
      edges: [
        { lot: 'a', demand: 'x', valuePerKg: 50 },
        { lot: 'b', demand: 'x', valuePerKg: 60 },
        { lot: 'b', demand: 10, valuePerKg: -5 },
        { lot: 7, demand: 10, valuePerKg: 20 },
        { lot: 7, demand: 'x', valuePerKg: 30 },
      ],
    };
    const { status, stdout, stderr } = runMatch(instance, 'small.json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout) as Output;
    expect(Object.keys(out).sort()).toEqual(['allocations', 'objective', 'solveMs']);
    expect(out.solveMs).toBeGreaterThanOrEqual(0);
    expect(out.allocations).toEqual([
      { lot: 'a', demand: 'x', grams: 100 },
      { lot: 'b', demand: 'x', grams: 800 },
      { lot: 7, demand: 10, grams: 2_000 },
    ]);
    expect(out.objective).toBe(93);
  });

  test('a generated 300 × 300 instance: capacities hold and the objective matches the allocations', () => {
    const instance = generateInstance({ lots: 300, demands: 300, seed: 3 });
    const { status, stdout } = runMatch(instance, 'generated.json');
    expect(status).toBe(0);
    const out = JSON.parse(stdout) as Output;
    const value = new Map(instance.edges.map((e) => [`${e.lot}|${e.demand}`, e.valuePerKg]));
    const farmOf = new Map(instance.lots.map((l) => [l.id, l.farm]));
    const used = new Map<string | number, number>();
    const add = (key: string | number, grams: number): void => void used.set(key, (used.get(key) ?? 0) + grams);
    let objective = 0;
    for (const a of out.allocations) {
      expect(Number.isInteger(a.grams) && a.grams > 0).toBe(true);
      objective += (a.grams * (value.get(`${a.lot}|${a.demand}`) ?? Number.NaN)) / 1000;
      add(`lot:${a.lot}`, a.grams);
      add(`demand:${a.demand}`, a.grams);
      add(`farm:${farmOf.get(a.lot)}`, a.grams);
    }
    for (const l of instance.lots) expect(used.get(`lot:${l.id}`) ?? 0).toBeLessThanOrEqual(l.grams);
    for (const d of instance.demands) expect(used.get(`demand:${d.id}`) ?? 0).toBeLessThanOrEqual(d.grams);
    for (const f of instance.farms) expect(used.get(`farm:${f.id}`) ?? 0).toBeLessThanOrEqual(f.dispatchGrams);
    expect(out.objective).toBeCloseTo(objective, 3);
  });

  test('through npm run --silent, stdout is still the one JSON object', () => {
    const file = join(dir, 'npm.json');
    writeFileSync(
      file,
      JSON.stringify({
        farms: [{ id: 1, dispatchGrams: 5 }],
        lots: [{ id: 1, farm: 1, grams: 5 }],
        demands: [{ id: 'd', grams: 3 }],
        edges: [{ lot: 1, demand: 'd', valuePerKg: 1_000 }],
      }),
    );
    const result = spawnSync('npm', ['run', '--silent', 'match', '--', file], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as Output;
    expect(out.allocations).toEqual([{ lot: 1, demand: 'd', grams: 3 }]);
    expect(out.objective).toBe(3);
  });

  test.each([
    ['not JSON', '{"farms": [', /not valid JSON/],
    ['a missing section', { farms: [], lots: [], demands: [] }, /edges/],
    ['negative grams', { farms: [], lots: [], demands: [{ id: 'x', grams: -1 }], edges: [] }, /demands\.0\.grams/],
    [
      'fractional value',
      {
        farms: [{ id: 1, dispatchGrams: 1 }],
        lots: [{ id: 1, farm: 1, grams: 1 }],
        demands: [{ id: 1, grams: 1 }],
        edges: [{ lot: 1, demand: 1, valuePerKg: 1.5 }],
      },
      /edges\.0\.valuePerKg/,
    ],
    [
      'an edge to an unknown lot',
      { farms: [], lots: [], demands: [{ id: 'x', grams: 1 }], edges: [{ lot: 'ghost', demand: 'x', valuePerKg: 3 }] },
      /unknown lot "ghost"/,
    ],
    [
      'a duplicate farm',
      {
        farms: [
          { id: 1, dispatchGrams: 1 },
          { id: 1, dispatchGrams: 2 },
        ],
        lots: [],
        demands: [],
        edges: [],
      },
      /farm 1 appears twice/,
    ],
  ])(
    'bad input (%s): a message naming the problem on stderr, nothing on stdout, exit 2',
    (_label, instance, message) => {
      const { status, stdout, stderr } = runMatch(instance, 'bad.json');
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
    },
  );
});
