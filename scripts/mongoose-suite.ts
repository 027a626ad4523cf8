import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedMongo } from '../server/embedded-mongo';

/**
 * `npm run mongoose-suite -- <path to a Mongoose checkout> [mocha args…]`
 *
 * Runs Mongoose's own test suite (as its `npm test` does, mocha over test/**\/*.test.js without
 * the encryption tests) against a fresh embedded server on a temp directory, with
 * MONGOOSE_TEST_URI pointing at it and no replica set (Mongoose then skips its transaction,
 * session and change-stream tests). The checkout needs its dev dependencies installed
 * (`npm install --ignore-scripts` in it). Extra arguments replace the default file list,
 * e.g. `test/query.test.js --grep projection`. Prints every failure, then
 * `mongoose: P passing, F failing, N pending`. Exit code 0 when nothing failed.
 */
interface MochaTest {
  fullTitle: string;
  file?: string;
  err?: { message?: string };
}
interface MochaReport {
  stats: { passes: number; failures: number; pending: number };
  failures: MochaTest[];
}

async function main(): Promise<number> {
  const [checkoutArg, ...mochaArgs] = process.argv.slice(2);
  if (checkoutArg === undefined) {
    process.stderr.write('usage: npm run mongoose-suite -- <path to a Mongoose checkout> [mocha args…]\n');
    return 2;
  }
  const checkout = resolve(checkoutArg);
  const mocha = join(checkout, 'node_modules', 'mocha', 'bin', 'mocha.js');
  if (!existsSync(join(checkout, 'test', 'common.js')) || !existsSync(mocha)) {
    process.stderr.write(`${checkout} is not a Mongoose checkout with its dev dependencies installed\n`);
    return 2;
  }
  const dbPath = mkdtempSync(join(tmpdir(), 'mongoose-suite-db-'));
  const reportDir = mkdtempSync(join(tmpdir(), 'mongoose-suite-report-'));
  const reportFile = join(reportDir, 'report.json');
  const server = await startEmbeddedMongo({ dbPath, port: 0 });
  try {
    const files = mochaArgs.length > 0 ? mochaArgs : ['./test/**/*.test.js'];
    const args = [
      mocha,
      '--exit',
      '--ignore',
      'test/encryption/**/*.test.js',
      '--reporter',
      'json',
      '--reporter-option',
      `output=${reportFile}`,
      ...files,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, MONGOOSE_TEST_URI: `${server.uri}mongoose_test` };
    delete env.START_REPLICA_SET;
    delete env.MONGOOSE_REPLSET_URI;
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, args, { cwd: checkout, env, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('exit', (c) => done(c));
    });
    if (!existsSync(reportFile)) {
      process.stderr.write(`mocha exited with ${String(code)} and wrote no report\n`);
      return 1;
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as MochaReport;
    for (const f of report.failures) {
      const message = (f.err?.message ?? '').split('\n')[0].slice(0, 300);
      process.stdout.write(
        `FAIL ${f.file ? `${f.file.slice(checkout.length + 1)} ` : ''}${f.fullTitle}\n     ${message}\n`,
      );
    }
    const { passes, failures, pending } = report.stats;
    const ran = passes + failures;
    const share = ran === 0 ? 0 : (100 * passes) / ran;
    process.stdout.write(
      `mongoose: ${passes} passing, ${failures} failing, ${pending} pending (${share.toFixed(2)}% of tests that ran pass)\n`,
    );
    return failures === 0 ? 0 : 1;
  } finally {
    await server.close();
    rmSync(dbPath, { recursive: true, force: true });
    rmSync(reportDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
