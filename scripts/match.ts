/**
 * npm run --silent match -- <instance.json>
 * Reads {farms, lots, demands, edges}, prints one JSON object
 * {"allocations": [{"lot", "demand", "grams"}], "objective", "solveMs"} and nothing else.
 * Bad input: a message naming the problem on stderr, exit code 2.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { allocate } from '../shared/domain/matching/allocate';

const id = z.union([z.string(), z.number()]);
const grams = z.number().int().nonnegative();
const instanceSchema = z.object({
  farms: z.array(z.object({ id, dispatchGrams: grams })),
  lots: z.array(z.object({ id, farm: id, grams })),
  demands: z.array(z.object({ id, grams })),
  edges: z.array(z.object({ lot: id, demand: id, valuePerKg: z.number().int() })),
});

function fail(message: string): never {
  process.stderr.write(`match: ${message}\n`);
  process.exit(2);
}

function main(argv: readonly string[]): void {
  const file = argv[0];
  if (!file || argv.length > 1) fail('usage: npm run --silent match -- <instance.json>');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = instanceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    fail(`invalid instance at ${where}: ${issue.message}`);
  }
  const started = performance.now();
  const result = allocate(parsed.data);
  const solveMs = performance.now() - started;
  if (!result.ok) fail(`invalid instance (${result.reason}): ${result.detail}`);
  process.stdout.write(
    `${JSON.stringify({ allocations: result.allocations, objective: result.objective, solveMs: Math.round(solveMs * 1000) / 1000 })}\n`,
  );
}

main(process.argv.slice(2));
