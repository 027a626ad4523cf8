import type { Doc } from './bson-values';

/**
 * Marks the documents a collection holds (or held). Stored documents are never mutated (an
 * update stores a new object), so anything derived from one, such as its BSON bytes, may be
 * cached on the object itself. Other objects in replies (projections, aggregation results,
 * index specs that collMod edits in place) are not marked and must not be cached.
 *
 * The mark is a non-enumerable symbol property: Object.keys/entries, for…in, spread, the
 * BSON encoder and cloneValue do not see it, and it is cheaper to read than a WeakMap entry.
 */
export interface StoredCache {
  bytes?: Buffer;
}

const STORED = Symbol('freshlink.storedDocument');

export function markStored(doc: Doc): void {
  if (!Object.prototype.hasOwnProperty.call(doc, STORED))
    Object.defineProperty(doc, STORED, { value: {} satisfies StoredCache });
}

/** The cache of a stored document, or undefined if `doc` is not one. */
export function storedCache(doc: Doc): StoredCache | undefined {
  return (doc as { [STORED]?: StoredCache })[STORED];
}
