import { Int32 } from 'bson';
import type { Doc } from '../engine/bson-values';
import { toNumber, isPlainObject } from '../engine/bson-values';
import { Collection } from '../engine/collection';
import { MongoServerError } from '../engine/errors';
import { withCommandEnv } from '../engine/command-env';
import { checkInsertSize, checkUpdatedSize } from '../engine/doc-size';
import { compileFilter } from '../engine/query';
import { insertDoc, replaceStored, updatedDoc, upsertDoc, validateUpdate, type UpdateSpec } from '../engine/writes';
import { collectionName, optionalBool, type CommandContext, type CommandHandler } from './context';
import { refuseWriteOnView } from './views';
import { docsArray, WriteErrors } from './write-result';

/** insert, update and delete: batches of statements, ordered (stop at first error) or not. */

export const insert: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'insert');
  const docs = docsArray(cmd, 'documents');
  const ordered = optionalBool(cmd, 'ordered', true);
  const coll = ctx.server.catalog.getOrCreate(ctx.db, name, ctx.ops);
  refuseWriteOnView(coll);
  const errors = new WriteErrors();
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      if (!isPlainObject(docs[i])) throw new MongoServerError(14, 'documents must be objects');
      checkInsertSize(docs[i]);
      insertDoc(coll, docs[i], ctx.ops);
      n++;
    } catch (e) {
      errors.add(i, e);
      if (ordered) break;
    }
  }
  return errors.into({ n, ok: 1 });
};

/** mongod 7 rejects fields it does not know in a statement (e.g. `sort`, new in 8.0). */
const UPDATE_FIELDS = new Set(['q', 'u', 'multi', 'upsert', 'arrayFilters', 'collation', 'hint', 'c']);
const DELETE_FIELDS = new Set(['q', 'limit', 'collation', 'hint']);

function checkFields(stmt: Doc, allowed: Set<string>, where: string): void {
  if (!isPlainObject(stmt)) throw new MongoServerError(14, `${where} entries must be objects`);
  for (const k of Object.keys(stmt)) {
    if (!allowed.has(k)) throw new MongoServerError(40415, `BSON field '${where}.${k}' is an unknown field.`);
  }
}

interface UpdateOutcome {
  n: number;
  nModified: number;
  upsertedId?: unknown;
}

function runUpdate(coll: Collection, stmt: Doc, ctx: CommandContext): UpdateOutcome {
  const filter = isPlainObject(stmt.q) ? stmt.q : {};
  const update = stmt.u as UpdateSpec;
  if (update === undefined || update === null) throw new MongoServerError(9, 'update statement needs a u field');
  validateUpdate(update);
  const multi = optionalBool(stmt, 'multi', false);
  const upsert = optionalBool(stmt, 'upsert', false);
  if (
    multi &&
    !Array.isArray(update) &&
    isPlainObject(update) &&
    Object.keys(update).length > 0 &&
    !Object.keys(update)[0].startsWith('$')
  ) {
    throw new MongoServerError(9, 'multi update is not supported for replacement-style update');
  }
  const opts = { arrayFilters: stmt.arrayFilters, now: ctx.server.now() };
  const { docs } = coll.scan(filter, compileFilter(filter), undefined, multi ? 0 : 1);
  const targets = multi ? docs : docs.slice(0, 1);
  if (targets.length === 0) {
    if (!upsert) return { n: 0, nModified: 0 };
    const doc = upsertDoc(filter, update, opts);
    checkUpdatedSize(doc);
    insertDoc(coll, doc, ctx.ops);
    return { n: 1, nModified: 0, upsertedId: doc._id };
  }
  // Compute every new version first so a failure part-way leaves the collection unchanged.
  const nextVersions = targets.map((old) => updatedDoc(old, update, filter, opts));
  nextVersions.forEach(checkUpdatedSize);
  let nModified = 0;
  targets.forEach((old, i) => {
    if (replaceStored(coll, old, nextVersions[i], ctx.ops)) nModified++;
  });
  return { n: targets.length, nModified };
}

export const update: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'update');
  const stmts = docsArray(cmd, 'updates');
  const ordered = optionalBool(cmd, 'ordered', true);
  const coll = ctx.server.catalog.getOrCreate(ctx.db, name, ctx.ops);
  refuseWriteOnView(coll);
  const errors = new WriteErrors();
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  for (let i = 0; i < stmts.length; i++) {
    try {
      const stmt = stmts[i];
      checkFields(stmt, UPDATE_FIELDS, 'update.updates');
      const r = withCommandEnv(stmt.collation, stmt.c, () => runUpdate(coll, stmt, ctx));
      n += r.n;
      nModified += r.nModified;
      if (r.upsertedId !== undefined) upserted.push({ index: new Int32(i), _id: r.upsertedId });
    } catch (e) {
      errors.add(i, e);
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  errors.into(reply);
  reply.ok = 1;
  return reply;
};

export const del: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'delete');
  const stmts = docsArray(cmd, 'deletes');
  const ordered = optionalBool(cmd, 'ordered', true);
  const coll = ctx.server.catalog.get(ctx.db, name);
  refuseWriteOnView(coll);
  const errors = new WriteErrors();
  let n = 0;
  for (let i = 0; i < stmts.length; i++) {
    try {
      const stmt = stmts[i];
      checkFields(stmt, DELETE_FIELDS, 'delete.deletes');
      const filter = isPlainObject(stmt.q) ? stmt.q : {};
      const limit = stmt.limit === undefined ? 0 : toNumber(stmt.limit);
      if (limit !== 0 && limit !== 1) throw new MongoServerError(9, 'The limit field in delete objects must be 0 or 1');
      n += withCommandEnv(stmt.collation, undefined, () => {
        compileFilter(filter);
        if (!coll) return 0;
        const { docs } = coll.scan(filter, compileFilter(filter), undefined, limit);
        let removed = 0;
        for (const doc of limit === 1 ? docs.slice(0, 1) : docs) {
          const op = coll.remove(Collection.keyOf(doc));
          if (op) {
            ctx.ops.push(op);
            removed++;
          }
        }
        return removed;
      });
    } catch (e) {
      errors.add(i, e);
      if (ordered) break;
    }
  }
  return errors.into({ n, ok: 1 });
};
