import type { Document } from 'bson';

/**
 * The contract between the embedded server's engine and its durable storage. Documents and
 * index entries live in storage and are read on demand; the engine keeps only the catalog
 * (collection metadata), a bounded cache of decoded documents and an overlay of changes whose
 * commit is still in flight. The engine is the only writer.
 */

/** An index as listIndexes shows it: { v: 2, key, name, unique?, sparse?, partialFilterExpression?, expireAfterSeconds? }. */
export type IndexSpec = Document & { key: Document; name: string };

export interface CollectionMeta {
  db: string;
  name: string;
  /** Options given to create (capped, validator, …), stored as given. */
  options: Document;
  indexes: IndexSpec[];
  /** Storage's number for each secondary index (by name): the prefix of its entries. */
  indexIds?: Record<string, number>;
}

/**
 * One index entry: `key` is the index's 4-byte id, the order-preserving encoding of the key
 * (engine/key-encoding.ts), the document key's bytes and their length (u16), so that entries
 * are unique and sorted by key then document. Entries have no value.
 */
export interface IndexEntryOp {
  op: 'indexPut' | 'indexDelete';
  key: Buffer;
}

/**
 * One change. `key` is the engine's key for the document's _id: the latin1 string of the _id's
 * order-preserving encoding, so equal _ids (Int32 1, Double 1) have the same key and documents
 * are stored in _id order. `index` lists the index entries the change adds and removes.
 */
export type StorageOp =
  | { op: 'put'; db: string; coll: string; key: string; doc: Document; index?: IndexEntryOp[] }
  | { op: 'delete'; db: string; coll: string; key: string; index?: IndexEntryOp[] }
  /** Also drops the entries of any index id the stored metadata had and `meta` no longer has. */
  | { op: 'putMeta'; meta: CollectionMeta; index?: IndexEntryOp[] }
  /** Removes the collection's metadata, every document in it and its index entries. */
  | { op: 'dropCollection'; db: string; coll: string }
  /** Moves metadata and documents to a new namespace (index entries stay: they are keyed by index id). */
  | { op: 'renameCollection'; db: string; coll: string; toDb: string; toColl: string }
  /** Deletes the documents of the first storage format once they have been migrated. */
  | { op: 'clearLegacy' };

export interface StoredCollection {
  meta: CollectionMeta;
  /** How many documents it holds (kept by storage, not counted at start). */
  count: number;
}

/** A consistent view of everything stored at one instant, for online backups. */
export interface StorageSnapshot {
  collections(): Iterable<{ meta: CollectionMeta; documents(): Iterable<Document> }>;
  /** Ends the read transaction; iterating afterwards throws. */
  close(): void;
}

export interface Storage {
  /** The catalog: metadata and counts of every collection, without reading documents. */
  collections(): StoredCollection[];
  /** The stored BSON of one document (a copy the caller may keep), or undefined. */
  documentBytes(db: string, coll: string, key: string): Buffer | undefined;
  /** Stored documents whose keys lie in [start, end) (undefined = unbounded), in key order or reversed. */
  documents(
    db: string,
    coll: string,
    range: { start?: string; end?: string; reverse?: boolean },
  ): Iterable<{ key: string; bytes: Buffer }>;
  /** Stored index entry keys in [start, end), in order or reversed. Valid only until the next call. */
  indexEntries(start: Buffer, end: Buffer, reverse: boolean): Iterable<Buffer>;
  /**
   * Applies the ops atomically, in order: after a crash either all of them are on disk or
   * none. Resolves only once they are durable (synced to disk). Calls made while a commit
   * is in flight may be grouped into one disk transaction, but each call stays all-or-nothing.
   */
  commit(ops: StorageOp[]): Promise<void>;
  /** Registers a function called with each call's ops once they are durable, before commit() resolves. */
  onCommitted(listener: (ops: StorageOp[]) => void): void;
  snapshot(): StorageSnapshot;
  /** Documents in the first storage format (keyed by canonical _id string), if any are left to migrate. */
  legacyDocuments?(): Iterable<{ db: string; coll: string; doc: Document }> | undefined;
  /**
   * How the memory map is kept within its budget (see openStorage's `mapBudgetBytes`), and how
   * many pages were read with pread instead (`pageReads`; branch pages kept: `cachedBranches`).
   */
  mapping(): { budgetBytes: number; remaps: number; pageReads: number; cachedBranches: number };
  /** Flushes and closes; further commits reject. */
  close(): Promise<void>;
}
