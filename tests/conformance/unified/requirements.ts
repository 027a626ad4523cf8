// runOnRequirements and the other reasons a file or test is skipped rather than run.
import type { EntityDescription, Operation, RunOnRequirement, ServerInfo, TestCase } from './types';

export type Verdict = { run: true } | { run: false; reason: string };

const RUN: Verdict = { run: true };

/** "4.4.99" → [4, 4, 99]; extra components and suffixes ("4.9.0-alpha") are dropped. */
export function parseVersion(text: string): [number, number, number] {
  const parts = text
    .split('-')[0]
    .split('.')
    .map((p) => Number.parseInt(p, 10));
  return [parts[0] || 0, parts[1] || 0, parts[2] || 0];
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0) ? -1 : 1;
  }
  return 0;
}

function checkOne(req: RunOnRequirement, server: ServerInfo): Verdict {
  if (req.minServerVersion && compareVersions(server.version, parseVersion(req.minServerVersion)) < 0) {
    return { run: false, reason: `needs server >= ${req.minServerVersion}` };
  }
  if (req.maxServerVersion && compareVersions(server.version, parseVersion(req.maxServerVersion)) > 0) {
    return { run: false, reason: `needs server <= ${req.maxServerVersion}` };
  }
  if (req.topologies && !topologyMatches(req.topologies, server.topology)) {
    return { run: false, reason: `needs topology ${req.topologies.join('|')}` };
  }
  if (req.serverless === 'require') return { run: false, reason: 'needs serverless' };
  if (req.auth === true && !server.authEnabled) return { run: false, reason: 'needs auth' };
  if (req.auth === false && server.authEnabled) return { run: false, reason: 'needs auth disabled' };
  if (req.authMechanism) return { run: false, reason: 'needs an auth mechanism' };
  if (req.serverParameters && Object.keys(req.serverParameters).length > 0) {
    return { run: false, reason: 'needs serverParameters' };
  }
  if (req.csfle !== undefined && req.csfle !== false) return { run: false, reason: 'needs CSFLE' };
  return RUN;
}

function topologyMatches(wanted: string[], actual: ServerInfo['topology']): boolean {
  return wanted.some((t) => t === actual || (t === 'sharded-replicaset' && actual === 'sharded'));
}

/** Satisfied when any one requirement is; otherwise the reason of the first one. */
export function checkRequirements(reqs: RunOnRequirement[] | undefined, server: ServerInfo): Verdict {
  if (!reqs || reqs.length === 0) return RUN;
  let firstFailure: Verdict | undefined;
  for (const req of reqs) {
    const verdict = checkOne(req, server);
    if (verdict.run) return RUN;
    firstFailure ??= verdict;
  }
  return firstFailure ?? RUN;
}

const TRANSACTION_OPERATIONS = new Set([
  'startTransaction',
  'commitTransaction',
  'abortTransaction',
  'withTransaction',
  'assertSessionTransactionState',
]);
const CHANGE_STREAM_OPERATIONS = new Set(['createChangeStream', 'watch']);
/** Assertions on what the driver observed (command monitoring, pool, session state), out of scope here. */
const DRIVER_STATE_ASSERTIONS = new Set([
  'assertSameLsidOnLastTwoCommands',
  'assertDifferentLsidOnLastTwoCommands',
  'assertSessionDirty',
  'assertSessionNotDirty',
  'assertSessionPinned',
  'assertSessionUnpinned',
  'assertNumberConnectionsCheckedOut',
  'assertEventCount',
  'waitForEvent',
  'runOnThread',
  'waitForThread',
  'recordTopologyDescription',
  'assertTopologyType',
  'waitForPrimaryChange',
  'targetedFailPoint',
]);
const UNSUPPORTED_ENTITIES = ['bucket', 'thread', 'clientEncryption'] as const;

/** Features this runner deliberately does not exercise, found by looking at the test's content. */
export function checkFeatures(test: TestCase, entities: EntityDescription[] | undefined): Verdict {
  if (test.skipReason) return { run: false, reason: 'skipReason in file' };
  const ops = allOperations(test.operations);
  if (ops.some((op) => TRANSACTION_OPERATIONS.has(op.name))) return { run: false, reason: 'uses transactions' };
  if (
    (entities ?? []).some((e) => e.session?.sessionOptions && 'defaultTransactionOptions' in e.session.sessionOptions)
  ) {
    return { run: false, reason: 'uses transactions' };
  }
  if (ops.some((op) => CHANGE_STREAM_OPERATIONS.has(op.name))) return { run: false, reason: 'uses change streams' };
  if (ops.some((op) => op.object === 'testRunner' && DRIVER_STATE_ASSERTIONS.has(op.name))) {
    return { run: false, reason: 'asserts on driver state or events' };
  }
  for (const kind of UNSUPPORTED_ENTITIES) {
    if ((entities ?? []).some((e) => e[kind] !== undefined)) return { run: false, reason: `uses ${kind} entities` };
  }
  return RUN;
}

/** Operations including those nested in runOnThread / withTransaction callbacks. */
function allOperations(ops: Operation[]): Operation[] {
  const out: Operation[] = [];
  for (const op of ops) {
    out.push(op);
    const nested = op.arguments?.callback ?? op.arguments?.operation;
    if (Array.isArray(nested)) out.push(...allOperations(nested as Operation[]));
    else if (nested && typeof nested === 'object') out.push(...allOperations([nested as Operation]));
  }
  return out;
}
