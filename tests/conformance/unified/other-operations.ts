// Database, client and cursor entity operations.
import type { AbstractCursor, AnyClientBulkWriteModel, Db, MongoClient, RunCommandCursor } from 'mongodb';
import { driverOptions } from './arguments';
import { isDocument, type Doc } from './bson-values';
import {
  requireArg,
  requireDocument,
  RunnerError,
  sessionResolver,
  type OperationEnv,
  type OperationHandler,
  type OperationResult,
} from './operation-support';
import { clientBulkWriteResult } from './results';

const opts = (args: Doc, env: OperationEnv, ...positional: string[]): Doc =>
  driverOptions(args, positional, sessionResolver(env));
const value = (v: unknown): OperationResult => ({ value: v });
const documents = (v: unknown): OperationResult => ({ value: v, rootDocuments: true });
const none: OperationResult = { value: undefined };

/** runCursorCommand's getMore settings are cursor setters, not command options. */
function commandCursor(db: Db, args: Doc, env: OperationEnv): RunCommandCursor {
  const { batchSize, maxTimeMS, comment, cursorType, timeoutMode: _timeoutMode, ...rest } = args;
  const options = opts(rest, env, 'command', 'commandName');
  if (cursorType === 'tailable' || cursorType === 'tailableAwait') options.tailable = true;
  if (cursorType === 'tailableAwait') options.awaitData = true;
  const cursor = db.runCursorCommand(requireDocument(args, 'command'), options);
  if (batchSize !== undefined) cursor.setBatchSize(Number(batchSize));
  if (maxTimeMS !== undefined) cursor.setMaxTimeMS(Number(maxTimeMS));
  if (comment !== undefined) cursor.setComment(comment);
  return cursor;
}

export const databaseOperations: Record<string, OperationHandler<Db>> = {
  aggregate: async (db, args, env) =>
    documents(await db.aggregate(requireArg<Doc[]>(args, 'pipeline'), opts(args, env, 'pipeline')).toArray()),
  runCommand: async (db, args, env) =>
    value(await db.command(requireDocument(args, 'command'), opts(args, env, 'command', 'commandName'))),
  runCursorCommand: async (db, args, env) => documents(await commandCursor(db, args, env).toArray()),
  createCommandCursor: async (db, args, env) => {
    const cursor = commandCursor(db, args, env);
    // The spec wants the command sent now; hasNext() does that without consuming a document.
    await cursor.hasNext();
    return value(cursor);
  },
  createCollection: async (db, args, env) =>
    value(await db.createCollection(requireArg<string>(args, 'collection'), opts(args, env, 'collection'))),
  dropCollection: async (db, args, env) => {
    await db.dropCollection(requireArg<string>(args, 'collection'), opts(args, env, 'collection'));
    return none;
  },
  listCollections: async (db, args, env) =>
    documents(await db.listCollections((args.filter as Doc | undefined) ?? {}, opts(args, env, 'filter')).toArray()),
  listCollectionObjects: async (db, args, env) =>
    documents(await db.listCollections((args.filter as Doc | undefined) ?? {}, opts(args, env, 'filter')).toArray()),
  listCollectionNames: async (db, args, env) => {
    const infos = await db
      .listCollections((args.filter as Doc | undefined) ?? {}, { ...opts(args, env, 'filter'), nameOnly: true })
      .toArray();
    return value(infos.map((info) => info.name));
  },
  modifyCollection: async (db, args, env) => {
    const { collection, session, ...rest } = args;
    const options = session === undefined ? {} : { session: sessionResolver(env)(String(session)) };
    return value(await db.command({ collMod: collection, ...rest }, options));
  },
};

/** `{ insertOne: { namespace, document } }` → the driver's `{ name: 'insertOne', namespace, document }`. */
function clientModel(model: unknown): AnyClientBulkWriteModel<Doc> {
  if (!isDocument(model)) throw new RunnerError('clientBulkWrite models must be documents');
  const [name] = Object.keys(model);
  const body = model[name];
  if (!isDocument(body)) throw new RunnerError(`clientBulkWrite model ${name} must be a document`);
  return { name, ...body } as AnyClientBulkWriteModel<Doc>;
}

export const clientOperations: Record<string, OperationHandler<MongoClient>> = {
  clientBulkWrite: async (client, args, env) => {
    const models = requireArg<unknown[]>(args, 'models').map(clientModel);
    return value(clientBulkWriteResult(await client.bulkWrite(models, opts(args, env, 'models'))));
  },
  listDatabases: async (client, args, env) => {
    const result = await client.db('admin').admin().listDatabases(opts(args, env));
    return documents(result.databases);
  },
  listDatabaseObjects: async (client, args, env) => {
    const result = await client.db('admin').admin().listDatabases(opts(args, env));
    return documents(result.databases);
  },
  listDatabaseNames: async (client, args, env) => {
    const result = await client
      .db('admin')
      .admin()
      .listDatabases({ ...opts(args, env), nameOnly: true });
    return value(result.databases.map((d) => d.name));
  },
};

export const cursorOperations: Record<string, OperationHandler<AbstractCursor<Doc>>> = {
  iterateUntilDocumentOrError: async (cursor) => value(await cursor.next()),
  iterateOnce: async (cursor) => value(await cursor.tryNext()),
  close: async (cursor) => {
    await cursor.close();
    return none;
  },
};
