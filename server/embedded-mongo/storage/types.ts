import type { Document } from 'bson';

/**
 * The contract between the embedded server's in-memory engine and its durable storage.
 * The engine keeps every collection in memory (documents and indexes) and is the only
 * writer; storage keeps a durable copy so that a restart (or a kill -9) loses nothing
 * that was acknowledged.
 */

/** An index as listIndexes shows it: { v: 2, key, name, unique?, sparse?, partialFilterExpression?, expireAfterSeconds? }. */
export type IndexSpec = Document & { key: Document; name: string };

export interface CollectionMeta {
  db: string;
  name: string;
  /** Options given to create (capped, validator, …), stored as given. */
  options: Document;
  indexes: IndexSpec[];
}

/**
 * One change. `key` is the engine's canonical string for the document's _id (equal _ids,
 * e.g. Int32 1 and Double 1, have the same key); storage treats it as opaque.
 */
export type StorageOp =
  | { op: 'put'; db: string; coll: string; key: string; doc: Document }
  | { op: 'delete'; db: string; coll: string; key: string }
  | { op: 'putMeta'; meta: CollectionMeta }
  /** Removes the collection's metadata and every document in it. */
  | { op: 'dropCollection'; db: string; coll: string };

export interface StoredCollection {
  meta: CollectionMeta;
  /** Every stored document of the collection with its key, in no particular order. */
  documents(): Iterable<{ key: string; doc: Document }>;
}

/** A consistent view of everything stored at one instant, for online backups. */
export interface StorageSnapshot {
  collections(): Iterable<{ meta: CollectionMeta; documents(): Iterable<Document> }>;
  /** Ends the read transaction; iterating afterwards throws. */
  close(): void;
}

export interface Storage {
  /** What is stored, for loading into memory at start. */
  load(): StoredCollection[];
  /**
   * Applies the ops atomically, in order: after a crash either all of them are on disk or
   * none. Resolves only once they are durable (synced to disk). Calls made while a commit
   * is in flight may be grouped into one disk transaction, but each call stays all-or-nothing.
   */
  commit(ops: StorageOp[]): Promise<void>;
  /** A read-only snapshot of the committed state; close it when done (it pins old pages). */
  snapshot(): StorageSnapshot;
  /** Flushes and closes; further commits reject. */
  close(): Promise<void>;
}
