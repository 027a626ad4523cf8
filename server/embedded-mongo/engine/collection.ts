import type { CollectionMeta, IndexSpec, StorageOp } from '../storage/types';
import { type Doc, type Value } from './bson-values';
import { canonicalKey, compareRaw } from './compare';
import { MongoServerError } from './errors';
import { Index } from './indexes';
import { planQuery, type SortHint } from './planner';
import { compileFilter, type Predicate } from './query';
import { markStored } from './stored';

/**
 * One collection in memory: documents by canonical _id key, in insertion (natural) order,
 * and its indexes. Stored documents are never mutated: an update stores a new object, so
 * cursors may hold on to the old ones and callers never see shared state change.
 */
export interface ScanResult {
  docs: Doc[];
  examined: number;
  index?: string;
  /** True when `docs` already follow the requested sort (read from its index). */
  sorted: boolean;
}

export class Collection {
  readonly db: string;
  name: string;
  options: Doc;
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();

  constructor(db: string, name: string, options: Doc = {}, indexes: IndexSpec[] = []) {
    this.db = db;
    this.name = name;
    this.options = options;
    const specs = indexes.some((s) => s.name === '_id_')
      ? indexes
      : [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...indexes];
    for (const spec of specs) this.indexes.set(spec.name, new Index(spec));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  meta(): CollectionMeta {
    return {
      db: this.db,
      name: this.name,
      options: this.options,
      indexes: [...this.indexes.values()].map((i) => i.spec),
    };
  }

  metaOp(): StorageOp {
    return { op: 'putMeta', meta: this.meta() };
  }

  static keyOf(doc: Doc): string {
    return canonicalKey(doc._id);
  }

  /** Documents matching the filter, using an index for candidates when one fits. */
  /** `limit` (when no sort is asked for) stops the scan once that many documents matched. */
  scan(filter: Doc | undefined, predicate: Predicate = compileFilter(filter), sort?: SortHint, limit = 0): ScanResult {
    const plan = planQuery(filter, this.indexes.values(), sort);
    const ordered = plan?.orderedBy !== undefined && sort !== undefined && sort.needed > 0;
    const stopAfter = ordered ? sort.needed : !sort && limit > 0 ? limit : Infinity;
    // With more sort fields after the first, documents tying with the last needed one on the
    // first field may still sort before it: those are read too, and the caller sorts.
    const takeTies = ordered && sort.more === true;
    const docs: Doc[] = [];
    let examined = 0;
    const consider = (doc: Doc | undefined): void => {
      if (doc === undefined) return;
      examined++;
      if (predicate(doc)) docs.push(doc);
    };
    const walk = plan?.walk;
    if (walk) {
      // The hot path (index ranges, in key order or reversed): no iterator objects per entry.
      const { index, from, to, dir } = walk;
      const field = plan?.sortField ?? 0;
      let cutoff: Value = null;
      for (let n = 0; n < to - from; n++) {
        const i = dir === 1 ? from + n : to - 1 - n;
        if (docs.length >= stopAfter && (!takeTies || compareRaw(index.keyAt(i, field), cutoff) !== 0)) break;
        const before = docs.length;
        consider(this.docs.get(index.idAt(i)));
        // The cutoff is the sort key of the document that brought the count to `needed`.
        if (before < stopAfter && docs.length >= stopAfter) cutoff = index.keyAt(i, field);
      }
    } else {
      const source: Iterable<Doc | undefined> = plan ? this.docsFor(plan.ids) : this.docs.values();
      for (const doc of source) {
        if (docs.length >= stopAfter) break;
        consider(doc);
      }
    }
    return { docs, examined, index: plan?.index, sorted: plan?.orderedBy !== undefined && sort?.more !== true };
  }

  private *docsFor(ids: Iterable<string>): Generator<Doc | undefined> {
    for (const id of ids) yield this.docs.get(id);
  }

  /** The first duplicate-key error adding `doc` (replacing `replacing`, if any) would cause. */
  checkUnique(doc: Doc, key: string, replacing?: Doc): MongoServerError | undefined {
    // duplicateFor ignores entries of the document itself, so a replacement checks as is.
    for (const index of this.indexes.values()) {
      const err = index.duplicateFor(doc, key, this.ns);
      if (err) return err;
    }
    if (!replacing && this.docs.has(key)) {
      const idIndex = this.indexes.get('_id_');
      if (idIndex) return idIndex.duplicateError([doc._id], this.ns);
    }
    return undefined;
  }

  put(key: string, doc: Doc): StorageOp {
    const old = this.docs.get(key);
    this.docs.set(key, doc);
    markStored(doc);
    for (const index of this.indexes.values()) {
      if (old) index.replace(key, old, doc);
      else index.add(key, doc);
    }
    return { op: 'put', db: this.db, coll: this.name, key, doc };
  }

  remove(key: string): StorageOp | undefined {
    const old = this.docs.get(key);
    if (!old) return undefined;
    for (const index of this.indexes.values()) index.remove(key, old);
    this.docs.delete(key);
    return { op: 'delete', db: this.db, coll: this.name, key };
  }

  /** Builds an index over the existing documents; fails (and adds nothing) on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new Index(spec);
    index.build(this.docs, this.ns);
    this.indexes.set(spec.name, index);
  }

  /** Start-up: stores loaded documents, then builds every index in one pass each. */
  loadDocuments(stored: Iterable<{ key: string; doc: Doc }>): void {
    for (const { key, doc } of stored) {
      this.docs.set(key, doc);
      markStored(doc);
    }
    for (const index of this.indexes.values()) index.build(this.docs, this.ns);
  }
}
