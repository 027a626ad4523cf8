// Collection entity operations (CRUD and index management).
import type { AnyBulkWriteOperation, Collection, IndexSpecification } from 'mongodb';
import { driverOptions } from './arguments';
import type { Doc } from './bson-values';
import {
  requireArg,
  requireDocument,
  RunnerError,
  sessionResolver,
  SkipTest,
  type OperationEnv,
  type OperationHandler,
  type OperationResult,
} from './operation-support';
import { writeResult } from './results';

type Coll = Collection<Doc>;
type Handler = OperationHandler<Coll>;

const opts = (args: Doc, env: OperationEnv, ...positional: string[]): Doc =>
  driverOptions(args, positional, sessionResolver(env));

const value = (v: unknown): OperationResult => ({ value: v });
const documents = (v: unknown): OperationResult => ({ value: v, rootDocuments: true });
/** The CRUD spec makes `filter` a required argument of every operation that takes one. */
const filterOf = (args: Doc): Doc => requireDocument(args, 'filter');

/** Update documents or pipelines, passed through untouched so that the driver's own checks apply. */
type Update = Doc | Doc[];

export const collectionOperations: Record<string, Handler> = {
  insertOne: async (c, args, env) =>
    value(writeResult(await c.insertOne(requireDocument(args, 'document'), opts(args, env, 'document')))),
  insertMany: async (c, args, env) =>
    value(writeResult(await c.insertMany(requireArg<Doc[]>(args, 'documents'), opts(args, env, 'documents')))),
  updateOne: async (c, args, env) =>
    value(
      writeResult(
        await c.updateOne(filterOf(args), requireArg<Update>(args, 'update'), opts(args, env, 'filter', 'update')),
      ),
    ),
  updateMany: async (c, args, env) =>
    value(
      writeResult(
        await c.updateMany(filterOf(args), requireArg<Update>(args, 'update'), opts(args, env, 'filter', 'update')),
      ),
    ),
  replaceOne: async (c, args, env) =>
    value(
      writeResult(
        await c.replaceOne(
          filterOf(args),
          requireDocument(args, 'replacement'),
          opts(args, env, 'filter', 'replacement'),
        ),
      ),
    ),
  deleteOne: async (c, args, env) => value(writeResult(await c.deleteOne(filterOf(args), opts(args, env, 'filter')))),
  deleteMany: async (c, args, env) => value(writeResult(await c.deleteMany(filterOf(args), opts(args, env, 'filter')))),
  bulkWrite: async (c, args, env) => {
    const requests = requireArg<AnyBulkWriteOperation<Doc>[]>(args, 'requests');
    return value(writeResult(await c.bulkWrite(requests, opts(args, env, 'requests'))));
  },

  find: async (c, args, env) => documents(await c.find(filterOf(args), opts(args, env, 'filter')).toArray()),
  findOne: async (c, args, env) => value(await c.findOne(filterOf(args), opts(args, env, 'filter'))),
  aggregate: async (c, args, env) =>
    documents(await c.aggregate(requireArg<Doc[]>(args, 'pipeline'), opts(args, env, 'pipeline')).toArray()),
  countDocuments: async (c, args, env) => value(await c.countDocuments(filterOf(args), opts(args, env, 'filter'))),
  estimatedDocumentCount: async (c, args, env) => value(await c.estimatedDocumentCount(opts(args, env))),
  count: async (c, args, env) => value(await c.count(filterOf(args), opts(args, env, 'filter'))),
  distinct: async (c, args, env) =>
    value(
      await c.distinct(requireArg<string>(args, 'fieldName'), filterOf(args), opts(args, env, 'fieldName', 'filter')),
    ),
  findOneAndUpdate: async (c, args, env) =>
    value(
      await c.findOneAndUpdate(filterOf(args), requireArg<Update>(args, 'update'), opts(args, env, 'filter', 'update')),
    ),
  findOneAndReplace: async (c, args, env) =>
    value(
      await c.findOneAndReplace(
        filterOf(args),
        requireDocument(args, 'replacement'),
        opts(args, env, 'filter', 'replacement'),
      ),
    ),
  findOneAndDelete: async (c, args, env) => value(await c.findOneAndDelete(filterOf(args), opts(args, env, 'filter'))),

  createIndex: async (c, args, env) =>
    value(await c.createIndex(requireArg<IndexSpecification>(args, 'keys'), opts(args, env, 'keys'))),
  listIndexes: async (c, args, env) => documents(await c.listIndexes(opts(args, env)).toArray()),
  listIndexNames: async (c, args, env) =>
    value((await c.listIndexes(opts(args, env)).toArray()).map((index) => String(index.name))),
  dropIndex: async (c, args, env) =>
    value(await c.dropIndex(requireArg<string>(args, 'name'), opts(args, env, 'name'))),
  dropIndexes: async (c, args, env) => value(await c.dropIndexes(opts(args, env))),
  drop: async (c, args, env) => value(await c.drop(opts(args, env))),
  rename: async (c, args, env) => {
    await c.rename(requireArg<string>(args, 'to'), opts(args, env, 'to'));
    return value(undefined);
  },

  createFindCursor: async (c, args, env) => {
    const cursor = c.find(filterOf(args), opts(args, env, 'filter'));
    // The spec wants the find command sent now; hasNext() does that without consuming a document.
    await cursor.hasNext();
    return value(cursor);
  },
  watch: async () => {
    throw new RunnerError('change streams are not supported by the runner');
  },
  mapReduce: async () => {
    throw new SkipTest('mapReduce is not in the Node driver');
  },
};
