import { open, type Database, type RootDatabase, type Transaction } from 'lmdb';
import { deserialize, serialize, type DeserializeOptions, type Document } from 'bson';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { acquireDirLock } from './dir-lock';
import { isCorrupt, PageReader, treeRootOf, type TreeRoot } from './page-reader';
import type { CollectionMeta, IndexEntryOp, Storage, StorageOp, StorageSnapshot, StoredCollection } from './types';

/**
 * Durable storage on LMDB (lmdb-js). Nothing is loaded at start but the catalog: documents
 * and index entries are read from the memory map on demand.
 *
 * Layout: one LMDB environment in `dir` with these named databases, all with raw byte keys
 * (compared with memcmp):
 *   documents  key = utf8(db) 00 utf8(coll) 00 idBytes    value = the document as BSON
 *   index      key = u32 indexId, encoded key, idBytes, u16 length of idBytes    value = empty
 *   meta       key = utf8(db) 00 utf8(coll)                value = CollectionMeta as BSON
 *   counts     key = as meta                                 value = document count (f64 BE)
 * idBytes is the order-preserving encoding of the _id (engine/key-encoding.ts), so documents
 * are clustered by _id: the documents database is the _id index. Each secondary index is the
 * key range of its id in `index` (a sub-database by prefix: dropping it deletes the range).
 * Database and collection names cannot contain NUL, so a collection's documents are exactly
 * the keys in [db 00 coll 00, db 00 coll 01). A lock file (dir-lock.ts) keeps a second live
 * process from opening the same directory.
 *
 * Durability: overlappingSync is off, so lmdb-js begins its write transactions without
 * MDB_NOSYNC and mdb_txn_commit fdatasyncs before the commit promise resolves. noSync and
 * noMetaSync are off. Each commit() is one child transaction inside lmdb-js's batched write
 * transaction: concurrent calls share one LMDB transaction and one sync (group commit), and a
 * call whose callback fails is rolled back alone.
 */

/**
 * How stored BSON is read back: every BSON type keeps its own class (Int32, Double, Long,
 * Decimal128, BSONRegExp, BSONSymbol, Binary …) so that a document handed to commit() in that
 * form comes back type-exact. These are the options the server decodes the wire with
 * (protocol/bson-codec.ts), so a document read back is what the client sent.
 */
export const STORAGE_DESERIALIZE_OPTIONS: DeserializeOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
};

/** lmdb-js's key limit with its default page size (DEFAULT_MAX_KEY_SIZE in lmdb-js's open.js). */
export const MAX_KEY_BYTES = 1978;
const SEPARATOR = 0x00;
const AFTER_SEPARATOR = 0x01;
/** Range deletions work in slices, so dropping a large collection never lists all its keys at once. */
const DELETE_SLICE = 10_000;

function collectionPrefix(db: string, coll: string): Buffer {
  return Buffer.concat([Buffer.from(db, 'utf8'), Buffer.from([SEPARATOR]), Buffer.from(coll, 'utf8')]);
}

const rangeCache = new Map<string, { start: Buffer; end: Buffer }>();

/** A collection's document keys: [db 00 coll 00, db 00 coll 01) (remembered: every read needs it). */
function documentsRange(db: string, coll: string): { start: Buffer; end: Buffer } {
  const id = `${db}\u0000${coll}`;
  const known = rangeCache.get(id);
  if (known) return known;
  const prefix = collectionPrefix(db, coll);
  const range = {
    start: Buffer.concat([prefix, Buffer.from([SEPARATOR])]),
    end: Buffer.concat([prefix, Buffer.from([AFTER_SEPARATOR])]),
  };
  // Bounded: namespaces come and go in tests; a real deployment has a few dozen.
  if (rangeCache.size >= 10_000) rangeCache.clear();
  rangeCache.set(id, range);
  return range;
}

/** The byte length of a collection's document-key prefix. */
export function documentPrefixLength(db: string, coll: string): number {
  return Buffer.byteLength(db, 'utf8') + Buffer.byteLength(coll, 'utf8') + 2;
}

function documentKey(start: Buffer, key: string): Buffer {
  const out = Buffer.allocUnsafe(start.length + key.length);
  start.copy(out, 0);
  out.write(key, start.length, 'latin1');
  return out;
}

/** Index entries of index `id`: [u32 id, u32 id + 1). */
function indexRange(id: number): { start: Buffer; end: Buffer } {
  const start = Buffer.alloc(4);
  start.writeUInt32BE(id, 0);
  const end = Buffer.alloc(4);
  end.writeUInt32BE(id + 1, 0);
  return { start, end };
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
  const { db, name, options, indexes, indexIds } = raw;
  if (typeof db !== 'string' || typeof name !== 'string' || !Array.isArray(indexes)) {
    throw new Error('malformed collection metadata in storage');
  }
  const meta: CollectionMeta = {
    db,
    name,
    options: (options ?? {}) as Document,
    indexes: indexes as CollectionMeta['indexes'],
  };
  if (indexIds !== null && typeof indexIds === 'object') {
    meta.indexIds = {};
    for (const [k, v] of Object.entries(indexIds as Document)) meta.indexIds[k] = Number(v);
  }
  return meta;
}

function encodeMeta(meta: CollectionMeta): Buffer {
  const { db, name, options, indexes, indexIds } = meta;
  return encodeDocument(indexIds ? { db, name, options, indexes, indexIds } : { db, name, options, indexes });
}

function encodeCount(n: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeDoubleBE(n, 0);
  return b;
}

interface Databases {
  root: RootDatabase;
  /** The first format's documents (key db 00 coll 00 canonical-_id string), migrated at start. */
  legacy: Database<Buffer, Buffer>;
  docs: Database<Buffer, Buffer>;
  index: Database<Buffer, Buffer>;
  meta: Database<Buffer, Buffer>;
  counts: Database<Buffer, Buffer>;
}

function openDatabases(dir: string): Databases {
  const root: RootDatabase = open({
    path: dir,
    maxDbs: 8,
    // The durability guarantee rests on these three: see the header comment.
    noSync: false,
    noMetaSync: false,
    overlappingSync: false,
    // Lookups are random: read-ahead would fault neighbouring pages into the map (and RSS) for nothing.
    ...({ noReadAhead: true } as object),
  });
  try {
    const raw = { keyEncoding: 'binary', encoding: 'binary' } as const;
    return {
      root,
      legacy: root.openDB<Buffer, Buffer>('docs', raw),
      docs: root.openDB<Buffer, Buffer>('documents', raw),
      index: root.openDB<Buffer, Buffer>('index', raw),
      meta: root.openDB<Buffer, Buffer>('meta', raw),
      counts: root.openDB<Buffer, Buffer>('counts', raw),
    };
  } catch (error) {
    void root.close();
    throw error;
  }
}

export interface StorageOptions {
  /**
   * How many bytes of the data file may stay mapped into this process (they count in its RSS)
   * before the map is dropped and reopened; 0 = no limit. Default DEFAULT_MAP_BUDGET_BYTES.
   */
  mapBudgetBytes?: number;
  /** Reads between two looks at the mapped size (default READS_PER_MAP_CHECK). */
  readsPerMapCheck?: number;
  /**
   * Read documents and index entries through the memory map (lmdb-js) rather than with pread
   * (page-reader.ts). Default false; the map is what the budget above governs, and what tests of
   * that budget read through.
   */
  readThroughMap?: boolean;
}

/** 128 MB: with the 64 MB document cache, a 2 M-document store serves within ~300 MB RSS. */
const DEFAULT_MAP_BUDGET_BYTES = 128 * 1024 * 1024;
/** Reads between two looks at the mapped size: each read maps at most ~64 KB (the kernel's fault-around). */
const READS_PER_MAP_CHECK = 1024;
const MAP_CHECK_INTERVAL_MS = 1000;

/**
 * File-backed resident memory of this process (RssFile in /proc/self/status), or undefined where
 * the kernel does not say (not Linux). The LMDB map is most of it; the rest (node's own code)
 * is counted in the baseline taken after each (re)open.
 */
function fileResidentBytes(): number | undefined {
  try {
    const match = /RssFile:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Entries read in the first slice of a range; later slices grow ×4 up to the maximum. */
const FIRST_SLICE = 16;
const MAX_SLICE = 1024;
const ZERO_BYTE = Buffer.from([0]);
/** Branch pages kept by the page reader: 4,096 × 4 KB = 16 MB covers the branches of ~6 M documents and their indexes. */
const MAX_CACHED_BRANCHES = 4096;
const TREE_NAMES = { documents: Buffer.from('documents\0'), index: Buffer.from('index\0') } as const;

/**
 * Point reads and index walks through pread (page-reader.ts) instead of the memory map, and
 * when they are safe. LMDB frees a page of an old snapshot for reuse only once no reader holds
 * that snapshot, and this process is the only writer (dir-lock.ts). So:
 * - while no commit is in flight, the file's trees cannot change: their roots are remembered
 *   and branch pages are cached;
 * - while one is, each read asks lmdb-js for the tree's root in its current read transaction
 *   (which it holds until a later turn of the event loop, so for the whole synchronous read)
 *   and caches nothing; the cache is emptied when the first commit starts.
 * If the file ever reads in a way the reader does not expect (another LMDB build), it says so
 * once and every later read goes through lmdb-js.
 */
interface PageReads {
  reader: PageReader;
  usable(): boolean;
  /** A named tree's root, read from the main tree's record of it (a Buffer key is read as its bytes). */
  root(main: RootDatabase, name: keyof typeof TREE_NAMES): TreeRoot;
  writeStarts(): void;
  writeEnds(): void;
  failed(error: unknown): void;
}

function openPageReads(dir: string, root: RootDatabase): PageReads | undefined {
  // The reader knows LMDB's 64-bit little-endian layout only.
  if (endianness() !== 'LE' || !['x64', 'arm64', 'ppc64', 'riscv64', 's390x', 'loong64'].includes(process.arch)) {
    return undefined;
  }
  const stats = root.getStats() as { pageSize?: number };
  const reader = new PageReader(join(dir, 'data.mdb'), stats.pageSize ?? 4096, MAX_CACHED_BRANCHES);
  reader.setCaching(true);
  let writing = 0;
  let broken = false;
  const stable = new Map<string, TreeRoot>();
  return {
    reader,
    usable: () => !broken,
    root(main, name) {
      if (writing > 0) return treeRootOf(main.getBinary(TREE_NAMES[name]));
      const known = stable.get(name);
      if (known) return known;
      const found = treeRootOf(main.getBinary(TREE_NAMES[name]));
      stable.set(name, found);
      return found;
    },
    writeStarts() {
      if (writing++ > 0) return;
      stable.clear();
      reader.setCaching(false);
    },
    writeEnds() {
      if (--writing === 0) reader.setCaching(true);
    },
    failed(error) {
      if (!isCorrupt(error)) throw error;
      if (!broken) console.warn(`embedded-mongo: reading with pread turned off: ${(error as Error).message}`);
      broken = true;
      reader.setCaching(false);
    },
  };
}

/** Opens (creating if needed) the storage in `dir`; fails if another live process has it open. */
export async function openStorage(dir: string, options: StorageOptions = {}): Promise<Storage> {
  const lock = await acquireDirLock(dir);
  let databases: Databases | undefined;
  let reads: PageReads | undefined;
  try {
    databases = openDatabases(dir);
    reads = options.readThroughMap === true ? undefined : openPageReads(dir, databases.root);
  } catch (error) {
    void databases?.root.close();
    lock.release();
    throw error;
  }
  // Reassigned when the map is dropped and reopened (remap below); every use reads them afresh.
  let { root, legacy, docs, index, meta, counts } = databases;

  let closed = false;
  const inFlight = new Set<Promise<void>>();
  const listeners: Array<(ops: StorageOp[]) => void> = [];

  /*
   * The memory map's budget. Every page of data.mdb a read touches stays mapped (and counts in RSS:
   * the kernel maps ~64 KB around each fault) until the map is closed, so a long-running server
   * over a large store would end up with the whole file resident. When the mapped bytes exceed the
   * budget, new commits wait, and once none is in flight, no snapshot is open and no iteration is
   * suspended, the environment is closed and reopened (about a millisecond): the pages stay in
   * the OS page cache, the process maps them again as it reads them. This runs in its own turn of
   * the event loop (setImmediate), where no command is half-way through reading.
   */
  const budget = options.mapBudgetBytes ?? DEFAULT_MAP_BUDGET_BYTES;
  if (!Number.isFinite(budget) || budget < 0) throw new Error(`mapBudgetBytes must be >= 0, got ${budget}`);
  const readsPerCheck = Math.max(1, options.readsPerMapCheck ?? READS_PER_MAP_CHECK);
  let baseline = fileResidentBytes() ?? 0;
  let readsSinceCheck = 0;
  let suspendedIterations = 0;
  let openSnapshots = 0;
  let remaps = 0;
  let remapping = false;
  /** Set when the map could not be reopened: the reason every later read and commit fails with. */
  let unusable: string | undefined;
  let checkQueued = false;
  /** Set while a remap is wanted: commits wait for it. */
  let gate: { promise: Promise<void>; open: () => void } | undefined;

  function noteRead(): void {
    if (budget === 0 || ++readsSinceCheck < readsPerCheck) return;
    readsSinceCheck = 0;
    queueMapCheck();
  }

  function queueMapCheck(): void {
    if (budget === 0 || checkQueued || closed) return;
    checkQueued = true;
    setImmediate(() => {
      checkQueued = false;
      checkMap();
    });
  }

  function checkMap(): void {
    if (closed || remapping || unusable) return;
    if (!gate) {
      const mapped = fileResidentBytes();
      if (mapped === undefined || mapped - baseline <= budget) return;
      let open = (): void => undefined;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
    }
    // A backup holding a snapshot (or a caller holding an iterator) may take long: do not keep
    // commits waiting for it; look again later.
    if (openSnapshots > 0 || suspendedIterations > 0) return openGate();
    if (inFlight.size > 0) return; // the last commit to settle queues the next look
    remapping = true;
    const old = root;
    // Nothing is written (no commit in flight), so close settles in microtasks, before any command runs.
    // A map that cannot be reopened leaves no storage to serve from: every later read and commit fails
    // with the reason (fail-stop, as after a failed commit), rather than waiting at the gate for ever.
    const reopen = (): void => {
      ({ root, legacy, docs, index, meta, counts } = openDatabases(dir));
      remaps++;
      baseline = fileResidentBytes() ?? baseline;
    };
    const fail = (error: unknown): void => {
      unusable = `storage could not reopen its memory map: ${error instanceof Error ? error.message : String(error)}`;
    };
    old
      .close()
      .then(reopen)
      .catch(fail)
      .finally(() => {
        remapping = false;
        openGate();
      });
  }

  function openGate(): void {
    const waiting = gate;
    gate = undefined;
    waiting?.open();
  }

  function assertMapped(): void {
    if (unusable) throw new Error(unusable);
    if (remapping) throw new Error('storage read while its map is being reopened');
  }

  const mapTimer = budget === 0 ? undefined : setInterval(queueMapCheck, MAP_CHECK_INTERVAL_MS);
  mapTimer?.unref();

  function checkNames(db: string, coll: string): void {
    assertName('database', db);
    assertName('collection', coll);
  }

  function checkKeySize(key: number): void {
    if (key > MAX_KEY_BYTES) throw new Error(`key too long for storage (${key} bytes, at most ${MAX_KEY_BYTES})`);
  }

  /** Everything that can fail for one op (names, key sizes, serialization) fails here, before anything is queued. */
  function prepare(op: StorageOp): Buffer | undefined {
    switch (op.op) {
      case 'put':
      case 'delete':
        checkNames(op.db, op.coll);
        checkKeySize(documentPrefixLength(op.db, op.coll) + op.key.length);
        for (const e of op.index ?? []) checkKeySize(e.key.length);
        return op.op === 'put' ? encodeDocument(op.doc) : undefined;
      case 'dropCollection':
        checkNames(op.db, op.coll);
        return undefined;
      case 'clearLegacy':
        return undefined;
      case 'putMeta':
        checkNames(op.meta.db, op.meta.name);
        for (const e of op.index ?? []) checkKeySize(e.key.length);
        return encodeMeta(op.meta);
      case 'renameCollection':
        checkNames(op.db, op.coll);
        checkNames(op.toDb, op.toColl);
        return undefined;
    }
  }

  // Everything below runs inside the write transaction, so it sees every earlier commit.
  const countDeltas = new Map<string, { key: Buffer; delta: number }>();

  function addCount(db: string, coll: string, delta: number): void {
    const key = collectionPrefix(db, coll);
    const id = key.toString('latin1');
    const entry = countDeltas.get(id) ?? { key, delta: 0 };
    entry.delta += delta;
    countDeltas.set(id, entry);
  }

  function storedCount(key: Buffer): number {
    const raw = counts.get(key);
    return raw && raw.length === 8 ? raw.readDoubleBE(0) : 0;
  }

  function flushCounts(): void {
    for (const { key, delta } of countDeltas.values()) {
      if (delta !== 0) counts.putSync(key, encodeCount(storedCount(key) + delta));
    }
    countDeltas.clear();
  }

  function deleteRange(db: Database<Buffer, Buffer>, start: Buffer, end: Buffer): void {
    for (;;) {
      const keys = Array.from(db.getKeys({ start, end, limit: DELETE_SLICE }));
      for (const key of keys) db.removeSync(key);
      if (keys.length < DELETE_SLICE) return;
    }
  }

  function applyIndex(entries: IndexEntryOp[] | undefined): void {
    if (!entries) return;
    const empty = Buffer.alloc(0);
    for (const e of entries) {
      if (e.op === 'indexPut') index.putSync(e.key, empty);
      else index.removeSync(e.key);
    }
  }

  function storedMeta(key: Buffer): CollectionMeta | undefined {
    const raw = meta.get(key);
    return raw ? decodeMeta(raw) : undefined;
  }

  function dropIndexIds(ids: Iterable<number>): void {
    for (const id of ids) {
      const range = indexRange(id);
      deleteRange(index, range.start, range.end);
    }
  }

  function apply(op: StorageOp, encoded: Buffer | undefined): void {
    switch (op.op) {
      case 'put': {
        const key = documentKey(documentsRange(op.db, op.coll).start, op.key);
        if (!docs.doesExist(key)) addCount(op.db, op.coll, 1);
        docs.putSync(key, encoded ?? encodeDocument(op.doc));
        return applyIndex(op.index);
      }
      case 'delete': {
        const key = documentKey(documentsRange(op.db, op.coll).start, op.key);
        if (docs.removeSync(key)) addCount(op.db, op.coll, -1);
        return applyIndex(op.index);
      }
      case 'putMeta': {
        const key = collectionPrefix(op.meta.db, op.meta.name);
        const before = storedMeta(key);
        const kept = new Set(Object.values(op.meta.indexIds ?? {}));
        dropIndexIds(Object.values(before?.indexIds ?? {}).filter((id) => !kept.has(id)));
        meta.putSync(key, encoded ?? encodeMeta(op.meta));
        return applyIndex(op.index);
      }
      case 'dropCollection': {
        const key = collectionPrefix(op.db, op.coll);
        dropIndexIds(Object.values(storedMeta(key)?.indexIds ?? {}));
        const range = documentsRange(op.db, op.coll);
        deleteRange(docs, range.start, range.end);
        meta.removeSync(key);
        counts.removeSync(key);
        countDeltas.delete(key.toString('latin1'));
        return;
      }
      case 'clearLegacy':
        return deleteRange(legacy, Buffer.alloc(0), Buffer.from([0xff]));
      case 'renameCollection': {
        const from = documentsRange(op.db, op.coll);
        const to = documentsRange(op.toDb, op.toColl);
        for (;;) {
          const slice = Array.from(docs.getRange({ start: from.start, end: from.end, limit: DELETE_SLICE }));
          for (const { key, value } of slice) {
            docs.putSync(Buffer.concat([to.start, key.subarray(from.start.length)]), value);
            docs.removeSync(key);
          }
          if (slice.length < DELETE_SLICE) break;
        }
        const fromKey = collectionPrefix(op.db, op.coll);
        const toKey = collectionPrefix(op.toDb, op.toColl);
        const m = storedMeta(fromKey);
        if (m) meta.putSync(toKey, encodeMeta({ ...m, db: op.toDb, name: op.toColl }));
        meta.removeSync(fromKey);
        flushCounts();
        counts.putSync(toKey, encodeCount(storedCount(fromKey)));
        counts.removeSync(fromKey);
        return;
      }
    }
  }

  async function commit(ops: StorageOp[]): Promise<void> {
    if (closed) throw new Error('storage is closed');
    const encoded = ops.map(prepare);
    if (ops.length === 0) return;
    while (gate) await gate.promise;
    if (closed) throw new Error('storage is closed');
    if (unusable) throw new Error(unusable);
    reads?.writeStarts();
    let done: Promise<unknown>;
    try {
      done = root.childTransaction(() => {
        countDeltas.clear();
        ops.forEach((op, i) => apply(op, encoded[i]));
        flushCounts();
      });
    } catch (error) {
      reads?.writeEnds();
      throw error;
    }
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    try {
      await done;
      for (const listener of listeners) listener(ops);
    } finally {
      inFlight.delete(tracked);
      reads?.writeEnds();
      if (gate && inFlight.size === 0) queueMapCheck();
    }
  }

  /** Collections with metadata, and any with documents but none (the engine writes metadata first). */
  function collections(transaction?: Transaction): StoredCollection[] {
    const out = new Map<string, StoredCollection>();
    for (const { key, value } of meta.getRange({ transaction })) {
      out.set(key.toString('latin1'), { meta: decodeMeta(value), count: 0 });
    }
    for (const { key, value } of counts.getRange({ transaction })) {
      const count = value.length === 8 ? value.readDoubleBE(0) : 0;
      const known = out.get(key.toString('latin1'));
      if (known) known.count = count;
      else if (count > 0) {
        const at = key.indexOf(SEPARATOR);
        const db = key.toString('utf8', 0, at);
        const name = key.toString('utf8', at + 1);
        out.set(key.toString('latin1'), { meta: { db, name, options: {}, indexes: [] }, count });
      }
    }
    return [...out.values()];
  }

  function documentBytes(db: string, coll: string, key: string): Buffer | undefined {
    assertMapped();
    const k = documentKey(documentsRange(db, coll).start, key);
    if (reads?.usable()) {
      try {
        return reads.reader.get(reads.root(root, 'documents'), k);
      } catch (error) {
        reads.failed(error);
      }
    }
    noteRead();
    return docs.getBinary(k);
  }

  /** Counts an iteration as suspended while it is between two items, so the map is not reopened under it. */
  function* tracked<T>(items: Iterable<T>): Generator<T> {
    assertMapped();
    suspendedIterations++;
    try {
      for (const item of items) {
        noteRead();
        yield item;
      }
    } finally {
      suspendedIterations--;
    }
  }

  function documents(
    db: string,
    coll: string,
    range: { start?: string; end?: string; reverse?: boolean },
  ): Iterable<{ key: string; bytes: Buffer }> {
    const whole = documentsRange(db, coll);
    const start = range.start === undefined ? whole.start : documentKey(whole.start, range.start);
    const end = range.end === undefined ? whole.end : documentKey(whole.start, range.end);
    const prefix = whole.start.length;
    return {
      *[Symbol.iterator]() {
        for (const { key, value } of stored('documents', start, end, range.reverse === true)) {
          yield { key: key.toString('latin1', prefix), bytes: value! };
        }
      },
    };
  }

  /** [start, end) of `db` through the memory map (lmdb-js), in order or reversed. */
  function* mapRange(
    db: Database<Buffer, Buffer>,
    start: Buffer,
    end: Buffer,
    reverse: boolean,
  ): Generator<{ key: Buffer; value: Buffer }> {
    if (!reverse) {
      yield* db.getRange({ start, end });
      return;
    }
    // lmdb-js's reverse ranges include `start` and exclude `end`: walk down from `end`, skip it.
    for (const entry of db.getRange({ start: end, reverse: true })) {
      if (Buffer.compare(entry.key, end) >= 0) continue;
      if (Buffer.compare(entry.key, start) < 0) return;
      yield entry;
    }
  }

  /** A tree's entries in [start, end): with pread when it can (values of documents only), else through the map. */
  function stored(
    tree: 'documents' | 'index',
    start: Buffer,
    end: Buffer,
    reverse: boolean,
  ): Iterable<{ key: Buffer; value: Buffer | undefined }> {
    if (reads?.usable()) return sliced(reads, tree, start, end, reverse);
    return tracked(mapRange(lmdbTree(tree), start, end, reverse));
  }

  /** The lmdb-js database of a tree (read afresh: a remap replaces them). */
  function lmdbTree(tree: 'documents' | 'index'): Database<Buffer, Buffer> {
    return tree === 'documents' ? docs : index;
  }

  /**
   * A tree's entries read with pread in slices. Each slice is one synchronous read of the tree as
   * it is at that moment; the next slice starts just after the last key returned (as lmdb-js's
   * renewing cursors do), so no read transaction is held while the caller is suspended.
   */
  function* sliced(
    pages: PageReads,
    tree: 'documents' | 'index',
    start: Buffer,
    end: Buffer,
    reverse: boolean,
  ): Generator<{ key: Buffer; value: Buffer | undefined }> {
    let from = start;
    let to = end;
    let size = FIRST_SLICE;
    const keys: Buffer[] = [];
    const values: Buffer[] | undefined = tree === 'documents' ? [] : undefined;
    for (;;) {
      keys.length = 0;
      if (values) values.length = 0;
      assertMapped();
      let more: boolean;
      try {
        more = pages.reader.range(pages.root(root, tree), from, to, reverse, size, keys, values);
      } catch (error) {
        pages.failed(error);
        yield* tracked(mapRange(lmdbTree(tree), from, to, reverse));
        return;
      }
      for (let i = 0; i < keys.length; i++) yield { key: keys[i], value: values?.[i] };
      if (!more || keys.length === 0) return;
      const last = keys[keys.length - 1];
      if (reverse) to = last;
      else from = Buffer.concat([last, ZERO_BYTE]); // the smallest key after `last`
      size = Math.min(size * 4, MAX_SLICE);
    }
  }

  function indexEntries(start: Buffer, end: Buffer, reverse: boolean): Iterable<Buffer> {
    return {
      *[Symbol.iterator]() {
        for (const { key } of stored('index', start, end, reverse)) yield key;
      },
    };
  }

  function snapshot(): StorageSnapshot {
    if (closed) throw new Error('storage is closed');
    assertMapped();
    const transaction = root.useReadTransaction();
    openSnapshots++;
    let open = true;
    const check = (): void => {
      if (!open) throw new Error('snapshot is closed');
    };
    return {
      collections() {
        check();
        return collections(transaction).map(({ meta: m }) => ({
          meta: m,
          documents: (): Iterable<Document> => ({
            *[Symbol.iterator]() {
              check();
              const range = documentsRange(m.db, m.name);
              for (const { value } of docs.getRange({ start: range.start, end: range.end, transaction })) {
                yield decodeDocument(value);
              }
            },
          }),
        }));
      },
      close() {
        if (!open) return;
        open = false;
        openSnapshots--;
        transaction.done();
      },
    };
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (mapTimer) clearInterval(mapTimer);
    reads?.reader.close();
    openGate();
    await Promise.all(inFlight);
    try {
      await root.close();
    } finally {
      lock.release();
    }
  }

  function legacyDocuments(): Iterable<{ db: string; coll: string; doc: Document }> | undefined {
    if (legacy.getKeysCount({ limit: 1 }) === 0) return undefined;
    return {
      *[Symbol.iterator]() {
        for (const { key, value } of legacy.getRange({})) {
          const first = key.indexOf(SEPARATOR);
          const second = key.indexOf(SEPARATOR, first + 1);
          if (first < 0 || second < 0) continue;
          yield {
            db: key.toString('utf8', 0, first),
            coll: key.toString('utf8', first + 1, second),
            doc: decodeDocument(value),
          };
        }
      },
    };
  }

  return {
    legacyDocuments,
    collections: () => collections(),
    documentBytes,
    documents,
    indexEntries,
    commit,
    onCommitted: (listener) => void listeners.push(listener),
    snapshot,
    mapping: () => ({
      budgetBytes: budget,
      remaps,
      pageReads: reads?.reader.reads ?? 0,
      cachedBranches: reads?.reader.cachedBranches() ?? 0,
    }),
    close,
  };
}
