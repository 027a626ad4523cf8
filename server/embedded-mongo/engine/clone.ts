import { Binary } from 'bson';
import { bsonTag, type Doc, type Value } from './bson-values';
import { setOwn } from './own';

/**
 * Deep copy that keeps BSON types. Stored documents are never handed out or taken in by
 * reference: a caller mutating a result (or the decoded command) must not touch storage.
 * Immutable BSON wrappers (ObjectId, Long, Int32, Decimal128, …) are shared safely.
 */
export function cloneValue<T extends Value>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  const tag = bsonTag(v);
  if (tag === 'Binary') {
    const b = v as unknown as Binary;
    return new Binary(Buffer.from(b.buffer.subarray(0, b.position)), b.sub_type) as unknown as T;
  }
  if (tag !== undefined || v instanceof RegExp) return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) setOwn(out, k, cloneValue((v as Doc)[k]));
  return out as T;
}

export function cloneDoc(d: Doc): Doc {
  return cloneValue(d);
}
