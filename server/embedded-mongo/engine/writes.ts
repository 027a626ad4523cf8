import { Aggregator } from 'mingo';
import { ObjectId } from 'bson';
import type { StorageOp } from '../storage/types';
import { demote, isPlainObject, promote, promoteExpr, type Doc, type Value } from './bson-values';
import { cloneDoc } from './clone';
import { compareRaw, valuesEqual } from './compare';
import type { Collection } from './collection';
import { Collection as CollectionClass } from './collection';
import { MongoServerError } from './errors';
import { formatValue } from './format';
import { letVariables } from './command-env';
import { matchedIndex, positionalPrefix } from './positional';
import { compileArrayFilters } from './update-paths';
import { checkValidator } from './validation';
import { applyOperators, isOperatorUpdate, validateOperatorUpdate } from './update';
import { seedFromFilter } from './upsert-seed';

/**
 * Document-level write operations shared by insert, update, delete and findAndModify.
 * Each validates fully before touching the collection, so a failed write changes nothing.
 */
export type UpdateSpec = Doc | Doc[];

export interface UpdateOptions {
  arrayFilters?: Value;
  now: Date;
}

function prepareForInsert(doc: Doc): Doc {
  if (Array.isArray(doc._id)) throw new MongoServerError(2, `can't use an array for _id`);
  if (
    typeof doc._id === 'object' &&
    doc._id !== null &&
    isPlainObject(doc._id) &&
    Object.keys(doc._id).some((k) => k.startsWith('$'))
  ) {
    throw new MongoServerError(2, `_id fields may not contain '$'-prefixed fields`);
  }
  if (doc._id !== undefined) return Object.keys(doc)[0] === '_id' ? doc : { _id: doc._id, ...doc };
  return { _id: new ObjectId(), ...doc };
}

export function insertDoc(coll: Collection, raw: Doc, ops: StorageOp[]): Doc {
  const doc = prepareForInsert(raw);
  const key = CollectionClass.keyOf(doc);
  checkValidator(coll, doc);
  const err = coll.checkUnique(doc, key);
  if (err) throw err;
  ops.push(coll.put(key, doc));
  return doc;
}

export function validateUpdate(update: UpdateSpec): void {
  if (Array.isArray(update)) return;
  if (!isPlainObject(update)) throw new MongoServerError(9, 'Update argument must be either an object or an array');
  if (isOperatorUpdate(update)) validateOperatorUpdate(update);
  else
    for (const k of Object.keys(update)) {
      if (k.startsWith('$')) throw new MongoServerError(9, `Unknown modifier: ${k}`);
    }
}

/** The new version of `old` after the update (a fresh object; `old` is untouched). */
export function updatedDoc(
  old: Doc,
  update: UpdateSpec,
  filter: Doc | undefined,
  opts: UpdateOptions,
  inserting = false,
): Doc {
  if (Array.isArray(update)) return pipelineUpdate(old, update);
  if (!isOperatorUpdate(update)) return replacement(old, update);
  const doc = cloneDoc(old);
  const prefix = positionalPrefix(update);
  applyOperators(doc, update, {
    inserting,
    now: opts.now,
    arrayFilters: compileArrayFilters(opts.arrayFilters),
    matchedIndex: prefix === undefined ? undefined : matchedIndex(old, filter, prefix),
  });
  return doc;
}

function replacement(old: Doc, rep: Doc): Doc {
  if ('_id' in rep && old._id !== undefined && !valuesEqual(rep._id, old._id)) {
    throw new MongoServerError(
      66,
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(rep._id)}`,
    );
  }
  const doc = cloneDoc(rep);
  if (old._id === undefined) return doc;
  delete doc._id;
  return { _id: old._id, ...doc };
}

function pipelineUpdate(old: Doc, pipeline: Doc[]): Doc {
  const stages = pipeline.map((s) => promoteExpr(s) as Doc);
  const [out] = demote(new Aggregator(stages, { variables: letVariables() }).run([promote(old) as Doc])) as Doc[];
  if (!out) throw new MongoServerError(2, 'pipeline update produced no document');
  // A stage that drops _id ($replaceRoot, $project) keeps the original one, as mongod does.
  if (out._id === undefined) return old._id === undefined ? out : { _id: old._id, ...out };
  if (old._id !== undefined && !valuesEqual(out._id, old._id)) {
    throw new MongoServerError(66, `Performing an update on the path '_id' would modify the immutable field '_id'`);
  }
  return { _id: old._id, ...out };
}

/** Builds the document an upsert inserts. */
export function upsertDoc(filter: Doc | undefined, update: UpdateSpec, opts: UpdateOptions): Doc {
  const seed = seedFromFilter(filter);
  let doc: Doc;
  if (!Array.isArray(update) && !isOperatorUpdate(update)) {
    doc = replacement({}, update);
    if (seed._id !== undefined && doc._id === undefined) doc = { _id: seed._id, ...doc };
  } else {
    doc = updatedDoc(seed, update, filter, opts, true);
  }
  return prepareForInsert(doc);
}

/** Stores `next` in place of `old`, enforcing unique indexes. Returns whether anything changed. */
export function replaceStored(coll: Collection, old: Doc, next: Doc, ops: StorageOp[]): boolean {
  // Binary comparison: under a case-insensitive collation "PONG" → "pong" is still a change.
  if (compareRaw(old, next) === 0 && Object.keys(old).join() === Object.keys(next).join()) return false;
  const key = CollectionClass.keyOf(old);
  checkValidator(coll, next, old);
  const err = coll.checkUnique(next, key, old);
  if (err) throw err;
  ops.push(coll.put(key, next));
  return true;
}
