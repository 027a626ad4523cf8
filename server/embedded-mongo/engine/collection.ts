import { deserialize } from 'bson';
import { documentPrefixLength, MAX_KEY_BYTES, STORAGE_DESERIALIZE_OPTIONS } from '../storage/lmdb';
import type { CollectionMeta, IndexEntryOp, IndexSpec, Storage, StorageOp } from '../storage/types';
import { type Doc, type Value } from './bson-values';
import { compareRaw } from './compare';
import type { DocumentCache } from './doc-cache';
import { MongoServerError } from './errors';
import { builtMarker, Index, multikeyMarker, type BodyRange, type EntrySource } from './indexes';
import { encodeValue, prefixEnd } from './key-encoding';
import { mergeOverlay, type OverlayEntry } from './overlay';
import { indexDecidesFilter, planQuery, type SortHint } from './planner';
import { compileFilter, type Predicate } from './query';
import { markStored, storedCache } from './stored';

/**
 * One collection: its catalog entry in memory, its documents and index entries in storage.
 * A document is read on demand (through a bounded cache of decoded documents); a write
 * changes the overlay at once, so the next command sees it, and storage when the command's
 * ops commit. Stored documents are never mutated: an update stores a new object, so cursors
 * may hold on to old ones and callers never see shared state change.
 */
/** How many bytes of undecoded stored documents a scan holds before it returns keys instead (one reply's worth). */
const RAW_KEEP_BYTES = 16 * 1024 * 1024;

export interface ScanResult {
  docs: Doc[];
  /** Keys of the matches after the first `keep` (see Collection.scan), in result order. */
  rest?: string[];
  examined: number;
  index?: string;
  /** How explain names the index stage (TEXT_MATCH, GEO_NEAR_2DSPHERE …; IXSCAN when absent). */
  stage?: string;
  /** True when `docs` already follow the requested sort (read from its index). */
  sorted: boolean;
  /**
   * Set when a `resumable` scan in stored order stopped once it held `keep` matches: the key of the
   * last one, after which a cursor resumes the scan (`entries({start})`) instead of holding every later key.
   */
  resumeAfter?: string;
}

/** What collections share: storage, the document cache, index ids, and who wrote which op. */
export interface Engine {
  storage: Storage;
  cache: DocumentCache;
  nextIndexId(): number;
  /** Remembers which collection's overlay holds `op`, so the overlay is cleared once it is durable. */
  track(op: StorageOp, coll: Collection): void;
}

export interface StoredState {
  indexIds?: Record<string, number>;
  multikey?: Set<string>;
  /** Text/geo indexes whose entries were built (builtMarker). */
  built?: Set<string>;
  count?: number;
}

interface PendingDoc extends OverlayEntry<StorageOp> {
  doc?: Doc;
}

let nextUid = 1;

/** Documents of a collection, with the Map-like reads commands use. */
class DocumentView {
  constructor(private readonly coll: Collection) {}

  get size(): number {
    return this.coll.count;
  }

  get(key: string): Doc | undefined {
    return this.coll.get(key);
  }

  has(key: string): boolean {
    return this.coll.get(key) !== undefined;
  }

  *values(): Generator<Doc> {
    for (const [, doc] of this.coll.entries()) yield doc;
  }

  *keys(): Generator<string> {
    for (const [key] of this.coll.entries()) yield key;
  }

  [Symbol.iterator](): Generator<[string, Doc]> {
    return this.coll.entries();
  }
}

export class Collection implements EntrySource {
  db: string;
  name: string;
  options: Doc;
  readonly indexes = new Map<string, Index>();
  readonly docs = new DocumentView(this);
  /** Documents, in-flight writes included. */
  count: number;
  /** Where storage holds the documents (differs from db/name while a rename is in flight). */
  storedAs: { db: string; name: string };
  /** Set while a drop of this namespace is in flight: stored documents are the old collection's. */
  hiddenUntil: StorageOp | undefined;
  private readonly uid = nextUid++;
  private readonly engine: Engine;
  private readonly pending = new Map<string, PendingDoc>();

  constructor(
    engine: Engine,
    db: string,
    name: string,
    options: Doc = {},
    indexes: IndexSpec[] = [],
    stored: StoredState = {},
  ) {
    this.engine = engine;
    this.db = db;
    this.name = name;
    this.options = options;
    this.count = stored.count ?? 0;
    this.storedAs = { db, name };
    const specs = indexes.some((s) => s.name === '_id_')
      ? indexes
      : [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...indexes];
    for (const spec of specs) {
      const id = spec.name === '_id_' ? 0 : (stored.indexIds?.[spec.name] ?? engine.nextIndexId());
      const index = new Index(spec, id);
      this.attach(index);
      index.multikey = stored.multikey?.has(spec.name) ?? false;
      if (index.special) index.built = stored.built?.has(spec.name) ?? false;
      this.indexes.set(spec.name, index);
    }
  }

  private attach(index: Index): void {
    index.source = this;
    index.storedHolders = (body) => {
      if (this.hiddenUntil) return [];
      const start = Buffer.concat([index.prefix, body]);
      return this.engine.storage.indexEntries(start, prefixEnd(start) ?? Buffer.from([0xff]), false);
    };
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  meta(): CollectionMeta {
    const indexIds: Record<string, number> = {};
    for (const index of this.indexes.values()) if (!index.isId) indexIds[index.name] = index.id;
    return {
      db: this.db,
      name: this.name,
      options: this.options,
      indexes: [...this.indexes.values()].map((i) => i.spec),
      indexIds,
    };
  }

  /** The metadata op, carrying the entries of indexes built since the last one. */
  metaOp(): StorageOp {
    const index: IndexEntryOp[] = [];
    // A loop, not push(...spread): an index built on a large collection has more entries than
    // a call may take arguments (about 120,000 → RangeError: Maximum call stack size exceeded).
    for (const i of this.indexes.values()) {
      for (const entry of i.unflushed) index.push(entry);
      i.unflushed.length = 0;
    }
    const op: StorageOp = { op: 'putMeta', meta: this.meta(), index };
    this.engine.track(op, this);
    return op;
  }

  /** The key of a document: the latin1 string of its _id's order-preserving encoding. */
  static keyOf(doc: Doc): string {
    return encodeValue(doc._id).toString('latin1');
  }

  private cacheId(key: string): string {
    return `${this.uid}:${key}`;
  }

  private decode(key: string, bytes: Buffer): Doc {
    const doc = deserialize(bytes, STORAGE_DESERIALIZE_OPTIONS);
    markStored(doc);
    const cache = storedCache(doc);
    if (cache) cache.bytes = bytes;
    return doc;
  }

  /** The current version of a document (in-flight writes included). */
  get(key: string): Doc | undefined {
    const pending = this.pending.get(key);
    if (pending) return pending.doc;
    if (this.hiddenUntil) return undefined;
    const id = this.cacheId(key);
    const cached = this.engine.cache.get(id);
    if (cached) return cached;
    const bytes = this.engine.storage.documentBytes(this.storedAs.db, this.storedAs.name, key);
    if (!bytes) return undefined;
    const doc = this.decode(key, bytes);
    this.engine.cache.set(id, doc, bytes.length);
    return doc;
  }

  /**
   * The current version of a document for a reply only: a decoded one if at hand, else a
   * hollow stored document — an empty object carrying the stored BSON, which the reply encoder
   * sends as is (protocol/bson-codec.ts documentBytes). Its fields must not be read.
   */
  private getForReply(key: string): Doc | undefined {
    const pending = this.pending.get(key);
    if (pending) return pending.doc;
    if (this.hiddenUntil) return undefined;
    const cached = this.engine.cache.peek(this.cacheId(key));
    if (cached) return cached;
    const bytes = this.engine.storage.documentBytes(this.storedAs.db, this.storedAs.name, key);
    if (!bytes) return undefined;
    const hollow: Doc = {};
    markStored(hollow);
    const cache = storedCache(hollow);
    if (cache) cache.bytes = bytes;
    return hollow;
  }

  /** Every document in _id order (in-flight writes included); whole scans do not fill the cache. */
  *entries(range: { start?: string; end?: string; reverse?: boolean } = {}): Generator<[string, Doc]> {
    const stored = this.hiddenUntil ? [] : this.engine.storage.documents(this.storedAs.db, this.storedAs.name, range);
    const pairs = (function* () {
      for (const { key, bytes } of stored) yield [key, bytes] as [string, Buffer];
    })();
    const source =
      this.pending.size === 0
        ? pairs
        : mergeOverlay(pairs, this.pending, range.start ?? '', range.end ?? '\u00ff', range.reverse === true);
    for (const [key, bytes] of source) {
      const doc = bytes ? (this.engine.cache.peek(this.cacheId(key)) ?? this.decode(key, bytes)) : this.get(key);
      if (doc) yield [key, doc];
    }
  }

  /** EntrySource: document keys of an index's entries in a body range. */
  *walk(index: Index, range: BodyRange, reverse: boolean): Generator<string> {
    if (index.isId) {
      const start = range.start.toString('latin1');
      const end = range.end.toString('latin1');
      const stored = this.hiddenUntil
        ? []
        : this.engine.storage.documents(this.storedAs.db, this.storedAs.name, { start, end, reverse });
      const pairs = (function* () {
        for (const { key } of stored) yield [key, undefined] as [string, undefined];
      })();
      const source = this.pending.size === 0 ? pairs : mergeOverlay(pairs, this.pending, start, end, reverse);
      for (const [key] of source) yield key;
      return;
    }
    const from = Buffer.concat([index.prefix, range.start]);
    const to = Buffer.concat([index.prefix, range.end]);
    yield* index.walkEntries(
      this.hiddenUntil ? [] : this.engine.storage.indexEntries(from, to, reverse),
      range,
      reverse,
    );
  }

  /**
   * Documents matching the filter, using an index for candidates when one fits. `limit` (when
   * no sort is asked for) stops the scan once that many documents matched. Only the first
   * `keep` matches are returned as documents; later ones as keys in `rest` (a cursor reads them
   * again when asked: `refetch`), so a large result does not hold every document at once.
   * `resumable`: when no index is used, stop at `keep` matches and say where to resume (`resumeAfter`).
   * `natural` (a `$natural` hint) reads the collection without an index.
   */
  scan(
    filter: Doc | undefined,
    predicate: Predicate = compileFilter(filter),
    sort?: SortHint,
    limit = 0,
    keep = Infinity,
    resumable = false,
    natural = false,
  ): ScanResult {
    // hint { $natural: 1 }: the collection in _id order, no index.
    const plan = natural ? undefined : planQuery(filter, this.indexes.values(), sort, this.count);
    const ordered = plan?.orderedBy !== undefined && sort !== undefined && sort.needed > 0;
    const stopAfter = ordered ? sort.needed : !sort && limit > 0 ? limit : Infinity;
    // With more sort fields after the first, documents tying with the last needed one on the
    // first field may still sort before it: those are read too, and the caller sorts.
    const takeTies = ordered && sort.more === true;
    const docs: Doc[] = [];
    const rest: string[] = [];
    const add = (key: string, doc: Doc): void => {
      if (docs.length < keep) docs.push(doc);
      else rest.push(key);
    };
    let examined = 0;
    let resumeAfter: string | undefined;
    const walk = plan?.walk;
    if (walk) {
      const field = plan?.sortField ?? 0;
      const sortKey = (doc: Doc): Value => walk.index.keysOf(doc)[0]?.[field] ?? null;
      let cutoff: Value = null;
      // Sorted by this index, sent back as stored, and the range alone decides the filter:
      // the stored bytes go to the reply undecoded (the filter and sort keys are not needed).
      const raw =
        sort?.rawReply === true && !takeTies && plan?.orderedBy !== undefined && field === 0
          ? indexDecidesFilter(filter, walk.index)
          : false;
      let rawBytes = 0;
      for (const key of walk.index.walk(walk.range, walk.reverse)) {
        const found = docs.length + rest.length;
        if (found >= stopAfter && !takeTies) break;
        if (raw) {
          // Undecoded documents cost their stored bytes only: up to one reply's worth are held.
          if (rest.length > 0 || (docs.length >= keep && rawBytes >= RAW_KEEP_BYTES)) {
            if (!this.has(key)) continue;
            examined++;
            rest.push(key);
            continue;
          }
          const doc = this.getForReply(key);
          if (doc === undefined) continue;
          examined++;
          rawBytes += storedCache(doc)?.bytes?.length ?? 0;
          docs.push(doc);
          continue;
        }
        const doc = this.get(key);
        if (doc === undefined) continue;
        if (found >= stopAfter && compareRaw(sortKey(doc), cutoff) !== 0) break;
        examined++;
        if (!predicate(doc)) continue;
        add(key, doc);
        // The cutoff is the sort key of the document that brought the count to `needed`.
        if (found + 1 === stopAfter) cutoff = sortKey(doc);
      }
    } else {
      const source: Iterable<[string, Doc | undefined]> = plan ? this.docsFor(plan.ids) : this.docs;
      const stopAtKeep = resumable && !plan && !sort && Number.isFinite(keep);
      for (const [key, doc] of source) {
        if (docs.length + rest.length >= stopAfter) break;
        if (doc === undefined) continue;
        examined++;
        if (!predicate(doc)) continue;
        add(key, doc);
        if (stopAtKeep && docs.length >= keep && docs.length < stopAfter) {
          resumeAfter = key;
          break;
        }
      }
    }
    return {
      docs,
      ...(resumeAfter !== undefined ? { resumeAfter } : {}),
      ...(rest.length > 0 ? { rest } : {}),
      examined,
      index: plan?.index,
      ...(plan?.stage ? { stage: plan.stage } : {}),
      sorted: plan?.orderedBy !== undefined && sort?.more !== true,
    };
  }

  /** The current version of a document a scan returned as a key, if it still matches. */
  refetch(key: string, predicate: Predicate): Doc | undefined {
    const doc = this.get(key);
    return doc !== undefined && predicate(doc) ? doc : undefined;
  }

  /** Whether a document exists under `key` (in-flight writes included), without decoding it. */
  private has(key: string): boolean {
    const pending = this.pending.get(key);
    if (pending) return pending.doc !== undefined;
    if (this.hiddenUntil) return false;
    return this.engine.storage.documentBytes(this.storedAs.db, this.storedAs.name, key) !== undefined;
  }

  private *docsFor(keys: Iterable<string>): Generator<[string, Doc | undefined]> {
    for (const key of keys) yield [key, this.get(key)];
  }

  /** The first error (duplicate key, key too large) adding `doc` (replacing `replacing`, if any) would cause. */
  checkUnique(doc: Doc, key: string, replacing?: Doc): MongoServerError | undefined {
    const prefix = documentPrefixLength(this.db, this.name);
    if (prefix + key.length > MAX_KEY_BYTES) return keyTooLarge('_id_', prefix + key.length);
    for (const index of this.indexes.values()) {
      if (index.isId || !index.maintained) continue;
      for (const body of index.bodiesOf(doc)) {
        const size = 4 + body.length + key.length + 2;
        if (size > MAX_KEY_BYTES) return keyTooLarge(index.name, size);
      }
    }
    // duplicateFor ignores entries of the document itself, so a replacement checks as is.
    for (const index of this.indexes.values()) {
      const err = index.duplicateFor(doc, key, this.ns);
      if (err) return err;
    }
    if (!replacing && this.get(key) !== undefined) {
      const idIndex = this.indexes.get('_id_');
      if (idIndex) return idIndex.duplicateError([doc._id], this.ns);
    }
    return undefined;
  }

  /** Index entry changes turning `old` (if any) into `doc` under `key`, applied to the overlays. */
  private indexChanges(key: string, old: Doc | undefined, doc: Doc | undefined): IndexEntryOp[] {
    const ops: IndexEntryOp[] = [];
    for (const index of this.indexes.values()) {
      if (index.isId || !index.maintained) continue;
      const before = old ? index.bodiesOf(old) : [];
      const after = doc ? index.bodiesOf(doc) : [];
      if (before.length === 1 && after.length === 1 && before[0].equals(after[0])) continue;
      const kept = new Set(after.map((b) => b.toString('latin1')));
      const had = new Set(before.map((b) => b.toString('latin1')));
      for (const body of before) {
        if (kept.has(body.toString('latin1'))) continue;
        const op: IndexEntryOp = { op: 'indexDelete', key: index.entryKey(body, key) };
        index.setPending(op);
        ops.push(op);
      }
      for (const body of after) {
        if (had.has(body.toString('latin1'))) continue;
        const op: IndexEntryOp = { op: 'indexPut', key: index.entryKey(body, key) };
        index.setPending(op);
        ops.push(op);
      }
      if (after.length > 1 && !index.multikey && !index.special) {
        index.multikey = true;
        ops.push({ op: 'indexPut', key: multikeyMarker(index.id) });
      }
    }
    return ops;
  }

  put(key: string, doc: Doc): StorageOp {
    const old = this.get(key);
    markStored(doc);
    const op: StorageOp = {
      op: 'put',
      db: this.db,
      coll: this.name,
      key,
      doc,
      index: this.indexChanges(key, old, doc),
    };
    this.pending.set(key, { present: true, op, doc });
    this.engine.cache.delete(this.cacheId(key));
    if (!old) this.count++;
    this.engine.track(op, this);
    return op;
  }

  remove(key: string): StorageOp | undefined {
    const old = this.get(key);
    if (!old) return undefined;
    const op: StorageOp = {
      op: 'delete',
      db: this.db,
      coll: this.name,
      key,
      index: this.indexChanges(key, old, undefined),
    };
    this.pending.set(key, { present: false, op });
    this.engine.cache.delete(this.cacheId(key));
    this.count--;
    this.engine.track(op, this);
    return op;
  }

  /** Called once `op` is durable: the overlay entries it wrote leave (unless a later op replaced them). */
  committed(op: StorageOp): void {
    if (op.op === 'put' || op.op === 'delete') {
      if (this.pending.get(op.key)?.op === op) this.pending.delete(op.key);
    }
    if (op.op === 'dropCollection' && this.hiddenUntil === op) this.hiddenUntil = undefined;
    if (op.op === 'renameCollection') this.storedAs = { db: op.toDb, name: op.toColl };
    if (op.op === 'put' || op.op === 'delete' || op.op === 'putMeta') {
      for (const entry of op.index ?? []) {
        const id = entry.key.readUInt32BE(0);
        for (const index of this.indexes.values()) {
          if (index.id !== id) continue;
          index.clearPending(entry.key.toString('latin1'), entry);
        }
      }
    }
  }

  /**
   * Builds an index over the existing documents; fails (and adds nothing) on a duplicate. Its
   * entries go into the overlay at once and to storage with the next metaOp().
   */
  addIndex(spec: IndexSpec): void {
    const index = new Index(spec, this.engine.nextIndexId());
    this.attach(index);
    if (index.maintained) {
      const entries: Array<{ body: string; key: string; doc: Doc }> = [];
      for (const [key, doc] of this.docs) {
        const bodies = index.bodiesOf(doc);
        if (bodies.length > 1 && !index.special) index.multikey = true;
        for (const body of bodies) entries.push({ body: body.toString('latin1'), key, doc });
      }
      if (index.unique) {
        entries.sort((a, b) => (a.body < b.body ? -1 : a.body > b.body ? 1 : 0));
        for (let i = 1; i < entries.length; i++) {
          if (entries[i].body !== entries[i - 1].body || entries[i].key === entries[i - 1].key) continue;
          throw index.duplicateError(index.keyWithBody(entries[i].doc, entries[i].body), this.ns);
        }
      }
      for (const { body, key } of entries) {
        const op: IndexEntryOp = { op: 'indexPut', key: index.entryKey(Buffer.from(body, 'latin1'), key) };
        index.setPending(op);
        index.unflushed.push(op);
      }
      if (index.multikey) index.unflushed.push({ op: 'indexPut', key: multikeyMarker(index.id) });
      if (index.special) index.unflushed.push({ op: 'indexPut', key: builtMarker(index.id) });
    }
    this.indexes.set(spec.name, index);
  }
}

function keyTooLarge(index: string, size: number): MongoServerError {
  return new MongoServerError(
    17280,
    `key too large to index, failing: index ${index} key of ${size} bytes (at most ${MAX_KEY_BYTES})`,
  );
}
