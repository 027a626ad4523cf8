import { open, type Database, type RootDatabase, type Transaction } from 'lmdb';
import { deserialize, serialize, type DeserializeOptions, type Document } from 'bson';
import { acquireDirLock } from './dir-lock';
import type { CollectionMeta, Storage, StorageOp, StorageSnapshot, StoredCollection } from './types';

/**
 * Durable storage on LMDB (lmdb-js).
 *
 * Layout: one LMDB environment in `dir` with two named databases, both with raw byte keys
 * (compared with memcmp) and BSON values:
 *   docs  key = utf8(db) 0x00 utf8(coll) 0x00 utf8(key)   value = the document as BSON
 *   meta  key = utf8(db) 0x00 utf8(coll)                 value = CollectionMeta as BSON
 * Database and collection names cannot contain NUL, so a collection's documents are exactly
 * the keys in [db 0x00 coll 0x00, db 0x00 coll 0x01): dropCollection and load() walk ranges.
 * A lock file (dir-lock.ts) keeps a second live process from opening the same directory.
 *
 * Durability: overlappingSync is off, so lmdb-js begins its write transactions without
 * MDB_NOSYNC and mdb_txn_commit fdatasyncs before the commit promise resolves (with
 * overlappingSync on, the promise resolves at commit and the sync happens later). noSync and
 * noMetaSync are off. Each commit() is one child transaction inside lmdb-js's batched write
 * transaction: concurrent calls share one LMDB transaction and one sync (group commit), and a
 * call whose callback fails is rolled back alone.
 */

/**
 * How stored BSON is read back: every BSON type keeps its own class (Int32, Double, Long,
 * Decimal128, BSONRegExp, BSONSymbol, Binary …) so that a document handed to commit() in that
 * form comes back type-exact. These are the options the server decodes the wire with
 * (protocol/bson-codec.ts), so a document reloaded after a restart is what the client sent.
 */
export const STORAGE_DESERIALIZE_OPTIONS: DeserializeOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
};

/** lmdb-js's key limit with its default page size (DEFAULT_MAX_KEY_SIZE in lmdb-js's open.js). */
const MAX_KEY_BYTES = 1978;
const SEPARATOR = 0x00;
const AFTER_SEPARATOR = 0x01;

type PreparedOp =
  | { op: 'put'; key: Buffer; value: Buffer }
  | { op: 'delete'; key: Buffer }
  | { op: 'putMeta'; key: Buffer; value: Buffer }
  | { op: 'dropCollection'; metaKey: Buffer; docsStart: Buffer; docsEnd: Buffer };

function collectionPrefix(db: string, coll: string): Buffer {
  return Buffer.concat([Buffer.from(db, 'utf8'), Buffer.from([SEPARATOR]), Buffer.from(coll, 'utf8')]);
}

function documentsRange(db: string, coll: string): { start: Buffer; end: Buffer } {
  const prefix = collectionPrefix(db, coll);
  return {
    start: Buffer.concat([prefix, Buffer.from([SEPARATOR])]),
    end: Buffer.concat([prefix, Buffer.from([AFTER_SEPARATOR])]),
  };
}

function documentKey(db: string, coll: string, key: string): Buffer {
  return Buffer.concat([documentsRange(db, coll).start, Buffer.from(key, 'utf8')]);
}

/** Splits a docs key into (db, coll, key); the document key itself may contain NUL. */
function parseDocumentKey(raw: Buffer): { db: string; coll: string; key: string } {
  const first = raw.indexOf(SEPARATOR);
  const second = raw.indexOf(SEPARATOR, first + 1);
  if (first < 0 || second < 0) throw new Error(`malformed document key in storage: ${raw.toString('hex')}`);
  return {
    db: raw.subarray(0, first).toString('utf8'),
    coll: raw.subarray(first + 1, second).toString('utf8'),
    key: raw.subarray(second + 1).toString('utf8'),
  };
}

function assertName(kind: string, name: string): void {
  if (name.length === 0 || name.includes('\u0000')) {
    throw new Error(`invalid ${kind} name for storage: ${JSON.stringify(name)}`);
  }
}

/** Fields set to undefined are left out, as the server's wire encoder does: after a restart they stay absent. */
function encodeDocument(doc: Document): Buffer {
  return Buffer.from(serialize(doc, { checkKeys: false, ignoreUndefined: true, serializeFunctions: false }));
}

function decodeDocument(bytes: Buffer): Document {
  return deserialize(bytes, STORAGE_DESERIALIZE_OPTIONS);
}

function decodeMeta(bytes: Buffer): CollectionMeta {
  const raw = decodeDocument(bytes);
  const { db, name, options, indexes } = raw;
  if (typeof db !== 'string' || typeof name !== 'string' || !Array.isArray(indexes)) {
    throw new Error('malformed collection metadata in storage');
  }
  return { db, name, options: (options ?? {}) as Document, indexes: indexes as CollectionMeta['indexes'] };
}

function openDatabases(dir: string): {
  root: RootDatabase;
  docs: Database<Buffer, Buffer>;
  meta: Database<Buffer, Buffer>;
} {
  const root: RootDatabase = open({
    path: dir,
    maxDbs: 4,
    // The durability guarantee rests on these three: see the header comment.
    noSync: false,
    noMetaSync: false,
    overlappingSync: false,
  });
  try {
    return {
      root,
      docs: root.openDB<Buffer, Buffer>('docs', { keyEncoding: 'binary', encoding: 'binary' }),
      meta: root.openDB<Buffer, Buffer>('meta', { keyEncoding: 'binary', encoding: 'binary' }),
    };
  } catch (error) {
    void root.close();
    throw error;
  }
}

/** Opens (creating if needed) the storage in `dir`; fails if another live process has it open. */
export async function openStorage(dir: string): Promise<Storage> {
  const lock = await acquireDirLock(dir);
  let databases: ReturnType<typeof openDatabases>;
  try {
    databases = openDatabases(dir);
  } catch (error) {
    lock.release();
    throw error;
  }
  const { root, docs, meta } = databases;

  let closed = false;
  const inFlight = new Set<Promise<void>>();

  /** Everything that can fail for one op (names, key size, serialization) fails here, before anything is queued. */
  function prepare(op: StorageOp): PreparedOp {
    switch (op.op) {
      case 'put':
      case 'delete': {
        assertName('database', op.db);
        assertName('collection', op.coll);
        const key = documentKey(op.db, op.coll, op.key);
        if (key.length > MAX_KEY_BYTES) {
          throw new Error(`document key too long for storage (${key.length} bytes, at most ${MAX_KEY_BYTES})`);
        }
        return op.op === 'put' ? { op: 'put', key, value: encodeDocument(op.doc) } : { op: 'delete', key };
      }
      case 'putMeta': {
        assertName('database', op.meta.db);
        assertName('collection', op.meta.name);
        const { db, name, options, indexes } = op.meta;
        return {
          op: 'putMeta',
          key: collectionPrefix(db, name),
          value: encodeDocument({ db, name, options, indexes }),
        };
      }
      case 'dropCollection': {
        assertName('database', op.db);
        assertName('collection', op.coll);
        const range = documentsRange(op.db, op.coll);
        return {
          op: 'dropCollection',
          metaKey: collectionPrefix(op.db, op.coll),
          docsStart: range.start,
          docsEnd: range.end,
        };
      }
    }
  }

  /** Runs inside the write transaction, so it sees every earlier commit, committed or not. */
  function apply(op: PreparedOp): void {
    switch (op.op) {
      case 'put':
        docs.putSync(op.key, op.value);
        return;
      case 'delete':
        docs.removeSync(op.key);
        return;
      case 'putMeta':
        meta.putSync(op.key, op.value);
        return;
      case 'dropCollection': {
        const keys = Array.from(docs.getKeys({ start: op.docsStart, end: op.docsEnd }));
        for (const key of keys) docs.removeSync(key);
        meta.removeSync(op.metaKey);
        return;
      }
    }
  }

  async function commit(ops: StorageOp[]): Promise<void> {
    if (closed) throw new Error('storage is closed');
    const prepared = ops.map(prepare);
    if (prepared.length === 0) return;
    const done = root.childTransaction(() => {
      for (const op of prepared) apply(op);
    });
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    try {
      await done;
    } finally {
      inFlight.delete(tracked);
    }
  }

  function documentsOf(
    db: string,
    coll: string,
    transaction: Transaction | undefined,
  ): Iterable<{ key: string; doc: Document }> {
    const range = documentsRange(db, coll);
    return {
      *[Symbol.iterator]() {
        for (const { key, value } of docs.getRange({ start: range.start, end: range.end, transaction })) {
          yield { key: parseDocumentKey(key).key, doc: decodeDocument(value) };
        }
      },
    };
  }

  function load(): StoredCollection[] {
    return collectionsIn(undefined);
  }

  /** Every collection with its metadata, read in `transaction` (the latest state when undefined). */
  function collectionsIn(transaction: Transaction | undefined): StoredCollection[] {
    const metas = new Map<string, CollectionMeta>();
    for (const { value } of meta.getRange({ transaction })) {
      const m = decodeMeta(value);
      metas.set(collectionPrefix(m.db, m.name).toString('hex'), m);
    }
    // Collections that have documents but no metadata (the engine normally writes meta first)
    // are still returned, with empty options and no index specs: skip from collection to collection.
    let start: Buffer | undefined;
    for (;;) {
      let first: Buffer | undefined;
      for (const key of docs.getKeys(start ? { start, limit: 1, transaction } : { limit: 1, transaction })) first = key;
      if (!first) break;
      const { db, coll } = parseDocumentKey(first);
      const id = collectionPrefix(db, coll).toString('hex');
      if (!metas.has(id)) metas.set(id, { db, name: coll, options: {}, indexes: [] });
      start = documentsRange(db, coll).end;
    }
    return Array.from(metas.values(), (m) => ({ meta: m, documents: () => documentsOf(m.db, m.name, transaction) }));
  }

  /** One LMDB read transaction: every commit before it, none after, however long the reader takes. */
  function snapshot(): StorageSnapshot {
    if (closed) throw new Error('storage is closed');
    const transaction = root.useReadTransaction();
    let open = true;
    const collections = collectionsIn(transaction);
    return {
      *collections() {
        for (const c of collections) {
          if (!open) throw new Error('snapshot is closed');
          yield {
            meta: c.meta,
            *documents() {
              for (const { doc } of c.documents()) {
                if (!open) throw new Error('snapshot is closed');
                yield doc;
              }
            },
          };
        }
      },
      close() {
        if (!open) return;
        open = false;
        transaction.done();
      },
    };
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await Promise.all(inFlight);
    try {
      await root.close();
    } finally {
      lock.release();
    }
  }

  return { load, commit, snapshot, close };
}
