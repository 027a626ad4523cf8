// Command line of `npm run conformance -- [paths…] [options]`; see USAGE.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

interface CliArgs {
  paths: string[];
  verbose: boolean;
  jsonOut?: string;
  /** Only tests whose description contains this text. */
  grep?: string;
  testTimeoutMs: number;
  /** Evaluate runOnRequirements as if the server claimed this version (exploration only). */
  assumeVersion?: string;
}

export type ParsedArgs = { ok: true; args: CliArgs } | { ok: false; message: string };

/** The spec tests live in shared/ beside the repository (see docs/conformance.md). */
const DEFAULT_TEST_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'mongodb-spec-tests', 'crud-unified');

const USAGE =
  'usage: npm run conformance -- [dir-or-file.json …] [--verbose] [--json report.json] [--grep text]' +
  ' [--timeout ms] [--assume-version 8.0.0]';

export function parseArgs(argv: string[]): ParsedArgs {
  const args: CliArgs = { paths: [], verbose: false, testTimeoutMs: 30_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string | undefined => argv[++i];
    if (arg === '--verbose' || arg === '-v') args.verbose = true;
    else if (arg === '--json') args.jsonOut = next();
    else if (arg === '--grep') args.grep = next();
    else if (arg === '--timeout') args.testTimeoutMs = Number(next());
    else if (arg === '--assume-version') args.assumeVersion = next();
    else if (arg === '--help' || arg === '-h') return { ok: false, message: USAGE };
    else if (arg.startsWith('-')) return { ok: false, message: `unknown option ${arg}\n${USAGE}` };
    else args.paths.push(arg);
  }
  const missingValue = [args.jsonOut, args.grep, args.assumeVersion].some((v) => v === '');
  if (missingValue || !(args.testTimeoutMs > 0)) return { ok: false, message: USAGE };
  if (args.assumeVersion !== undefined && !/^\d+(\.\d+){0,2}$/.test(args.assumeVersion)) {
    return { ok: false, message: `--assume-version needs a version such as 8.0.0\n${USAGE}` };
  }
  if (args.paths.length === 0) {
    if (!existsSync(DEFAULT_TEST_DIR)) return { ok: false, message: `no test directory given\n${USAGE}` };
    args.paths.push(DEFAULT_TEST_DIR);
  }
  return { ok: true, args };
}
