// Conformance runner: runs MongoDB's Unified Test Format CRUD tests against the embedded server
// (or CONFORMANCE_URI) and prints one line per file. Test failures do not change the exit code;
// only a crash of the runner itself does. The last stdout line is the `conformance:` summary, and
// it is the only line starting with `conformance: ` (CI greps for it to tell a crash from a report),
// so notes on stderr are prefixed `[conformance]` instead.
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { parseArgs } from './cli-args';
import { closingLine, failureCause, fileLines, skipReason, tally, tallyLines, totals } from './report';
import { probeServer, startServerUnderTest } from './server';
import { parseVersion } from './unified/requirements';
import { runFile } from './unified/run-file';
import type { FileReport } from './unified/types';

async function listTestFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      const names = (await readdir(path)).filter((n) => n.endsWith('.json')).sort();
      files.push(...names.map((n) => join(path, n)));
    } else {
      files.push(path);
    }
  }
  return files;
}

/** An in-process server that throws asynchronously must not take the runner down with it. */
function keepRunningOnStrayErrors(): void {
  const report = (kind: string) => (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`[conformance] ${kind} (server under test?): ${text}\n`);
  };
  process.on('uncaughtException', report('uncaught exception'));
  process.on('unhandledRejection', report('unhandled rejection'));
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    return 2;
  }
  const { args } = parsed;
  const files = await listTestFiles(args.paths);
  keepRunningOnStrayErrors();
  const server = await startServerUnderTest(process.env);
  const internalClient = new MongoClient(server.uri, { serverSelectionTimeoutMS: 10_000 });
  const reports: FileReport[] = [];
  try {
    await internalClient.connect();
    const probed = await probeServer(internalClient, server.uri);
    const info = args.assumeVersion ? { ...probed, version: parseVersion(args.assumeVersion) } : probed;
    const assumed = args.assumeVersion ? ` (assuming ${args.assumeVersion} for runOnRequirements)` : '';
    process.stderr.write(
      `[conformance] ${server.label}, version ${probed.version.join('.')}${assumed}, topology ${info.topology}\n`,
    );
    const ctx = { uri: server.uri, internalClient, server: info, testTimeoutMs: args.testTimeoutMs };
    for (const file of files) {
      const report = await runFile(file, ctx, args.grep);
      if (args.grep && report.tests.length === 0) continue;
      reports.push(report);
      process.stdout.write(`${fileLines(report, args.verbose).join('\n')}\n`);
    }
  } finally {
    await internalClient.close().catch(() => undefined);
    await server
      .stop()
      .catch((error: unknown) => process.stderr.write(`[conformance] stopping server: ${String(error)}\n`));
  }
  if (args.jsonOut) await writeFile(args.jsonOut, JSON.stringify(reports, null, 2));
  const lines = [
    ...tallyLines('skipped, by reason:', tally(reports, skipReason)),
    ...tallyLines('failed, by cause:', tally(reports, failureCause)),
    closingLine(totals(reports)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `[conformance] runner crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
