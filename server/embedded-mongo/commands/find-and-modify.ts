import type { Doc } from '../engine/bson-values';
import { Collection } from '../engine/collection';
import { MongoServerError } from '../engine/errors';
import { checkUpdatedSize } from '../engine/doc-size';
import { projectDoc } from '../engine/projection';
import { compileFilter } from '../engine/query';
import { parseSort, sortDocs } from '../engine/sort';
import { insertDoc, replaceStored, updatedDoc, upsertDoc, validateUpdate, type UpdateSpec } from '../engine/writes';
import { refuseWriteOnView } from './views';
import { collectionName, optionalBool, optionalDoc, type CommandHandler } from './context';

/**
 * findAndModify: one document found (sorted), then updated, replaced or removed, all in one
 * turn of the event loop, which is what makes conditional decrements race-free.
 */
export const findAndModify: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0]);
  const query = optionalDoc(cmd, 'query') ?? {};
  const sort = parseSort(cmd.sort);
  const remove = optionalBool(cmd, 'remove', false);
  const returnNew = optionalBool(cmd, 'new', false);
  const upsert = optionalBool(cmd, 'upsert', false);
  const fields = optionalDoc(cmd, 'fields');
  const update = cmd.update as UpdateSpec | undefined;
  if (remove && update !== undefined) throw new MongoServerError(9, 'Cannot specify both an update and remove=true');
  if (!remove && update === undefined)
    throw new MongoServerError(9, 'Either an update or remove=true must be specified');
  if (remove && (upsert || returnNew)) throw new MongoServerError(9, 'Cannot specify both upsert=true and remove=true');
  if (update !== undefined) validateUpdate(update);
  const out = (doc: Doc | undefined): Doc | null =>
    doc === undefined ? null : fields ? projectDoc(doc, fields, query) : doc;

  const coll = remove ? ctx.server.catalog.get(ctx.db, name) : ctx.server.catalog.getOrCreate(ctx.db, name, ctx.ops);
  refuseWriteOnView(coll);
  const hint = sort.length === 1 && sort[0].meta === undefined ? { ...sort[0], needed: 1 } : undefined;
  const scan = coll?.scan(query, compileFilter(query), hint, sort.length === 0 ? 1 : 0);
  const found = scan ? (scan.sorted ? scan.docs : sortDocs(scan.docs, sort))[0] : undefined;
  if (remove) {
    if (found && coll) {
      const op = coll.remove(Collection.keyOf(found));
      if (op) ctx.ops.push(op);
    }
    return { lastErrorObject: { n: found ? 1 : 0 }, value: out(found), ok: 1 };
  }
  const target = coll as Collection;
  const opts = { arrayFilters: cmd.arrayFilters, now: ctx.server.now() };
  if (!found) {
    if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = upsertDoc(query, update as UpdateSpec, opts);
    checkUpdatedSize(doc);
    insertDoc(target, doc, ctx.ops);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: returnNew ? out(doc) : null,
      ok: 1,
    };
  }
  const next = updatedDoc(found, update as UpdateSpec, query, opts);
  checkUpdatedSize(next);
  replaceStored(target, found, next, ctx.ops);
  return { lastErrorObject: { n: 1, updatedExisting: true }, value: out(returnNew ? next : found), ok: 1 };
};
