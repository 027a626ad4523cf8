// Special operations addressed to "testRunner": fail points and existence assertions.
import { MongoServerError, type Db } from 'mongodb';
import type { Doc } from './bson-values';
import type { EntityDescription } from './types';
import {
  AssertionFailure,
  requireArg,
  requireDocument,
  SkipTest,
  type OperationEnv,
  type OperationHandler,
  type OperationResult,
} from './operation-support';

const none: OperationResult = { value: undefined };

/** Server codes meaning "this server has no such command" (CommandNotFound, and fail points being off). */
const NO_FAIL_POINTS = new Set([59, 115]);

export const testRunnerOperations: Record<string, OperationHandler<undefined>> = {
  failPoint: async (_target, args, env) => {
    const { client } = env.entities.get(requireArg<string>(args, 'client'), 'client');
    const failPoint = requireDocument(args, 'failPoint');
    try {
      await client.db('admin').command(failPoint);
    } catch (error) {
      if (error instanceof MongoServerError && typeof error.code === 'number' && NO_FAIL_POINTS.has(error.code)) {
        throw new SkipTest('needs configureFailPoint');
      }
      throw error;
    }
    env.entities.recordFailPoint(client, String(failPoint.configureFailPoint));
    return none;
  },

  assertCollectionExists: async (_target, args, env) => {
    const names = await collectionNames(env.internalClient.db(requireArg<string>(args, 'databaseName')));
    const wanted = requireArg<string>(args, 'collectionName');
    if (!names.includes(wanted)) throw new AssertionFailure(`collection ${wanted} does not exist`);
    return none;
  },
  assertCollectionNotExists: async (_target, args, env) => {
    const names = await collectionNames(env.internalClient.db(requireArg<string>(args, 'databaseName')));
    const wanted = requireArg<string>(args, 'collectionName');
    if (names.includes(wanted)) throw new AssertionFailure(`collection ${wanted} exists`);
    return none;
  },
  assertIndexExists: async (_target, args, env) => {
    const names = await indexNames(env, args);
    const wanted = requireArg<string>(args, 'indexName');
    if (!names.includes(wanted))
      throw new AssertionFailure(`index ${wanted} does not exist (have ${names.join(', ')})`);
    return none;
  },
  assertIndexNotExists: async (_target, args, env) => {
    const names = await indexNames(env, args);
    const wanted = requireArg<string>(args, 'indexName');
    if (names.includes(wanted)) throw new AssertionFailure(`index ${wanted} exists`);
    return none;
  },
  createEntities: async (_target, args, env) => {
    await env.entities.create(requireArg<EntityDescription[]>(args, 'entities'));
    return none;
  },
  wait: async (_target, args) => {
    await new Promise((resolve) => setTimeout(resolve, Number(requireArg(args, 'ms'))));
    return none;
  },
};

async function collectionNames(db: Db): Promise<string[]> {
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  return infos.map((info) => info.name);
}

async function indexNames(env: OperationEnv, args: Doc): Promise<string[]> {
  const collection = env.internalClient
    .db(requireArg<string>(args, 'databaseName'))
    .collection(requireArg<string>(args, 'collectionName'));
  try {
    const indexes = await collection.listIndexes().toArray();
    return indexes.map((index) => String(index.name));
  } catch (error) {
    // A missing collection has no indexes.
    if (error instanceof MongoServerError && error.code === 26) return [];
    throw error;
  }
}
