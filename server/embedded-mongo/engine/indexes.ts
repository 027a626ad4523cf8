import type { IndexSpec } from '../storage/types';
import { isPlainObject, toNumber, typeClass, TYPE_ORDER, type Doc, type TypeClass, type Value } from './bson-values';
import { canonicalKey, compareRaw } from './compare';
import { MongoServerError } from './errors';
import { formatValue } from './format';
import { valuesAtPath } from './path';
import { compileFilter, type Predicate } from './query';

/**
 * One secondary (or _id) index: entries sorted by key so equality and range lookups use
 * binary search, plus a map from key to document ids for unique checks.
 */
interface Entry {
  key: Value[];
  id: string;
}
export interface Bound {
  v: Value;
  inclusive: boolean;
}

export class Index {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  private readonly partial: Predicate | undefined;
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Set<string>>();
  multikey = false;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.unique = spec.unique === true || spec.name === '_id_';
    this.sparse = spec.sparse === true;
    this.partial = isPlainObject(spec.partialFilterExpression)
      ? compileFilter(spec.partialFilterExpression)
      : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** The index keys of a document (several when a field is an array), or none if not indexed. */
  keysOf(doc: Doc): Value[][] {
    if (this.partial && !this.partial(doc)) return [];
    const perField = this.fields.map((f) => {
      const vs: Value[] = [];
      for (const v of valuesAtPath(doc, f)) {
        if (Array.isArray(v)) vs.push(...(v.length === 0 ? [undefined] : v));
        else vs.push(v);
      }
      return vs;
    });
    if (this.sparse && perField.every((vs) => vs.length === 0)) return [];
    let keys: Value[][] = [[]];
    for (const vs of perField) {
      const options = vs.length === 0 ? [null] : vs.map((v) => (v === undefined ? null : v));
      keys = keys.flatMap((k) => options.map((o) => [...k, o]));
    }
    if (keys.length === 1) return keys;
    this.multikey = true;
    const seen = new Set<string>();
    return keys.filter((k) => {
      const c = canonicalKey(k);
      if (seen.has(c)) return false;
      seen.add(c);
      return true;
    });
  }

  /** The E11000 error if adding `doc` (whose id is `id`) would duplicate a unique key. */
  duplicateFor(doc: Doc, id: string, ns: string): MongoServerError | undefined {
    if (!this.unique) return undefined;
    for (const key of this.keysOf(doc)) {
      const holders = this.byKey.get(canonicalKey(key));
      if (holders && [...holders].some((h) => h !== id)) return this.duplicateError(key, ns);
    }
    return undefined;
  }

  duplicateError(key: Value[], ns: string): MongoServerError {
    const keyValue: Doc = {};
    this.fields.forEach((f, i) => {
      keyValue[f] = key[i];
    });
    const shown = this.fields.map((f, i) => `${f}: ${formatValue(key[i])}`).join(', ');
    return new MongoServerError(
      11000,
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${shown} }`,
      { keyPattern: this.spec.key, keyValue },
    );
  }

  add(id: string, doc: Doc): void {
    for (const key of this.keysOf(doc)) {
      const at = this.lowerBound(key, id);
      this.entries.splice(at, 0, { key, id });
      this.noteKey(key, id);
    }
  }

  /**
   * Indexes many documents at once (start-up, createIndexes): append then sort once, instead
   * of one sorted insertion each. Throws the E11000 error on a unique violation.
   */
  build(docs: Iterable<[string, Doc]>, ns: string): void {
    for (const [id, doc] of docs) {
      for (const key of this.keysOf(doc)) {
        if (this.unique) {
          const holders = this.byKey.get(canonicalKey(key));
          if (holders && [...holders].some((h) => h !== id)) throw this.duplicateError(key, ns);
        }
        this.entries.push({ key, id });
        this.noteKey(key, id);
      }
    }
    this.entries.sort((a, b) => this.compareEntry(a, b.key, b.id));
  }

  private noteKey(key: Value[], id: string): void {
    if (!this.unique) return; // only unique checks need the key → ids map
    const c = canonicalKey(key);
    const set = this.byKey.get(c) ?? new Set<string>();
    set.add(id);
    this.byKey.set(c, set);
  }

  /** Re-indexes a changed document; untouched when its keys did not change (the usual update). */
  replace(id: string, old: Doc, doc: Doc): void {
    const before = this.keysOf(old);
    const after = this.keysOf(doc);
    if (before.length === after.length && before.every((k, i) => compareKeys(k, after[i]) === 0)) return;
    this.removeKeys(id, before);
    this.add(id, doc);
  }

  remove(id: string, doc: Doc): void {
    this.removeKeys(id, this.keysOf(doc));
  }

  private removeKeys(id: string, keys: Value[][]): void {
    for (const key of keys) {
      const at = this.lowerBound(key, id);
      if (this.entries[at]?.id === id) this.entries.splice(at, 1);
      if (!this.unique) continue;
      const c = canonicalKey(key);
      const set = this.byKey.get(c);
      set?.delete(id);
      if (set?.size === 0) this.byKey.delete(c);
    }
  }

  private compareEntry(e: Entry, key: Value[], id: string): number {
    const c = compareKeys(e.key, key);
    if (c !== 0) return c;
    return e.id < id ? -1 : e.id > id ? 1 : 0;
  }

  private lowerBound(key: Value[], id: string): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compareEntry(this.entries[mid], key, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First entry whose first key component is >= v (or > v when `after`). */
  private boundOnFirst(v: Value, after: boolean): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = compareRaw(this.entries[mid].key[0], v);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Ids whose first key component lies in the range, within the bound's type class (mongod's bracketing). */
  idsInRange(lower: Bound | undefined, upper: Bound | undefined): string[] {
    const [from, to] = this.rangeBounds(lower, upper);
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(this.entries[i].id);
    return out;
  }

  /** Entry positions [from, to) of a range, found by binary search. */
  rangeBounds(lower: Bound | undefined, upper: Bound | undefined): [number, number] {
    const bracket = typeClass((lower ?? upper)?.v);
    const from = lower ? this.boundOnFirst(lower.v, !lower.inclusive) : this.firstOfClass(bracket);
    const to = upper ? this.boundOnFirst(upper.v, upper.inclusive) : this.firstOfClass(bracket, true);
    return [from, Math.max(from, Math.min(to, this.firstOfClass(bracket, true)))];
  }

  /** Ids at entry positions [from, to), ascending or descending, produced lazily. */
  *idsBetween(from: number, to: number, dir: 1 | -1): Generator<string> {
    if (dir === 1) for (let i = from; i < to; i++) yield this.entries[i].id;
    else for (let i = to - 1; i >= from; i--) yield this.entries[i].id;
  }

  /** Entry positions [from, to) whose first key components equal `values` (compared binary). */
  prefixBounds(values: Value[]): [number, number] {
    const comparePrefix = (e: Entry): number => {
      for (let i = 0; i < values.length; i++) {
        const c = compareRaw(e.key[i], values[i]);
        if (c !== 0) return c;
      }
      return 0;
    };
    const search = (after: boolean): number => {
      let lo = 0;
      let hi = this.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const c = comparePrefix(this.entries[mid]);
        if (c < 0 || (after && c === 0)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return [search(false), search(true)];
  }

  /** Key component `field` of the entry at `position`. */
  keyAt(position: number, field: number): Value {
    return this.entries[position].key[field];
  }

  /** The document id of the entry at `position` (0 ≤ position < size). */
  idAt(position: number): string {
    return this.entries[position].id;
  }

  /** Binary search on type order (entries are sorted by type class first); `after` = past the class. */
  private firstOfClass(cls: TypeClass, after = false): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const order = TYPE_ORDER[typeClass(this.entries[mid].key[0])];
      if (order < TYPE_ORDER[cls] || (after && order === TYPE_ORDER[cls])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Usable for candidate selection only if every document has an entry (no sparse/partial gaps). */
  get complete(): boolean {
    return !this.sparse && this.partial === undefined;
  }

  get size(): number {
    return this.entries.length;
  }
}

function compareKeys(a: Value[], b: Value[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareRaw(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${typeof v === 'string' ? v : toNumber(v)}`)
    .join('_');
}
