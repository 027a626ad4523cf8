import { Decimal128, Double, Int32, Long } from 'bson';
import { addExact, mulExact, parseExact, toDecimal128 } from './decimal';

/**
 * Documents are decoded with promoteValues:false so that stored numbers keep their BSON
 * type (int, long, double, decimal). This module is the one place that knows how to read
 * those wrappers as plain JavaScript values and how to build them back.
 */

export type Value = unknown;
export type Doc = Record<string, unknown>;

export type TypeClass =
  | 'minKey'
  | 'null'
  | 'number'
  | 'string'
  | 'object'
  | 'array'
  | 'binData'
  | 'objectId'
  | 'bool'
  | 'date'
  | 'timestamp'
  | 'regex'
  | 'maxKey'
  | 'other';

/** BSON's cross-type sort order (mongod compares the class first, then the value). */
export const TYPE_ORDER: Record<TypeClass, number> = {
  minKey: 0,
  null: 1,
  number: 2,
  string: 3,
  object: 4,
  array: 5,
  binData: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  timestamp: 10,
  regex: 11,
  other: 12,
  maxKey: 13,
};

export function bsonTag(v: Value): string | undefined {
  if (v !== null && typeof v === 'object' && '_bsontype' in v) {
    return (v as { _bsontype: string })._bsontype;
  }
  return undefined;
}

export function typeClass(v: Value): TypeClass {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object':
      break;
    default:
      return 'other';
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch (bsonTag(v)) {
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return 'number';
    case 'BSONSymbol':
      return 'string';
    case 'Binary':
      return 'binData';
    case 'ObjectId':
      return 'objectId';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'Code':
      return 'other';
    case 'DBRef':
      return 'object';
    case undefined:
      return 'object';
    default:
      return 'other';
  }
}

export function isNumeric(v: Value): boolean {
  return typeClass(v) === 'number';
}

export function isPlainObject(v: Value): v is Doc {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    bsonTag(v) === undefined
  );
}

/** A numeric BSON value as a JS number (Decimal128 and huge longs lose precision). */
export function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (bsonTag(v)) {
    case 'Int32':
    case 'Double':
      return (v as Int32 | Double).value;
    case 'Long':
      return (v as Long).toNumber();
    case 'Decimal128':
      return Number((v as Decimal128).toString());
    default:
      return Number.NaN;
  }
}

/** Which BSON numeric type a value has, as $type names it. */
export type NumericKind = 'int' | 'long' | 'double' | 'decimal';

export function numericKind(v: Value): NumericKind {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? 'int' : 'double';
  switch (bsonTag(v)) {
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Decimal128':
      return 'decimal';
    default:
      return 'double';
  }
}

const WIDTH: Record<NumericKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

/** Builds a number of the given kind, widening int → long when it no longer fits (like mongod). */
export function makeNumber(n: number | bigint, kind: NumericKind): Value {
  if (kind === 'decimal') return Decimal128.fromString(String(n));
  if (kind === 'double') return new Double(Number(n));
  if (typeof n === 'bigint') {
    if (kind === 'int' && n >= -2147483648n && n <= 2147483647n) return new Int32(Number(n));
    return Long.fromBigInt(n);
  }
  if (kind === 'int' && Number.isInteger(n) && n >= -2147483648 && n <= 2147483647) return new Int32(n);
  if (Number.isInteger(n) && Number.isSafeInteger(n)) return Long.fromNumber(n);
  return new Double(n);
}

function asBigInt(v: Value): bigint | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
  switch (bsonTag(v)) {
    case 'Int32':
      return BigInt((v as Int32).value);
    case 'Long':
      return (v as Long).toBigInt();
    default:
      return undefined;
  }
}

/** Arithmetic with mongod's result-type rules: the wider operand type wins; ints overflow into longs. */
export function arith(a: Value, b: Value, op: 'add' | 'mul'): Value {
  const ka = numericKind(a);
  const kb = numericKind(b);
  const kind = WIDTH[ka] >= WIDTH[kb] ? ka : kb;
  if (kind === 'int' || kind === 'long') {
    const x = asBigInt(a) ?? 0n;
    const y = asBigInt(b) ?? 0n;
    const r = op === 'add' ? x + y : x * y;
    return makeNumber(r, kind);
  }
  if (kind === 'decimal') {
    const x = parseExact(exactText(a));
    const y = parseExact(exactText(b));
    if (x && y) return toDecimal128(op === 'add' ? addExact(x, y) : mulExact(x, y));
  }
  const x = toNumber(a);
  const y = toNumber(b);
  return makeNumber(op === 'add' ? x + y : x * y, kind);
}

/** A numeric value as decimal text without going through a double (for exact Decimal128 math). */
export function exactText(v: Value): string {
  switch (bsonTag(v)) {
    case 'Decimal128':
      return (v as Decimal128).toString();
    case 'Long':
      return (v as Long).toString();
    case 'Int32':
      return String((v as Int32).value);
    default: {
      const n = toNumber(v);
      // Doubles print their shortest round-trip form; NaN and ±Infinity print as words.
      return String(n);
    }
  }
}

/**
 * Plain JS value for mingo: int/double/safe long become numbers; everything else is kept.
 * Field names that are also Object.prototype's (`__proto__`, `constructor`, `prototype`) are
 * renamed to a NUL-prefixed stand-in (NUL never occurs in a BSON key), so mingo sees ordinary
 * own fields; demote() renames them back.
 */
export function promote(v: Value): Value {
  if (Array.isArray(v)) return v.map(promote);
  if (v === null || typeof v !== 'object') return v;
  const tag = bsonTag(v);
  if (tag === 'Int32' || tag === 'Double') return toNumber(v);
  if (tag === 'Long') {
    const n = (v as Long).toNumber();
    return Number.isSafeInteger(n) ? n : v;
  }
  if (tag !== undefined || v instanceof Date || v instanceof RegExp) return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) out[mingoKey(k)] = promote((v as Doc)[k]);
  return out;
}

const PROTO_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const STAND_IN = '\u0000';

function mingoKey(k: string): string {
  return PROTO_NAMES.has(k) ? STAND_IN + k : k;
}

function mingoPath(path: string): string {
  if (!path.includes('__proto__') && !path.includes('constructor') && !path.includes('prototype')) return path;
  return path.split('.').map(mingoKey).join('.');
}

/**
 * An aggregation stage or expression for mingo: like promote(), and field names in keys
 * (`'a.constructor': 1`) and in field paths (`'$a.__proto__'`) renamed the same way.
 */
export function promoteExpr(v: Value): Value {
  if (typeof v === 'string') {
    if (!v.startsWith('$')) return v;
    if (v.startsWith('$$')) {
      const dot = v.indexOf('.');
      return dot < 0 ? v : v.slice(0, dot + 1) + mingoPath(v.slice(dot + 1));
    }
    return `$${mingoPath(v.slice(1))}`;
  }
  if (Array.isArray(v)) return v.map(promoteExpr);
  if (!isPlainObject(v)) return promote(v);
  const out: Doc = {};
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (k === '$literal') out[k] = promote(x);
    else out[k.startsWith('$') ? k : mingoPath(k)] = promoteExpr(x);
  }
  return out;
}

/** Undoes promote()'s renaming of field names on mingo's output (numbers stay as mingo left them). */
export function demote(v: Value): Value {
  if (Array.isArray(v)) return v.map(demote);
  if (!isPlainObject(v)) return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) {
    const x = demote(v[k]);
    if (k.startsWith(STAND_IN)) {
      Object.defineProperty(out, k.slice(1), { value: x, writable: true, enumerable: true, configurable: true });
    } else out[k] = x;
  }
  return out;
}
