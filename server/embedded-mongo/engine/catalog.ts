import type { Storage, StorageOp } from '../storage/types';
import { type Doc } from './bson-values';
import { Collection, type Engine } from './collection';
import { DocumentCache } from './doc-cache';
import { MongoServerError } from './errors';
import { builtMarker, multikeyMarker } from './indexes';

export interface CatalogOptions {
  /** Budget of the decoded-document cache, in bytes (doc-cache.ts); the default is 64 MB. */
  cacheBytes?: number;
}

/**
 * All databases and collections: their metadata in memory (read from storage at start, one
 * record per collection), their documents and index entries in storage.
 */
export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  /** Drops whose commit is in flight, by namespace: a collection created meanwhile must not see the old documents. */
  private readonly dropping = new Map<string, StorageOp>();
  /** Which collection wrote each op still in flight (so its overlay can forget it once durable). */
  private readonly writers = new WeakMap<StorageOp, Collection>();
  private lastIndexId = 0;
  readonly engine: Engine;

  private constructor(storage: Storage, options: CatalogOptions) {
    this.engine = {
      storage,
      cache: new DocumentCache(options.cacheBytes),
      nextIndexId: () => ++this.lastIndexId,
      track: (op, coll) => this.writers.set(op, coll),
    };
    storage.onCommitted((ops) => this.committed(ops));
  }

  /** Reads the catalog; nothing proportional to the number of documents is read. */
  static load(storage: Storage, options: CatalogOptions = {}): Catalog {
    const catalog = new Catalog(storage, options);
    const stored = storage.collections();
    for (const { meta } of stored) {
      for (const id of Object.values(meta.indexIds ?? {})) catalog.lastIndexId = Math.max(catalog.lastIndexId, id);
    }
    for (const { meta, count } of stored) {
      const multikey = new Set<string>();
      const built = new Set<string>();
      for (const [name, id] of Object.entries(meta.indexIds ?? {})) {
        // The marker is a whole key: read exactly it (the range up to marker + 0x00). Incrementing its
        // last byte instead wrapped for an index id ending in 0xff, and the flag was lost on reload.
        const marker = multikeyMarker(id);
        for (const _ of storage.indexEntries(marker, Buffer.concat([marker, Buffer.from([0])]), false))
          multikey.add(name);
        const builtAt = builtMarker(id);
        for (const _ of storage.indexEntries(builtAt, Buffer.concat([builtAt, Buffer.from([0])]), false))
          built.add(name);
      }
      const coll = new Collection(catalog.engine, meta.db, meta.name, meta.options, meta.indexes, {
        indexIds: meta.indexIds,
        multikey,
        built,
        count,
      });
      catalog.collections(meta.db, true).set(meta.name, coll);
    }
    return catalog;
  }

  /**
   * load(), then moves documents left in the first storage format (the all-in-memory release's)
   * into this one: metadata with index ids first, then documents and their index entries in
   * commits of 1,000, then the old copy is deleted. Idempotent if interrupted (puts overwrite).
   */
  static async open(storage: Storage, options: CatalogOptions = {}): Promise<Catalog> {
    const catalog = Catalog.load(storage, options);
    const legacy = storage.legacyDocuments?.();
    if (!legacy) return catalog;
    await storage.commit(catalog.all().map((c) => c.metaOp()));
    const ops: StorageOp[] = [];
    for (const { db, coll, doc } of legacy) {
      const target = catalog.getOrCreate(db, coll, ops);
      ops.push(target.put(Collection.keyOf(doc), doc));
      if (ops.length >= 1000) await storage.commit(ops.splice(0));
    }
    ops.push({ op: 'clearLegacy' });
    await storage.commit(ops);
    return catalog;
  }

  private committed(ops: StorageOp[]): void {
    for (const op of ops) {
      this.writers.get(op)?.committed(op);
      if (op.op === 'dropCollection') {
        const ns = `${op.db}.${op.coll}`;
        if (this.dropping.get(ns) === op) this.dropping.delete(ns);
        const current = this.get(op.db, op.coll);
        if (current?.hiddenUntil === op) current.hiddenUntil = undefined;
      }
    }
  }

  private collections(db: string, create: boolean): Map<string, Collection> {
    let m = this.dbs.get(db);
    if (!m) {
      m = new Map();
      if (create) this.dbs.set(db, m);
    }
    return m;
  }

  databaseNames(): string[] {
    return [...this.dbs.entries()].filter(([, m]) => m.size > 0).map(([n]) => n);
  }

  list(db: string): Collection[] {
    return [...this.collections(db, false).values()];
  }

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** A new, empty collection object (not yet in the catalog). */
  create(db: string, name: string, options: Doc = {}): Collection {
    const coll = new Collection(this.engine, db, name, options);
    coll.hiddenUntil = this.dropping.get(`${db}.${name}`);
    return coll;
  }

  /** The collection, created implicitly (as an insert does) with its meta op appended to `ops`. */
  getOrCreate(db: string, name: string, ops: StorageOp[], options: Doc = {}): Collection {
    const existing = this.get(db, name);
    if (existing) return existing;
    validateName(db, name);
    const coll = this.create(db, name, options);
    this.collections(db, true).set(name, coll);
    ops.push(coll.metaOp());
    return coll;
  }

  drop(db: string, name: string): StorageOp | undefined {
    const m = this.dbs.get(db);
    if (!m?.delete(name)) return undefined;
    if (m.size === 0) this.dbs.delete(db);
    const op: StorageOp = { op: 'dropCollection', db, coll: name };
    this.dropping.set(`${db}.${name}`, op);
    return op;
  }

  /** Moves a collection to a new namespace (the target must be free); storage moves its documents. */
  rename(coll: Collection, toDb: string, toName: string): StorageOp {
    const from = this.dbs.get(coll.db);
    from?.delete(coll.name);
    if (from?.size === 0) this.dbs.delete(coll.db);
    const op: StorageOp = { op: 'renameCollection', db: coll.db, coll: coll.name, toDb, toColl: toName };
    this.writers.set(op, coll);
    coll.db = toDb;
    coll.name = toName;
    this.collections(toDb, true).set(toName, coll);
    return op;
  }

  all(): Collection[] {
    return [...this.dbs.values()].flatMap((m) => [...m.values()]);
  }
}

export function validateName(db: string, name: string): void {
  if (name === '' || name.includes('$') || name.startsWith('.') || name.includes('\0')) {
    throw new MongoServerError(73, `Invalid collection name: ${name}`);
  }
  if (db === '' || /[/\\. "$]/.test(db)) throw new MongoServerError(73, `Invalid database name: ${db}`);
}
