import type { IndexEntryOp, IndexSpec } from '../storage/types';
import { isPlainObject, toNumber, type Doc, type Value } from './bson-values';
import { MongoServerError } from './errors';
import { setOwn } from './own';
import { formatValue } from './format';
import { classByte, encodeKey, encodeValue, invert, prefixEnd } from './key-encoding';
import { mergeOverlay, type OverlayEntry } from './overlay';
import { valuesAtPath } from './path';
import { compileFilter, type Predicate } from './query';
import { appendAll } from './arrays';
import { collationId, indexFoldsEquality, indexStringFold } from './command-env';
import { geoBodiesOf, geoGridOf, type Grid } from './geo-index';
import { indexTermsOf, textIndexOf, type TextIndex } from './text';

/**
 * One index, kept in storage as a B+tree range: entries sorted by the order-preserving
 * encoding of their key (key-encoding.ts), so equality and range lookups are key ranges and
 * walking a range in either direction gives the sort order. The _id index is the documents
 * themselves (storage clusters them by encoded _id); a secondary index is the key range of
 * its id in storage's index database. Entries whose commit is in flight live in an overlay
 * that every walk merges in, so reads and unique checks see acknowledged-to-be writes.
 */
export interface Bound {
  v: Value;
  inclusive: boolean;
}

/** A range of encoded keys ("bodies": the key without the index prefix or document key). */
export interface BodyRange {
  start: Buffer;
  end: Buffer;
}

/** Where an index's entries come from: the collection gives each index one of these. */
export interface EntrySource {
  /** Document keys of the entries whose bodies lie in the range, in order or reversed. */
  walk(index: Index, range: BodyRange, reverse: boolean): Iterable<string>;
  /** The current version of a document (a $near search measures candidates as it reads them). */
  get(key: string): Doc | undefined;
}

/**
 * What an index's entries are: B-tree keys of its fields; a text index's terms (one entry per
 * distinct term of a document, text.ts's tokeniser); a geo index's cells (geo-index.ts); or
 * nothing ('hashed' and unknown string kinds are listed but have no entries).
 */
type IndexKind = 'btree' | 'text' | 'geo' | 'none';

function kindOf(spec: IndexSpec): IndexKind {
  const kinds = Object.values(spec.key).filter((v): v is string => typeof v === 'string');
  if (kinds.length === 0) return 'btree';
  if (kinds.includes('text')) return 'text';
  if (kinds.includes('2dsphere') || kinds.includes('2d')) return 'geo';
  return 'none';
}

const MULTIKEY_SPACE = 0xffffffff;

/** The storage key that records that index `id` is multikey (outside every index's range). */
export function multikeyMarker(id: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(MULTIKEY_SPACE, 0);
  b.writeUInt32BE(id, 4);
  return b;
}

const BUILT_SPACE = 0xfffffffe;

/**
 * The storage key that records that text/geo index `id` has entries. Text and geo indexes
 * created before their entries were kept have none: they stay unplanned (a scan answers) until
 * dropped and created again.
 */
export function builtMarker(id: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(BUILT_SPACE, 0);
  b.writeUInt32BE(id, 4);
  return b;
}

const WHOLE: BodyRange = { start: Buffer.alloc(0), end: Buffer.from([0xff]) };

export class Index {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly directions: (1 | -1)[];
  readonly unique: boolean;
  readonly sparse: boolean;
  /** Text, geo and hashed indexes: never planned as B-trees (text and geo have their own plans). */
  readonly special: boolean;
  readonly kind: IndexKind;
  /** A text index's fields, weights and language. */
  readonly text: TextIndex | undefined;
  /** A geo index's field and grid. */
  readonly geo: { field: string; grid: Grid; spherical: boolean } | undefined;
  /** A geo index's levels holding entries (geo-index.ts), once looked up; writes add to it. */
  geoLevels: Set<number> | undefined;
  /** The index's collation (collationId), undefined when binary. */
  readonly collation: string | undefined;
  /** How its keys store strings under that collation (indexStringFold). */
  private readonly fold: ((s: string) => string) | undefined;
  /** Whether string equality may be looked up here when a command has the same collation. */
  readonly collationEquality: boolean;
  /** False for a text/geo index stored without entries (see builtMarker); the planner then leaves it alone. */
  built = true;
  /** Storage id of a secondary index (0 for _id, whose entries are the documents). */
  readonly id: number;
  readonly prefix: Buffer;
  private readonly partial: Predicate | undefined;
  /** In-flight entry changes: latin1(entry key) → present or deleted. Change it through setPending/clearPending. */
  readonly overlay = new Map<string, OverlayEntry<IndexEntryOp>>();
  /** The present overlay entries by latin1(body) → their document keys, for unique checks without a merge. */
  private readonly pendingHolders = new Map<string, Set<string>>();
  multikey = false;
  source: EntrySource | undefined;
  /** Stored entries (overlay not applied) whose body is exactly `body`; set by the collection. */
  storedHolders: ((body: Buffer) => Iterable<Buffer>) | undefined;
  /** Entries of a build not yet handed to storage (the collection's next metaOp carries them). */
  readonly unflushed: IndexEntryOp[] = [];

  constructor(spec: IndexSpec, id = 0) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.directions = Object.values(spec.key).map((v) => (typeof v !== 'string' && toNumber(v) < 0 ? -1 : 1));
    this.unique = spec.unique === true || spec.name === '_id_';
    this.sparse = spec.sparse === true;
    this.kind = kindOf(spec);
    this.special = this.kind !== 'btree';
    this.text = this.kind === 'text' ? textIndexOf([spec]) : undefined;
    this.geo = this.kind === 'geo' ? geoGridOf(spec) : undefined;
    const collation = this.special ? undefined : spec.collation;
    this.collation = collationId(collation);
    this.fold = indexStringFold(collation);
    this.collationEquality = indexFoldsEquality(collation);
    this.id = id;
    this.prefix = Buffer.alloc(4);
    this.prefix.writeUInt32BE(id, 0);
    this.partial = isPlainObject(spec.partialFilterExpression)
      ? compileFilter(spec.partialFilterExpression)
      : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  get isId(): boolean {
    return this.spec.name === '_id_';
  }

  /** The index keys of a document (several when a field is an array), or none if not indexed. */
  keysOf(doc: Doc): Value[][] {
    if (this.special || (this.partial && !this.partial(doc))) return [];
    const perField = this.fields.map((f) => {
      const vs: Value[] = [];
      for (const v of valuesAtPath(doc, f)) {
        if (Array.isArray(v)) appendAll(vs, v.length === 0 ? [undefined] : v);
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
    return keys;
  }

  /** True when the document has more than one key here (an array under an indexed field). */
  isMultikeyFor(doc: Doc): boolean {
    return this.keysOf(doc).length > 1;
  }

  /** Whether writes keep entries for this index (B-tree, text and geo indexes). */
  get maintained(): boolean {
    return this.kind !== 'none';
  }

  /** A key's body: its values (strings folded under the index's collation) in the order-preserving encoding. */
  private encodeBody(key: Value[]): Buffer {
    return encodeKey(this.fold ? key.map(this.collate) : key, this.directions);
  }

  /** A value as this index stores it: strings (also inside arrays and documents) folded under its collation. */
  readonly collate = (v: Value): Value => {
    const fold = this.fold;
    if (!fold) return v;
    if (typeof v === 'string') return fold(v);
    if (Array.isArray(v)) return v.map(this.collate);
    if (isPlainObject(v)) {
      const out: Doc = {};
      for (const k of Object.keys(v)) setOwn(out, k, this.collate(v[k]));
      return out;
    }
    return v;
  };

  /** The encoded bodies of a document's keys, distinct. */
  bodiesOf(doc: Doc): Buffer[] {
    if (this.special) {
      if (this.partial && !this.partial(doc)) return [];
      if (this.text) return indexTermsOf(doc, this.text).map((t) => encodeValue(t));
      if (this.geo) return geoBodiesOf(doc, this.geo.field, this.geo.grid);
      return [];
    }
    const keys = this.keysOf(doc);
    if (keys.length === 1) return [this.encodeBody(keys[0])];
    const seen = new Map<string, Buffer>();
    for (const k of keys) {
      const body = this.encodeBody(k);
      seen.set(body.toString('latin1'), body);
    }
    return [...seen.values()];
  }

  /** A secondary index's storage key for one entry: prefix, body, document key, its length. */
  entryKey(body: Buffer, docKey: string): Buffer {
    const out = Buffer.allocUnsafe(4 + body.length + docKey.length + 2);
    this.prefix.copy(out, 0);
    body.copy(out, 4);
    out.write(docKey, 4 + body.length, 'latin1');
    out.writeUInt16BE(docKey.length, out.length - 2);
    return out;
  }

  /** The document key at the end of a secondary index's entry. */
  static docKeyOf(entry: Buffer): string {
    const n = entry.readUInt16BE(entry.length - 2);
    return entry.toString('latin1', entry.length - 2 - n, entry.length - 2);
  }

  /** Records an in-flight entry change (`op.key` is the entry key). */
  setPending(op: IndexEntryOp): void {
    const entry = op.key.toString('latin1');
    this.clearPending(entry);
    const present = op.op === 'indexPut';
    this.overlay.set(entry, { present, op });
    if (!present) return;
    if (this.geoLevels && op.key.length > 4) this.geoLevels.add(op.key[4]);
    const [body, docKey] = this.split(op.key);
    const holders = this.pendingHolders.get(body) ?? new Set<string>();
    holders.add(docKey);
    this.pendingHolders.set(body, holders);
  }

  /** Forgets an in-flight entry change (when `op` is given, only if it is still the latest for that entry). */
  clearPending(entry: string, op?: IndexEntryOp): void {
    const known = this.overlay.get(entry);
    if (!known || (op && known.op !== op)) return;
    this.overlay.delete(entry);
    if (!known.present) return;
    const [body, docKey] = this.split(known.op.key);
    const holders = this.pendingHolders.get(body);
    holders?.delete(docKey);
    if (holders?.size === 0) this.pendingHolders.delete(body);
  }

  /** latin1(body) and document key of an entry key. */
  private split(entry: Buffer): [string, string] {
    const n = entry.readUInt16BE(entry.length - 2);
    return [
      entry.toString('latin1', 4, entry.length - 2 - n),
      entry.toString('latin1', entry.length - 2 - n, entry.length - 2),
    ];
  }

  /** Merges stored entries with the overlay, yielding document keys. */
  *walkEntries(stored: Iterable<Buffer>, range: BodyRange, reverse: boolean): Generator<string> {
    if (this.overlay.size === 0) {
      for (const entry of stored) yield Index.docKeyOf(entry);
      return;
    }
    const lo = Buffer.concat([this.prefix, range.start]).toString('latin1');
    const hi = Buffer.concat([this.prefix, range.end]).toString('latin1');
    for (const [entry] of mergeOverlay(
      (function* () {
        for (const e of stored) yield [e.toString('latin1'), undefined] as [string, undefined];
      })(),
      this.overlay,
      lo,
      hi,
      reverse,
    )) {
      yield Index.docKeyOf(Buffer.from(entry, 'latin1'));
    }
  }

  /** Document keys of the entries whose body is exactly `body` (a text term's postings). */
  holdersOf(body: Buffer): Iterable<string> {
    return this.walk({ start: body, end: prefixEnd(body) ?? WHOLE.end });
  }

  /** Document keys of the entries in a body range. */
  walk(range: BodyRange, reverse = false): Iterable<string> {
    if (!this.source) throw new Error(`index ${this.name} is not attached to a collection`);
    return this.source.walk(this, range, reverse);
  }

  /** Counts entries in the range, stopping at `cap` (the planner's size estimate). */
  estimate(range: BodyRange, cap: number): number {
    let n = 0;
    for (const _ of this.walk(range)) if (++n >= cap) break;
    return n;
  }

  /** The E11000 error if a document with these bodies (its key `docKey`) would duplicate a unique key. */
  duplicateFor(doc: Doc, docKey: string, ns: string): MongoServerError | undefined {
    if (!this.unique || this.isId) return undefined;
    for (const key of this.keysOf(doc)) {
      const body = this.encodeBody(key);
      // In-flight entries first (a map lookup), then stored ones the overlay does not hide.
      for (const holder of this.pendingHolders.get(body.toString('latin1')) ?? []) {
        if (holder !== docKey) return this.duplicateError(key, ns);
      }
      if (!this.storedHolders) continue;
      for (const entry of this.storedHolders(body)) {
        if (this.overlay.has(entry.toString('latin1'))) continue;
        if (Index.docKeyOf(entry) !== docKey) return this.duplicateError(key, ns);
      }
    }
    return undefined;
  }

  duplicateError(key: Value[], ns: string): MongoServerError {
    const keyValue: Doc = {};
    this.fields.forEach((f, i) => {
      setOwn(keyValue, f, key[i]);
    });
    const shown = this.fields.map((f, i) => `${f}: ${formatValue(key[i])}`).join(', ');
    return new MongoServerError(
      11000,
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${shown} }`,
      { keyPattern: this.spec.key, keyValue },
    );
  }

  /** Every entry. */
  whole(): BodyRange {
    return WHOLE;
  }

  /** Entries whose first key component lies in the range, within the bound's type class (mongod's bracketing). */
  rangeBodies(lower: Bound | undefined, upper: Bound | undefined): BodyRange {
    const cls = classByte((lower ?? upper)?.v ?? null);
    const descending = this.directions[0] === -1;
    const enc = (v: Value): Buffer =>
      descending ? invert(encodeValue(this.collate(v))) : encodeValue(this.collate(v));
    const after = (b: Buffer): Buffer => prefixEnd(b) ?? WHOLE.end;
    const classStart = Buffer.from([descending ? 0xff - cls : cls]);
    const classEnd = Buffer.from([descending ? 0x100 - cls : cls + 1]);
    // Descending bytes are inverted: the lower bound on values becomes the end of the byte range.
    const fromBound = descending ? upper : lower;
    const toBound = descending ? lower : upper;
    let start = fromBound ? (fromBound.inclusive ? enc(fromBound.v) : after(enc(fromBound.v))) : classStart;
    let end = toBound ? (toBound.inclusive ? after(enc(toBound.v)) : enc(toBound.v)) : classEnd;
    if (Buffer.compare(start, classStart) < 0) start = classStart;
    if (Buffer.compare(end, classEnd) > 0) end = classEnd;
    if (Buffer.compare(end, start) < 0) end = start;
    return { start, end };
  }

  /** Entries whose first key components equal `values`. */
  prefixBodies(values: Value[]): BodyRange {
    const start = encodeKey(values.map(this.collate), this.directions.slice(0, values.length));
    return { start, end: prefixEnd(start) ?? WHOLE.end };
  }

  /** Walking the entries in order gives this direction on field `field`. */
  direction(field: number): 1 | -1 {
    return this.directions[field] ?? 1;
  }

  /** Usable for candidate selection only if every document has an entry (no sparse/partial gaps). */
  get complete(): boolean {
    return !this.sparse && this.partial === undefined && !this.special;
  }

  /** The key of a document whose encoding is `body` (for error messages). */
  keyWithBody(doc: Doc, body: string): Value[] {
    const keys = this.keysOf(doc);
    return keys.find((k) => this.encodeBody(k).toString('latin1') === body) ?? keys[0];
  }
}

export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${typeof v === 'string' ? v : toNumber(v)}`)
    .join('_');
}
