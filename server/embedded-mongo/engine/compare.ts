import type { Binary, BSONRegExp, Long, ObjectId, Timestamp } from 'bson';
import { bsonTag, exactText, toNumber, typeClass, TYPE_ORDER, type Doc, type Value } from './bson-values';
import { compareExact, parseExact } from './decimal';

/**
 * mongod's total order over BSON values: first by type class (numbers of every width
 * compare with each other), then by value. Objects compare field by field in order.
 */

function cmp<T extends number | string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: Value, b: Value): number {
  const ta = bsonTag(a);
  const tb = bsonTag(b);
  // Exact comparison for two longs, where doubles would round.
  if (ta === 'Long' && tb === 'Long') return cmp((a as Long).toBigInt(), (b as Long).toBigInt());
  // Exact comparison when a Decimal128 is involved, where doubles would round.
  if (ta === 'Decimal128' || tb === 'Decimal128') {
    const x = parseExact(exactText(a));
    const y = parseExact(exactText(b));
    if (x && y) return compareExact(x, y);
  }
  const x = toNumber(a);
  const y = toNumber(b);
  // NaN sorts before every other number and equals itself.
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  return cmp(x, y);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return cmp(a.length, b.length);
}

function regexParts(v: Value): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as BSONRegExp;
  return [r.pattern, r.options];
}

function stringOf(v: Value): string {
  return typeof v === 'string' ? v : String((v as { value: string }).value);
}

/**
 * String comparison for the command being run: binary unless the command carries a
 * collation. Commands run synchronously, so a scoped setting is enough (see collation.ts).
 */
type StringCompare = (a: string, b: string) => number;
const binaryStrings: StringCompare = (a, b) => cmp(a, b);
let stringCompare: StringCompare = binaryStrings;
let stringFold: (s: string) => string = (s) => s;

export function withStringOrder<T>(compare: StringCompare, fold: (s: string) => string, fn: () => T): T {
  const saved = [stringCompare, stringFold] as const;
  stringCompare = compare;
  stringFold = fold;
  try {
    return fn();
  } finally {
    [stringCompare, stringFold] = saved;
  }
}

/** True while a non-binary collation is in effect (indexes must not be used for strings then). */
export function collationActive(): boolean {
  return stringCompare !== binaryStrings;
}

/** Binary comparison whatever the collation, for index structures and _id keys. */
export function compareRaw(a: Value, b: Value): number {
  if (stringCompare === binaryStrings) return compareValues(a, b);
  return withStringOrder(
    binaryStrings,
    (s) => s,
    () => compareValues(a, b),
  );
}

export function compareValues(a: Value, b: Value): number {
  const ca = typeClass(a);
  const cb = typeClass(b);
  if (ca !== cb) return cmp(TYPE_ORDER[ca], TYPE_ORDER[cb]);
  switch (ca) {
    case 'null':
    case 'minKey':
    case 'maxKey':
      return 0;
    case 'number':
      return compareNumbers(a, b);
    case 'string':
      return stringCompare(stringOf(a), stringOf(b));
    case 'bool':
      return cmp(a ? 1 : 0, b ? 1 : 0);
    case 'date':
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case 'objectId':
      return cmp((a as ObjectId).toHexString(), (b as ObjectId).toHexString());
    case 'timestamp':
      return cmp((a as Timestamp).toBigInt(), (b as Timestamp).toBigInt());
    case 'binData': {
      const x = a as Binary;
      const y = b as Binary;
      return (
        cmp(x.position, y.position) ||
        cmp(x.sub_type, y.sub_type) ||
        compareBytes(x.buffer.subarray(0, x.position), y.buffer.subarray(0, y.position))
      );
    }
    case 'regex': {
      const [ps, fs] = regexParts(a);
      const [qs, gs] = regexParts(b);
      return cmp(ps, qs) || cmp(fs, gs);
    }
    case 'array': {
      const x = a as Value[];
      const y = b as Value[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return cmp(x.length, y.length);
    }
    case 'object':
      return compareObjects(a as Doc, b as Doc);
    default:
      return cmp(String(a), String(b));
  }
}

function compareObjects(a: Doc, b: Doc): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]];
    const vb = b[kb[i]];
    const byType = cmp(TYPE_ORDER[typeClass(va)], TYPE_ORDER[typeClass(vb)]);
    if (byType !== 0) return byType;
    const byName = cmp(ka[i], kb[i]);
    if (byName !== 0) return byName;
    const byValue = compareValues(va, vb);
    if (byValue !== 0) return byValue;
  }
  return cmp(ka.length, kb.length);
}

export function valuesEqual(a: Value, b: Value): boolean {
  return compareValues(a, b) === 0;
}

/**
 * A canonical string for a value such that equal values (Int32 1, Double 1.0, Long 1) give
 * the same string. Used for _id keys, unique-index keys and distinct.
 */
export function canonicalKey(v: Value): string {
  if (stringCompare === binaryStrings) return keyOf(v);
  return withStringOrder(
    binaryStrings,
    (s) => s,
    () => keyOf(v),
  );
}

/** Like canonicalKey, but strings equal under the current collation share a key (for distinct). */
export function collationKey(v: Value): string {
  return keyOf(v);
}

/** One key per numeric value whatever its BSON type: 1, 1.0, 1L and 1.00 (decimal) share 'n:1'. */
function numberKey(v: Value): string {
  const tag = bsonTag(v);
  if (tag === 'Int32' || typeof v === 'number' || tag === 'Double') {
    const n = toNumber(v);
    if (Number.isSafeInteger(n)) return `n:${n === 0 ? 0 : n}`; // fast path; -0 and 0 are one key
  }
  const text = exactText(v);
  const exact = parseExact(text);
  if (!exact) return `n:${text}`;
  let { coefficient, exponent } = exact;
  if (coefficient === 0n) return 'n:0';
  while (coefficient % 10n === 0n) {
    coefficient /= 10n;
    exponent++;
  }
  return exponent >= 0 ? `n:${coefficient * 10n ** BigInt(exponent)}` : `n:${coefficient}e${exponent}`;
}

function keyOf(v: Value): string {
  const c = typeClass(v);
  switch (c) {
    case 'null':
      return 'null';
    case 'number':
      return numberKey(v);
    case 'string':
      return `s:${JSON.stringify(stringFold(stringOf(v)))}`;
    case 'bool':
      return v ? 'true' : 'false';
    case 'date':
      return `d:${(v as Date).getTime()}`;
    case 'objectId':
      return `o:${(v as ObjectId).toHexString()}`;
    case 'array':
      return `[${(v as Value[]).map(keyOf).join(',')}]`;
    case 'object':
      return `{${Object.entries(v as Doc)
        .map(([k, x]) => `${JSON.stringify(k)}:${keyOf(x)}`)
        .join(',')}}`;
    case 'binData': {
      const b = v as Binary;
      return `b:${b.sub_type}:${Buffer.from(b.buffer.subarray(0, b.position)).toString('base64')}`;
    }
    case 'timestamp':
      return `t:${(v as Timestamp).toBigInt().toString()}`;
    case 'regex':
      return `r:${regexParts(v).join('/')}`;
    default:
      return `${c}:${String(v)}`;
  }
}
