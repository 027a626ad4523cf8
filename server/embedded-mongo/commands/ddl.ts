import { Int32 } from 'bson';
import { isPlainObject, toNumber, typeClass, type Doc } from '../engine/bson-values';
import { setOwn } from '../engine/own';
import { validateName } from '../engine/catalog';
import { MongoServerError } from '../engine/errors';
import { compileFilter } from '../engine/query';
import { isView } from './views';
import { collectionName, optionalBool, optionalDoc, type CommandHandler } from './context';

/** create, drop, dropDatabase, renameCollection, listCollections. */

export const create: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'create');
  if (ctx.server.catalog.get(ctx.db, name)) {
    throw new MongoServerError(48, `Collection ${ctx.db}.${name} already exists.`);
  }
  const options: Doc = {};
  for (const [k, v] of Object.entries(cmd)) {
    if (k === 'create' || k.startsWith('$') || k === 'lsid' || k === 'writeConcern' || k === 'comment') continue;
    setOwn(options, k, v);
  }
  checkCreateOptions(options);
  ctx.server.catalog.getOrCreate(ctx.db, name, ctx.ops, options);
  return { ok: 1 };
};

/** mongod's checks on create options that would otherwise be stored and silently ignored. */
function checkCreateOptions(options: Doc): void {
  const truthy = (v: unknown): boolean =>
    v !== undefined && v !== null && v !== false && !(typeClass(v) === 'number' && toNumber(v) === 0);
  if (truthy(options.capped)) {
    if (options.size === undefined)
      throw new MongoServerError(72, "the 'size' field is required when 'capped' is true");
    if (typeClass(options.size) !== 'number' || toNumber(options.size) < 0) {
      throw new MongoServerError(14, "BSON field 'create.size' is the wrong type, expected a number");
    }
    options.capped = true;
  } else if (options.size !== undefined || options.max !== undefined) {
    throw new MongoServerError(72, "the 'size' and 'max' fields are only allowed for capped collections");
  }
  if (options.timeseries !== undefined) {
    const ts = options.timeseries;
    if (!isPlainObject(ts)) throw new MongoServerError(14, "BSON field 'create.timeseries' is the wrong type 'object'");
    if (typeof ts.timeField !== 'string') {
      throw new MongoServerError(40414, "BSON field 'create.timeseries.timeField' is missing but a required field");
    }
    if (truthy(options.capped)) throw new MongoServerError(72, 'Time-series collections cannot be capped');
    if (options.viewOn !== undefined) throw new MongoServerError(72, 'A time-series collection cannot be a view');
  }
  if (options.validator !== undefined && !isPlainObject(options.validator)) {
    throw new MongoServerError(14, "BSON field 'create.validator' is the wrong type, expected type 'object'");
  }
  if (isPlainObject(options.validator)) compileFilter(options.validator);
  const level = options.validationLevel;
  if (level !== undefined && level !== 'off' && level !== 'strict' && level !== 'moderate') {
    throw new MongoServerError(
      2,
      `Enumeration value '${String(level)}' for field 'create.validationLevel' is not a valid value.`,
    );
  }
  const action = options.validationAction;
  if (action !== undefined && action !== 'error' && action !== 'warn') {
    throw new MongoServerError(
      2,
      `Enumeration value '${String(action)}' for field 'create.validationAction' is not a valid value.`,
    );
  }
}

export const drop: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'drop');
  const coll = ctx.server.catalog.get(ctx.db, name);
  if (!coll) return { ok: 1 }; // mongod 7 no longer errors on a missing namespace
  const nIndexesWas = coll.indexes.size;
  const op = ctx.server.catalog.drop(ctx.db, name);
  if (op) ctx.ops.push(op);
  ctx.server.cursors.killNamespace(coll.ns);
  return { nIndexesWas: new Int32(nIndexesWas), ns: coll.ns, ok: 1 };
};

export const dropDatabase: CommandHandler = (_cmd, ctx) => {
  for (const coll of ctx.server.catalog.list(ctx.db)) {
    const op = ctx.server.catalog.drop(ctx.db, coll.name);
    if (op) ctx.ops.push(op);
  }
  ctx.server.cursors.killNamespace(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function splitNs(ns: unknown): [string, string] {
  if (typeof ns !== 'string' || !ns.includes('.'))
    throw new MongoServerError(73, `Invalid namespace specified '${String(ns)}'`);
  const at = ns.indexOf('.');
  return [ns.slice(0, at), ns.slice(at + 1)];
}

export const renameCollection: CommandHandler = (cmd, ctx) => {
  if (ctx.db !== 'admin')
    throw new MongoServerError(13, 'renameCollection may only be run against the admin database.');
  const [fromDb, fromName] = splitNs(cmd.renameCollection);
  const [toDb, toName] = splitNs(cmd.to);
  validateName(toDb, toName);
  const source = ctx.server.catalog.get(fromDb, fromName);
  if (!source) throw new MongoServerError(26, 'source namespace does not exist');
  if (fromDb === toDb && fromName === toName) throw new MongoServerError(20, "Can't rename a collection to itself");
  if (ctx.server.catalog.get(toDb, toName)) {
    if (!optionalBool(cmd, 'dropTarget', false)) throw new MongoServerError(48, 'target namespace exists');
    const op = ctx.server.catalog.drop(toDb, toName);
    if (op) ctx.ops.push(op);
  }
  const sourceNs = source.ns;
  ctx.ops.push(ctx.server.catalog.rename(source, toDb, toName));
  ctx.server.cursors.killNamespace(sourceNs);
  return { ok: 1 };
};

export const listCollections: CommandHandler = (cmd, ctx) => {
  const filter = optionalDoc(cmd, 'filter');
  const nameOnly = optionalBool(cmd, 'nameOnly', false);
  const match = compileFilter(filter);
  const entries: Doc[] = ctx.server.catalog
    .list(ctx.db)
    .map((c): Doc =>
      isView(c)
        ? { name: c.name, type: 'view', options: c.options, info: { readOnly: true } }
        : {
            name: c.name,
            type: isPlainObject(c.options.timeseries) ? 'timeseries' : 'collection',
            options: c.options,
            info: { readOnly: false },
            idIndex: { v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' },
          },
    )
    .filter((e) => match(e))
    .map((e) => (nameOnly ? { name: e.name, type: e.type } : e));
  const batchSize = isPlainObject(cmd.cursor) ? cmd.cursor.batchSize : undefined;
  const ns = `${ctx.db}.$cmd.listCollections`;
  const { id, batch } = ctx.server.cursors.firstBatch(
    ns,
    entries,
    typeof batchSize === 'number' ? batchSize : undefined,
  );
  return { cursor: { id, ns, firstBatch: batch }, ok: 1 };
};
