// Executing one test: set up data, create entities, run operations with their assertions, check outcome.
import { AbstractCursor, Collection, Db, MongoError, type MongoClient } from 'mongodb';
import { describe, type Doc } from './bson-values';
import { EntityMap, type Entity } from './entities';
import { checkExpectedError, summarizeError } from './errors';
import { matchRootDocuments, matchValue } from './matcher';
import { AssertionFailure, RunnerError, SkipTest, type OperationResult } from './operation-support';
import { executeOperation } from './operations';
import { checkOutcome, setUpInitialData } from './outcome';
import { checkFeatures, checkRequirements } from './requirements';
import { plainResult } from './results';
import type { Operation, ServerInfo, TestCase, TestFile, TestStatus } from './types';

export interface RunContext {
  uri: string;
  internalClient: MongoClient;
  server: ServerInfo;
  testTimeoutMs: number;
}

type Failure = Extract<TestStatus, { status: 'fail' }>;

function failure(reason: string, cause: string, details: string[] = []): Failure {
  return { status: 'fail', reason, cause, details };
}

/** A coarse label for an error: server code name, or driver error class. */
function errorKind(error: unknown): string {
  if (error instanceof MongoError) {
    const record = error as unknown as Doc;
    if (typeof record.codeName === 'string') return record.codeName;
    if (typeof record.code === 'number') return `code ${record.code}`;
    return error.name;
  }
  return error instanceof Error ? `runner ${error.name}` : 'non-error';
}

export async function runTest(file: TestFile, test: TestCase, ctx: RunContext): Promise<TestStatus> {
  const requirement = checkRequirements(test.runOnRequirements, ctx.server);
  if (!requirement.run) return { status: 'skip', reason: requirement.reason };
  const feature = checkFeatures(test, file.createEntities);
  if (!feature.run) return { status: 'skip', reason: feature.reason };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TestStatus>((resolve) => {
    timer = setTimeout(() => resolve(failure(`timed out after ${ctx.testTimeoutMs} ms`, 'timeout')), ctx.testTimeoutMs);
  });
  const entities = new EntityMap(ctx.uri);
  try {
    return await Promise.race([runBody(file, test, ctx, entities), timeout]);
  } finally {
    clearTimeout(timer);
    await entities.close();
  }
}

async function runBody(file: TestFile, test: TestCase, ctx: RunContext, entities: EntityMap): Promise<TestStatus> {
  try {
    await setUpInitialData(ctx.internalClient, file.initialData);
  } catch (error) {
    return failure(`initialData setup failed: ${summarizeError(error)}`, `setup: ${errorKind(error)}`);
  }
  try {
    await entities.create(file.createEntities ?? []);
  } catch (error) {
    return failure(`creating entities failed: ${summarizeError(error)}`, `entities: ${errorKind(error)}`);
  }
  for (let i = 0; i < test.operations.length; i++) {
    const op = test.operations[i];
    let problem: Failure | undefined;
    try {
      problem = await runOperation(op, entities, ctx);
    } catch (error) {
      if (error instanceof SkipTest) return { status: 'skip', reason: error.reason };
      const label = error instanceof RunnerError ? 'runner' : 'assertion';
      problem = failure(`${label}: ${summarizeError(error)}`, `${label}: ${op.name}`);
    }
    if (problem) {
      const prefix = `op #${i + 1} ${op.name}`;
      return {
        ...problem,
        reason: `${prefix}: ${problem.reason}`,
        details: [`${prefix} on ${op.object} with ${describe(op.arguments ?? {}, 2000)}`, ...problem.details],
      };
    }
  }
  await settleUnacknowledgedWrites(entities, file);
  try {
    const outcome = await checkOutcome(ctx.internalClient, test.outcome);
    return outcome.ok ? { status: 'pass' } : failure(outcome.message, 'outcome mismatch');
  } catch (error) {
    return failure(`reading outcome failed: ${summarizeError(error)}`, `outcome read: ${errorKind(error)}`);
  }
}

async function runOperation(op: Operation, entities: EntityMap, ctx: RunContext): Promise<Failure | undefined> {
  const env = { entities, internalClient: ctx.internalClient };
  let result: OperationResult | undefined;
  let error: unknown;
  let threw = false;
  try {
    result = await executeOperation(op.name, op.object, op.arguments ?? {}, env);
  } catch (e) {
    if (e instanceof SkipTest || e instanceof RunnerError || e instanceof AssertionFailure) throw e;
    threw = true;
    error = e;
  }
  if (op.ignoreResultAndError) return undefined;
  const matchContext = entities.matchContext();
  if (op.expectError) {
    if (!threw) {
      return failure(`expected an error, got ${describe(result?.value)}`, `no error raised: ${op.name}`);
    }
    const check = checkExpectedError(op.expectError, error, matchContext);
    return check.ok
      ? undefined
      : failure(check.message, `wrong error: ${op.name} ${errorKind(error)}`, errorDetails(error));
  }
  if (threw) {
    return failure(
      `unexpected error ${summarizeError(error)}`,
      `error: ${op.name} ${errorKind(error)}`,
      errorDetails(error),
    );
  }
  const value = result?.value;
  if (op.expectResult !== undefined) {
    const r = result?.rootDocuments
      ? matchRootDocuments(op.expectResult, value, matchContext)
      : matchValue(op.expectResult, plainResult(value), { root: true, context: matchContext });
    if (!r.ok) {
      return failure(`result ${r.path}: ${r.message}`, `result mismatch: ${op.name}`, [
        `expected ${describe(op.expectResult, 2000)}`,
        `actual   ${describe(plainResult(value), 2000)}`,
      ]);
    }
  }
  if (op.saveResultAsEntity) {
    entities.add(op.saveResultAsEntity, entityFromResult(value));
  }
  return undefined;
}

function entityFromResult(value: unknown): Entity {
  if (value instanceof AbstractCursor) return { kind: 'cursor', cursor: value };
  if (value instanceof Collection) return { kind: 'collection', collection: value };
  if (value instanceof Db) return { kind: 'database', db: value };
  return { kind: 'value', value: plainResult(value) };
}

function errorDetails(error: unknown): string[] {
  if (!(error instanceof Error)) return [describe(error)];
  const response = (error as unknown as Doc).errorResponse;
  return [
    ...(response ? [`server response ${describe(response, 1000)}`] : []),
    ...(error.stack ? [error.stack.split('\n').slice(0, 6).join('\n')] : []),
  ];
}

/**
 * Unacknowledged (w:0) writes may still be in flight; a ping on each client's connection
 * is answered only after them, so the outcome read sees their effect.
 */
async function settleUnacknowledgedWrites(entities: EntityMap, file: TestFile): Promise<void> {
  for (const description of file.createEntities ?? []) {
    if (!description.client) continue;
    const entity = entities.find(description.client.id);
    if (entity?.kind !== 'client') continue;
    try {
      await entity.client.db('admin').command({ ping: 1 });
    } catch {
      // A broken client shows up in the outcome check; nothing more to do here.
      continue;
    }
  }
}
