// Shared vocabulary of the operation handlers.
import type { ClientSession, MongoClient } from 'mongodb';
import { isDocument, type Doc } from './bson-values';
import type { EntityMap } from './entities';

export interface OperationResult {
  value: unknown;
  /** The value is an iterated cursor whose documents are each matched as root-level documents. */
  rootDocuments?: boolean;
}

export interface OperationEnv {
  entities: EntityMap;
  /** The runner's own client, for setup and assertions outside the test's entities. */
  internalClient: MongoClient;
}

export type OperationHandler<Target> = (target: Target, args: Doc, env: OperationEnv) => Promise<OperationResult>;

/** Thrown by an operation to mark the whole test skipped (e.g. the server has no fail points). */
export class SkipTest extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** An assertion made by a special test operation did not hold. */
export class AssertionFailure extends Error {}

/** A problem in the test runner or the test file, not in the server under test. */
export class RunnerError extends Error {}

export function requireArg<T = unknown>(args: Doc, name: string): T {
  if (!(name in args)) throw new RunnerError(`missing required argument '${name}'`);
  return args[name] as T;
}

export function requireDocument(args: Doc, name: string): Doc {
  const value = requireArg(args, name);
  if (!isDocument(value)) throw new RunnerError(`argument '${name}' must be a document`);
  return value;
}

export function sessionResolver(env: OperationEnv): (name: string) => ClientSession {
  return (name) => env.entities.get(name, 'session').session;
}
