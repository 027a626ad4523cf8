// Command line of `npm run conformance -- [paths…] [--verbose] [--json out.json] [--grep text] [--timeout ms]`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface CliArgs {
  paths: string[];
  verbose: boolean;
  jsonOut?: string;
  /** Only tests whose description contains this text. */
  grep?: string;
  testTimeoutMs: number;
}

export type ParsedArgs = { ok: true; args: CliArgs } | { ok: false; message: string };

/** The spec tests live in shared/ beside the repository (see docs/conformance.md). */
export const DEFAULT_TEST_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'mongodb-spec-tests', 'crud-unified');

export const USAGE =
  'usage: npm run conformance -- [dir-or-file.json …] [--verbose] [--json report.json] [--grep text] [--timeout ms]';

export function parseArgs(argv: string[]): ParsedArgs {
  const args: CliArgs = { paths: [], verbose: false, testTimeoutMs: 30_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string | undefined => argv[++i];
    if (arg === '--verbose' || arg === '-v') args.verbose = true;
    else if (arg === '--json') args.jsonOut = next();
    else if (arg === '--grep') args.grep = next();
    else if (arg === '--timeout') args.testTimeoutMs = Number(next());
    else if (arg === '--help' || arg === '-h') return { ok: false, message: USAGE };
    else if (arg.startsWith('-')) return { ok: false, message: `unknown option ${arg}\n${USAGE}` };
    else args.paths.push(arg);
  }
  if (args.jsonOut === '' || args.grep === '' || !(args.testTimeoutMs > 0)) return { ok: false, message: USAGE };
  if (args.paths.length === 0) {
    if (!existsSync(DEFAULT_TEST_DIR)) return { ok: false, message: `no test directory given\n${USAGE}` };
    args.paths.push(DEFAULT_TEST_DIR);
  }
  return { ok: true, args };
}
