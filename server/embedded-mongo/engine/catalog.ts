import type { Storage, StorageOp } from '../storage/types';
import { type Doc } from './bson-values';
import { Collection } from './collection';
import { MongoServerError } from './errors';

/** All databases and collections in memory, loaded from storage at start. */
export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  static load(storage: Storage): Catalog {
    const catalog = new Catalog();
    for (const stored of storage.load()) {
      const { meta } = stored;
      const coll = new Collection(meta.db, meta.name, meta.options, meta.indexes);
      coll.loadDocuments(stored.documents());
      catalog.collections(meta.db, true).set(meta.name, coll);
    }
    return catalog;
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

  /** The collection, created implicitly (as an insert does) with its meta op appended to `ops`. */
  getOrCreate(db: string, name: string, ops: StorageOp[], options: Doc = {}): Collection {
    const existing = this.get(db, name);
    if (existing) return existing;
    validateName(db, name);
    const coll = new Collection(db, name, options);
    this.collections(db, true).set(name, coll);
    ops.push(coll.metaOp());
    return coll;
  }

  drop(db: string, name: string): StorageOp | undefined {
    const m = this.dbs.get(db);
    if (!m?.delete(name)) return undefined;
    if (m.size === 0) this.dbs.delete(db);
    return { op: 'dropCollection', db, coll: name };
  }

  /** Moves a collection object to a new namespace (the caller writes its documents anew). */
  attach(coll: Collection): void {
    this.collections(coll.db, true).set(coll.name, coll);
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
