// Helpers that classify and compare BSON values as the driver and EJSON.parse hand them to us.
// Expected values come from `EJSON.parse(text, { relaxed: false })` (Int32/Double/Long wrappers);
// actual values come from the driver with default promotion (plain JS numbers), so numeric types
// are compared by value and a JS number may stand for any of int/long/double.
import { EJSON, Long } from 'bson';

export type Doc = Record<string, unknown>;

interface BsonTagged {
  _bsontype: string;
}

function bsonTag(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag = (value as Partial<BsonTagged>)._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** A plain document (not an array, not a BSON wrapper, not a Date/RegExp/Buffer). */
export function isDocument(value: unknown): value is Doc {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (bsonTag(value) !== undefined) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A document whose first and only key starts with `$$` (a special matching operator). */
export function specialOperatorOf(value: unknown): { name: string; argument: unknown } | undefined {
  if (!isDocument(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !keys[0].startsWith('$$')) return undefined;
  return { name: keys[0], argument: value[keys[0]] };
}

export type NumericValue = { kind: 'integer'; value: bigint } | { kind: 'float'; value: number };

/** Int32, Double, Long and JS numbers as one comparable value; undefined for non-numbers. */
export function numericValue(value: unknown): NumericValue | undefined {
  if (typeof value === 'number') return toNumeric(value);
  if (typeof value === 'bigint') return { kind: 'integer', value };
  const tag = bsonTag(value);
  if (tag === 'Int32' || tag === 'Double') return toNumeric((value as { valueOf(): number }).valueOf());
  if (tag === 'Long') return { kind: 'integer', value: (value as Long).toBigInt() };
  return undefined;
}

function toNumeric(n: number): NumericValue {
  return Number.isInteger(n) ? { kind: 'integer', value: BigInt(n) } : { kind: 'float', value: n };
}

export function compareNumeric(a: NumericValue, b: NumericValue): number {
  if (a.kind === 'integer' && b.kind === 'integer') return a.value === b.value ? 0 : a.value < b.value ? -1 : 1;
  const x = Number(a.value);
  const y = Number(b.value);
  if (Number.isNaN(x) && Number.isNaN(y)) return 0;
  return x === y ? 0 : x < y ? -1 : 1;
}

/**
 * Int32/Double/Long wrappers → JS numbers, for option values handed to the driver (which checks
 * `typeof x === 'number'` for limit, skip, w, …). Other values pass through unchanged.
 */
export function plainNumber(value: unknown): unknown {
  const n = numericValue(value);
  if (!n || typeof value === 'number') return value;
  if (n.kind === 'float') return n.value;
  const asNumber = Number(n.value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
}

/**
 * The `$type` aliases an actual value may answer to. A plain JS number lost its BSON type in
 * deserialization, so an integral one answers to int, long and double.
 */
export function bsonTypeAliases(value: unknown): string[] {
  if (value === undefined) return ['undefined'];
  if (value === null) return ['null'];
  if (typeof value === 'string') return ['string'];
  if (typeof value === 'boolean') return ['bool'];
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ['int', 'long', 'double', 'number'] : ['double', 'number'];
  }
  if (typeof value === 'bigint') return ['long', 'number'];
  if (Array.isArray(value)) return ['array'];
  if (value instanceof Date) return ['date'];
  if (value instanceof RegExp) return ['regex'];
  const tag = bsonTag(value);
  switch (tag) {
    case 'Int32':
      return ['int', 'number'];
    case 'Double':
      return ['double', 'number'];
    case 'Long':
      return ['long', 'number'];
    case 'Decimal128':
      return ['decimal', 'number'];
    case 'ObjectId':
      return ['objectId'];
    case 'Binary':
      return ['binData'];
    case 'Timestamp':
      return ['timestamp'];
    case 'BSONRegExp':
      return ['regex'];
    case 'Code':
      return (value as { scope?: unknown }).scope ? ['javascriptWithScope'] : ['javascript'];
    case 'BSONSymbol':
      return ['symbol'];
    case 'MinKey':
      return ['minKey'];
    case 'MaxKey':
      return ['maxKey'];
    case 'DBRef':
      return ['object'];
    case 'DBPointer':
      return ['dbPointer'];
    default:
      return isDocument(value) ? ['object'] : ['unknown'];
  }
}

/** Equality of two non-document, non-array values (numbers by value). */
export function scalarEquals(expected: unknown, actual: unknown): boolean {
  const en = numericValue(expected);
  const an = numericValue(actual);
  if (en || an) return en !== undefined && an !== undefined && compareNumeric(en, an) === 0;
  if (expected === null || actual === null || expected === undefined || actual === undefined) {
    return expected === actual;
  }
  if (typeof expected !== 'object' || typeof actual !== 'object') return expected === actual;
  if (expected instanceof Date || actual instanceof Date) {
    return expected instanceof Date && actual instanceof Date && expected.getTime() === actual.getTime();
  }
  const [er, ar] = [regexParts(expected), regexParts(actual)];
  if (er || ar) return er !== undefined && ar !== undefined && er === ar;
  const et = bsonTag(expected);
  if (et === undefined || et !== bsonTag(actual)) return false;
  // Same BSON wrapper type: compare canonical Extended JSON, which normalises key order for Code scopes.
  return canonical(expected) === canonical(actual);
}

function regexParts(value: object): string | undefined {
  if (value instanceof RegExp) return `${value.source}/${[...value.flags].sort().join('')}`;
  if (bsonTag(value) === 'BSONRegExp') {
    const r = value as { pattern: string; options: string };
    return `${r.pattern}/${[...r.options].sort().join('')}`;
  }
  return undefined;
}

function canonical(value: unknown): string {
  return EJSON.stringify(sortKeysDeep(value), { relaxed: false });
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isDocument(value)) return value;
  const out: Doc = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key]);
  return out;
}

/** Short relaxed-EJSON rendering for failure messages. */
export function describe(value: unknown, max = 160): string {
  if (value === undefined) return '(missing)';
  let text: string;
  try {
    text = EJSON.stringify(value, { relaxed: true });
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
