// Loading one Unified Test Format file and running its tests in order.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EJSON } from 'bson';
import { knownDriverDeviation } from './driver-deviations';
import { checkRequirements, compareVersions, parseVersion } from './requirements';
import { runTest, type RunContext } from './run-test';
import type { FileReport, TestFile } from './types';

/** Newest schema version whose files this runner understands. */
const SUPPORTED_SCHEMA: [number, number, number] = [1, 27, 0];

async function loadTestFile(path: string): Promise<TestFile> {
  const text = await readFile(path, 'utf8');
  return EJSON.parse(text, { relaxed: false }) as TestFile;
}

export async function runFile(path: string, ctx: RunContext, filter?: string): Promise<FileReport> {
  const file = await loadTestFile(path);
  const name = basename(path);
  const tests = file.tests.filter((t) => !filter || t.description.includes(filter));
  const schema = parseVersion(file.schemaVersion);
  if (schema[0] !== SUPPORTED_SCHEMA[0] || compareVersions(schema, SUPPORTED_SCHEMA) > 0) {
    return {
      file: name,
      tests: tests.map((t) => ({
        description: t.description,
        result: {
          status: 'fail',
          reason: `schemaVersion ${file.schemaVersion} is not supported`,
          cause: 'runner: schemaVersion',
          details: [],
        },
      })),
    };
  }
  const fileVerdict = checkRequirements(file.runOnRequirements, ctx.server);
  if (!fileVerdict.run) {
    return {
      file: name,
      tests: tests.map((t) => ({ description: t.description, result: { status: 'skip', reason: fileVerdict.reason } })),
    };
  }
  const report: FileReport = { file: name, tests: [] };
  for (const test of tests) {
    const deviation = knownDriverDeviation(name, test.description);
    const result = deviation ? { status: 'skip' as const, reason: deviation } : await runTest(file, test, ctx);
    report.tests.push({ description: test.description, result });
  }
  return report;
}
