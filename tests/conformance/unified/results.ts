// Driver result objects → the plain documents the spec's expectResult describes.
import type { Doc } from './bson-values';

function pick(source: object, keys: readonly string[]): Doc {
  const record = source as Record<string, unknown>;
  const out: Doc = {};
  for (const key of keys) {
    const value = record[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

/** Write results (insert/update/delete/bulk): null `upsertedId` means "not upserted", i.e. absent. */
export function writeResult(result: unknown): unknown {
  if (result === undefined || result === null || typeof result !== 'object') return result;
  return pick(result, [
    'acknowledged',
    'insertedId',
    'insertedIds',
    'insertedCount',
    'matchedCount',
    'modifiedCount',
    'deletedCount',
    'upsertedCount',
    'upsertedId',
    'upsertedIds',
  ]);
}

function mapToDocument(value: unknown, convert: (entry: unknown) => unknown): unknown {
  if (!(value instanceof Map)) return value;
  const out: Doc = {};
  for (const [key, entry] of value) out[String(key)] = convert(entry);
  return out;
}

/** MongoClient.bulkWrite result: verbose per-model maps become documents keyed by model index. */
export function clientBulkWriteResult(result: unknown): unknown {
  if (result === undefined || result === null || typeof result !== 'object') return result;
  const out = pick(result, [
    'acknowledged',
    'insertedCount',
    'upsertedCount',
    'matchedCount',
    'modifiedCount',
    'deletedCount',
  ]);
  const record = result as Record<string, unknown>;
  for (const key of ['insertResults', 'updateResults', 'deleteResults']) {
    if (record[key] !== undefined) out[key] = mapToDocument(record[key], writeResult);
  }
  return out;
}

/** Values saved with saveResultAsEntity or matched directly: maps and model objects as documents. */
export function plainResult(result: unknown): unknown {
  if (result instanceof Map) return mapToDocument(result, plainResult);
  if (Array.isArray(result)) return result.map(plainResult);
  return result;
}
