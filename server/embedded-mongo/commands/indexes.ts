import { Int32 } from 'bson';
import type { IndexSpec } from '../storage/types';
import { isPlainObject, toNumber, typeClass, type Doc } from '../engine/bson-values';
import { collationId, normalizeCollation } from '../engine/command-env';
import { canonicalKey } from '../engine/compare';
import { MongoServerError } from '../engine/errors';
import { formatValue } from '../engine/format';
import { defaultIndexName } from '../engine/indexes';
import { collectionName, type CommandHandler } from './context';

/** createIndexes, listIndexes, dropIndexes. */

/** Special index types mongod knows; this server stores them but searches none of them. */
const INDEX_TYPES = new Set(['text', '2d', '2dsphere', 'hashed', 'geoHaystack']);

const OPTION_FIELDS = [
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'collation',
  'hidden',
  'weights',
  'default_language',
  '2dsphereIndexVersion',
];

function normalizeSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new MongoServerError(9, "Error in specification: the 'key' field is required and must be a non-empty object");
  }
  for (const [field, kind] of Object.entries(raw.key)) {
    const ok = typeof kind === 'string' ? INDEX_TYPES.has(kind) : typeClass(kind) === 'number' && toNumber(kind) !== 0;
    if (!ok || field === '') {
      throw new MongoServerError(
        67,
        `Error in specification ${formatValue(raw)} :: caused by :: Values in the index key pattern can't be 0, empty strings or unknown index types: ${field}: ${formatValue(kind)}`,
      );
    }
  }
  // A malformed collation fails before anything is created.
  if (raw.collation !== undefined) normalizeCollation(raw.collation);
  const name = typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key);
  const spec: IndexSpec = { v: new Int32(2), key: raw.key, name };
  for (const f of OPTION_FIELDS) if (raw[f] !== undefined && raw[f] !== false) spec[f] = raw[f];
  if (spec.unique !== undefined) spec.unique = true;
  if (spec.sparse !== undefined) spec.sparse = true;
  if (name === '_id_' && (spec.unique || spec.sparse)) {
    throw new MongoServerError(67, "The field 'unique' is not valid for an _id index specification.");
  }
  return spec;
}

function optionsKey(spec: IndexSpec): string {
  return OPTION_FIELDS.filter((f) => f !== 'collation')
    .map((f) => `${f}=${canonicalKey(spec[f] ?? null)}`)
    .concat(`collation=${collationId(spec.collation) ?? 'simple'}`)
    .join(';');
}

/**
 * The index's collation spelled out as mongod lists it: the one asked for, else the
 * collection's default; none when that is simple. Text, geo and hashed indexes keep strings
 * their own way and take no collation here.
 */
function withCollation(spec: IndexSpec, collectionDefault: unknown): IndexSpec {
  const special = Object.values(spec.key).some((v) => typeof v === 'string');
  const { collation, ...rest } = spec;
  const normalized = special ? undefined : normalizeCollation((collation ?? collectionDefault) as Doc | undefined);
  return normalized ? { ...rest, collation: normalized } : rest;
}

function sameKey(a: IndexSpec, b: IndexSpec): boolean {
  return canonicalKey(a.key) === canonicalKey(b.key);
}

export const createIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0) {
    throw new MongoServerError(2, 'Must specify at least one index to create');
  }
  const specs = cmd.indexes.map(normalizeSpec);
  const existed = ctx.server.catalog.get(ctx.db, name) !== undefined;
  const coll = ctx.server.catalog.getOrCreate(ctx.db, name, ctx.ops);
  for (let i = 0; i < specs.length; i++) specs[i] = withCollation(specs[i], coll.options.collation);
  const before = coll.indexes.size;
  const toBuild: IndexSpec[] = [];
  const unbuilt: IndexSpec[] = [];
  for (const spec of specs) {
    const sameName = coll.indexes.get(spec.name)?.spec;
    if (sameName) {
      if (!sameKey(sameName, spec)) {
        throw new MongoServerError(
          86,
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${formatValue(spec)}, existing index: ${formatValue(sameName)}`,
        );
      }
      if (optionsKey(sameName) !== optionsKey(spec)) {
        throw new MongoServerError(
          85,
          `An equivalent index already exists with the same name but different options. Requested index: ${formatValue(spec)}, existing index: ${formatValue(sameName)}`,
        );
      }
      // A text/geo index stored before their entries were kept: asking for it again builds them.
      if (coll.indexes.get(spec.name)?.built === false) unbuilt.push(sameName);
      continue;
    }
    const sameKeyIndex = [...coll.indexes.values()].find(
      (i) => sameKey(i.spec, spec) && optionsKey(i.spec) === optionsKey(spec),
    );
    if (sameKeyIndex)
      throw new MongoServerError(85, `Index already exists with a different name: ${sameKeyIndex.name}`);
    toBuild.push(spec);
  }
  // Build each; if one fails over existing data, none of this command's indexes remain.
  const built: string[] = [];
  try {
    for (const spec of toBuild) {
      coll.addIndex(spec);
      built.push(spec.name);
    }
  } catch (e) {
    for (const n of built) coll.indexes.delete(n);
    throw e;
  }
  for (const spec of unbuilt) {
    coll.indexes.delete(spec.name);
    coll.addIndex(spec);
  }
  if (built.length > 0 || unbuilt.length > 0) ctx.ops.push(coll.metaOp());
  const reply: Doc = {
    numIndexesBefore: new Int32(before),
    numIndexesAfter: new Int32(coll.indexes.size),
    createdCollectionAutomatically: !existed,
  };
  if (built.length === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

export const listIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'listIndexes');
  const coll = ctx.server.catalog.get(ctx.db, name);
  if (!coll) throw new MongoServerError(26, `ns does not exist: ${ctx.db}.${name}`);
  const ns = `${ctx.db}.${name}`;
  const specs = [...coll.indexes.values()].map((i) => i.spec as Doc);
  const batchSize =
    isPlainObject(cmd.cursor) && typeof cmd.cursor.batchSize === 'number' ? cmd.cursor.batchSize : undefined;
  const { id, batch } = ctx.server.cursors.firstBatch(ns, specs, batchSize);
  return { cursor: { id, ns, firstBatch: batch }, ok: 1 };
};

export const dropIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0]);
  const coll = ctx.server.catalog.get(ctx.db, name);
  if (!coll) throw new MongoServerError(26, `ns not found ${ctx.db}.${name}`);
  const before = coll.indexes.size;
  const which = cmd.index;
  let names: string[];
  if (which === '*') names = [...coll.indexes.keys()].filter((n) => n !== '_id_');
  else if (typeof which === 'string') names = [which];
  else if (Array.isArray(which)) names = which.map(String);
  else if (isPlainObject(which)) {
    const found = [...coll.indexes.values()].find((i) => canonicalKey(i.spec.key) === canonicalKey(which));
    if (!found) throw new MongoServerError(27, `can't find index with key: ${formatValue(which)}`);
    names = [found.name];
  } else throw new MongoServerError(14, 'index must be a string, an array of names or a key pattern');
  for (const n of names) {
    if (n === '_id_') throw new MongoServerError(72, 'cannot drop _id index');
    if (!coll.indexes.has(n)) throw new MongoServerError(27, `index not found with name [${n}]`);
  }
  for (const n of names) coll.indexes.delete(n);
  ctx.ops.push(coll.metaOp());
  return { nIndexesWas: new Int32(before), ok: 1 };
};
