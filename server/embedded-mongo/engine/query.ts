import { Query } from 'mingo';
import type { BSONRegExp, DBRef } from 'bson';
import {
  bsonTag,
  isPlainObject,
  numericKind,
  promote,
  promoteExpr,
  toNumber,
  typeClass,
  type Doc,
  type Value,
} from './bson-values';
import { compareValues } from './compare';
import { commandIndexSpecs, letVariables } from './command-env';
import { badValue, MongoServerError } from './errors';
import { hasOwn } from './own';
import { compileIntersects, compileWithin, nearDistance, parseNear, toPoint, withinNear, type NearSpec } from './geo';
import { bitTester, compileJsonSchema } from './json-schema';
import { branchValues } from './path';
import { compileText, textIndexOf } from './text';

/**
 * Compiles a MongoDB filter into a predicate. Written here rather than taken from mingo
 * because stored values keep their BSON wrappers (Int32, Long, Decimal128 …) and mongod
 * compares them by numeric value and by BSON type order.
 */
export type Predicate = (doc: Doc) => boolean;
type ValuePredicate = (values: Value[]) => boolean;

export function compileFilter(filter: Doc | undefined | null): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  const parts: Predicate[] = [];
  for (const [key, cond] of Object.entries(filter)) parts.push(compileClause(key, cond));
  return (doc) => parts.every((p) => p(doc));
}

function compileList(op: string, cond: Value): Predicate[] {
  if (!Array.isArray(cond) || cond.length === 0) throw badValue(`${op} argument must be a non-empty array`);
  return cond.map((c) => {
    if (!isPlainObject(c)) throw badValue(`${op} argument's entries must be objects`);
    return compileFilter(c);
  });
}

function compileClause(key: string, cond: Value): Predicate {
  switch (key) {
    case '$and': {
      const ps = compileList(key, cond);
      return (d) => ps.every((p) => p(d));
    }
    case '$or': {
      const ps = compileList(key, cond);
      return (d) => ps.some((p) => p(d));
    }
    case '$nor': {
      const ps = compileList(key, cond);
      return (d) => !ps.some((p) => p(d));
    }
    case '$comment':
      return () => true;
    case '$expr': {
      const q = new Query({ $expr: promoteExpr(cond) }, { variables: letVariables() });
      return (d) => q.test(promote(d) as Doc);
    }
    case '$where':
      // Server-side JavaScript is off, as on a mongod started with --noscripting.
      throw new MongoServerError(6108304, 'no globalScriptEngine in $where parsing');
    case '$text':
      return compileText(cond, textIndexOf(commandIndexSpecs()));
    case '$jsonSchema': {
      const check = compileJsonSchema(cond);
      return (d) => check(d).length === 0;
    }
    default:
      break;
  }
  if (key.startsWith('$')) throw badValue(`unknown top level operator: ${key}`);
  const vp = compileCondition(cond);
  return (doc) => vp(branchValues(doc, key));
}

function isOperatorObject(cond: Value): cond is Doc {
  if (!isPlainObject(cond)) return false;
  const keys = Object.keys(cond);
  return keys.length > 0 && keys[0].startsWith('$');
}

/** A condition on a field: an operator object, a regex, or a value to be equal to. */
function compileCondition(cond: Value): ValuePredicate {
  if (isOperatorObject(cond)) {
    const near = hasOwn(cond, '$near') ? '$near' : hasOwn(cond, '$nearSphere') ? '$nearSphere' : undefined;
    if (near !== undefined) return nearPredicate(parseNear(near, cond));
    const ops = Object.entries(cond);
    const options = typeof cond.$options === 'string' ? cond.$options : undefined;
    const preds = ops.filter(([op]) => op !== '$options').map(([op, arg]) => compileOperator(op, arg, options));
    if (options !== undefined && !('$regex' in cond)) throw badValue('$options needs a $regex');
    return (vs) => preds.every((p) => p(vs));
  }
  if (isRegex(cond)) {
    const t = regexTest(cond);
    return (vs) => anyLeaf(vs, (v) => t(v));
  }
  return equalsPredicate(cond);
}

function isRegex(v: Value): boolean {
  return typeClass(v) === 'regex';
}

function regexTest(r: Value, extraOptions?: string): (v: Value) => boolean {
  let re: RegExp;
  if (r instanceof RegExp) re = extraOptions ? new RegExp(r.source, extraOptions) : r;
  else if (typeof r === 'string') re = new RegExp(r, jsFlags(extraOptions ?? ''));
  else {
    const b = r as BSONRegExp;
    re = new RegExp(b.pattern, jsFlags(extraOptions ?? b.options));
  }
  return (v) => {
    if (typeof v === 'string') return re.test(v);
    if (bsonTag(v) === 'BSONSymbol') return re.test(String((v as { value: string }).value));
    return false;
  };
}

function jsFlags(options: string): string {
  return [...options].filter((c) => 'imsu'.includes(c)).join('') + (options.includes('x') ? '' : '');
}

/** Applies `test` to each value and, for arrays, to each element (one level, as mongod does). */
function anyLeaf(vs: Value[], test: (v: Value) => boolean): boolean {
  return vs.some((v) => test(v) || (Array.isArray(v) && v.some(test)));
}

function equalsPredicate(x: Value): ValuePredicate {
  if (x === null || x === undefined) {
    return (vs) => vs.some((v) => v === undefined || v === null || (Array.isArray(v) && v.some((e) => e === null)));
  }
  return (vs) =>
    anyLeaf(vs, (v) => compareValues(v, x) === 0) ||
    vs.some((v) => Array.isArray(v) && Array.isArray(x) && compareValues(v, x) === 0);
}

/** Range ops only compare within a type class (numbers with numbers …), as mongod's bracketing does. */
function rangePredicate(op: string, x: Value): ValuePredicate {
  const test = (c: number): boolean => (op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0);
  const cls = typeClass(x);
  if (cls === 'null') return op === '$gte' || op === '$lte' ? equalsPredicate(null) : () => false;
  if (cls === 'minKey' || cls === 'maxKey') {
    return (vs) => anyLeaf(vs, (v) => v !== undefined && test(compareValues(v, x)));
  }
  const leaf = (v: Value): boolean => v !== undefined && typeClass(v) === cls && test(compareValues(v, x));
  return (vs) =>
    anyLeaf(vs, leaf) || (cls === 'array' && vs.some((v) => Array.isArray(v) && test(compareValues(v, x))));
}

function inPredicate(arg: Value): ValuePredicate {
  if (!Array.isArray(arg)) throw badValue('$in needs an array');
  const preds = arg.map((x) => {
    if (isRegex(x)) {
      const t = regexTest(x);
      return (vs: Value[]) => anyLeaf(vs, t);
    }
    if (isOperatorObject(x)) throw badValue('cannot nest $ under $in');
    return equalsPredicate(x);
  });
  return (vs) => preds.some((p) => p(vs));
}

const TYPE_ALIASES: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

function bsonTypeNumber(v: Value): number {
  const c = typeClass(v);
  switch (c) {
    case 'number':
      return TYPE_ALIASES[numericKind(v)];
    case 'string':
      return bsonTag(v) === 'BSONSymbol' ? 14 : 2;
    case 'minKey':
      return -1;
    case 'maxKey':
      return 127;
    case 'other':
      return bsonTag(v) === 'Code' ? 13 : 6;
    default:
      return TYPE_ALIASES[c];
  }
}

function typePredicate(arg: Value): ValuePredicate {
  const wanted = (Array.isArray(arg) ? arg : [arg]).map((t) => {
    if (t === 'number') return 'number';
    if (typeof t === 'string') {
      if (!hasOwn(TYPE_ALIASES, t)) throw badValue(`Unknown type name alias: ${t}`);
      return TYPE_ALIASES[t];
    }
    return toNumber(t);
  });
  const matches = (v: Value): boolean =>
    v !== undefined && wanted.some((w) => (w === 'number' ? typeClass(v) === 'number' : bsonTypeNumber(v) === w));
  return (vs) => vs.some((v) => matches(v) || (Array.isArray(v) && v.some(matches)));
}

/** A DBRef (decoded as the DBRef class, or a plain {$ref, $id}) as its fields. */
function dbrefFields(v: Value): Doc | undefined {
  if (bsonTag(v) === 'DBRef') {
    const r = v as DBRef;
    const out: Doc = { $ref: r.collection, $id: r.oid };
    if (r.db !== undefined && r.db !== '') out.$db = r.db;
    return { ...out, ...r.fields };
  }
  return isPlainObject(v) && (hasOwn(v, '$ref') || hasOwn(v, '$id')) ? v : undefined;
}

/** `$elemMatch: {$ref: 'users', $id: 7}`: each DBRef field compared like a field condition. */
function dbrefElemMatch(arg: Doc): ValuePredicate {
  const tests = Object.entries(arg).map(([k, cond]) => [k, compileCondition(cond)] as const);
  const test = (e: Value): boolean => {
    const fields = dbrefFields(e);
    return fields !== undefined && tests.every(([k, vp]) => vp([hasOwn(fields, k) ? fields[k] : undefined]));
  };
  return (vs) => vs.some((v) => Array.isArray(v) && v.some(test));
}

function elemMatchPredicate(arg: Value): ValuePredicate {
  const ref = dbrefFields(arg);
  if (ref !== undefined) return dbrefElemMatch(ref);
  if (!isPlainObject(arg)) throw badValue('$elemMatch needs an Object');
  const keys = Object.keys(arg);
  // A DBRef's fields ($ref, $id, $db) are field names, not operators.
  const onValue =
    keys.length > 0 &&
    keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$ref', '$id', '$db'].includes(k));
  const test: (e: Value) => boolean = onValue
    ? (
        (vp) => (e: Value) =>
          vp([e])
      )(compileCondition(arg))
    : (
        (p) => (e: Value) =>
          isPlainObject(e) && p(e)
      )(compileFilter(arg));
  return (vs) => vs.some((v) => Array.isArray(v) && v.some(test));
}

function compileOperator(op: string, arg: Value, options?: string): ValuePredicate {
  switch (op) {
    case '$eq':
      return equalsPredicate(arg);
    case '$ne': {
      const p = equalsPredicate(arg);
      return (vs) => !p(vs);
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return rangePredicate(op, arg);
    case '$in':
      return inPredicate(arg);
    case '$nin': {
      const p = inPredicate(arg);
      return (vs) => !p(vs);
    }
    case '$exists': {
      const want = Boolean(promote(arg));
      return (vs) => vs.some((v) => v !== undefined) === want;
    }
    case '$type':
      return typePredicate(arg);
    case '$regex': {
      const t = regexTest(arg, options);
      return (vs) => anyLeaf(vs, t);
    }
    case '$size': {
      const n = toNumber(arg);
      return (vs) => vs.some((v) => Array.isArray(v) && v.length === n);
    }
    case '$all': {
      if (!Array.isArray(arg)) throw badValue('$all needs an array');
      if (arg.length === 0) return () => false;
      const preds = arg.map((x) =>
        isPlainObject(x) && '$elemMatch' in x
          ? elemMatchPredicate(x.$elemMatch)
          : isRegex(x)
            ? (
                (t) => (vs: Value[]) =>
                  anyLeaf(vs, t)
              )(regexTest(x))
            : equalsPredicate(x),
      );
      return (vs) => preds.every((p) => p(vs));
    }
    case '$elemMatch':
      return elemMatchPredicate(arg);
    case '$not': {
      if (isRegex(arg)) {
        const t = regexTest(arg);
        return (vs) => !anyLeaf(vs, t);
      }
      if (!isOperatorObject(arg)) throw badValue('$not needs a regex or a document');
      const p = compileCondition(arg);
      return (vs) => !p(vs);
    }
    case '$mod': {
      if (!Array.isArray(arg) || arg.length !== 2) throw badValue('malformed mod, needs to be an array of 2 elements');
      const [d, r] = arg.map(toNumber);
      if (d === 0) throw badValue('divisor cannot be 0');
      return (vs) =>
        anyLeaf(vs, (v) => typeClass(v) === 'number' && Math.trunc(toNumber(v)) % Math.trunc(d) === Math.trunc(r));
    }
    case '$geoWithin':
    case '$within':
      return geoPredicate(compileWithin(arg));
    case '$geoIntersects':
      return geoPredicate(compileIntersects(arg));
    case '$minDistance':
    case '$maxDistance':
      throw badValue(`${op} must be used with $near or $nearSphere`);
    case '$bitsAllSet':
    case '$bitsAnySet':
    case '$bitsAllClear':
    case '$bitsAnyClear':
      return bitsPredicate(op, arg);
    case '$comment':
      return () => true;
    default:
      throw badValue(`unknown operator: ${op}`);
  }
}

/** The bit positions a $bits* argument names: a non-negative integer mask, a list of positions, or binData. */
function bitPositions(op: string, arg: Value): number[] {
  if (typeClass(arg) === 'number') {
    const n = toNumber(arg);
    if (!Number.isInteger(n)) throw badValue(`${op} takes an Array, a number, or a BinData but received: ${op}: ${n}`);
    if (n < 0) throw badValue(`${op} takes an Array, a number, or a BinData but received: ${op}: ${n}`);
    const test = bitTester(arg);
    return Array.from({ length: 64 }, (_, i) => i).filter((i) => test?.(i) === true);
  }
  if (Array.isArray(arg)) {
    return arg.map((x) => {
      const n = toNumber(x);
      if (typeClass(x) !== 'number' || !Number.isInteger(n)) {
        throw badValue(`bit positions must be an integer but got: ${String(x)}`);
      }
      if (n < 0) throw badValue(`bit positions must be >= 0 but got: ${n}`);
      return n;
    });
  }
  if (bsonTag(arg) === 'Binary') {
    const test = bitTester(arg);
    const b = arg as { position: number };
    return Array.from({ length: b.position * 8 }, (_, i) => i).filter((i) => test?.(i) === true);
  }
  throw badValue(`${op} takes an Array, a number, or a BinData but received: ${op}: ${typeClass(arg)}`);
}

function bitsPredicate(op: string, arg: Value): ValuePredicate {
  const positions = bitPositions(op, arg);
  const leaf = (v: Value): boolean => {
    const test = bitTester(v);
    if (test === undefined) return false;
    switch (op) {
      case '$bitsAllSet':
        return positions.every(test);
      case '$bitsAnySet':
        return positions.some(test);
      case '$bitsAllClear':
        return positions.every((p) => !test(p));
      default:
        return positions.some((p) => !test(p));
    }
  };
  return (vs) => anyLeaf(vs, leaf);
}

/** A geometry test on a field: the value itself, or each element of an array of geometries. */
function geoPredicate(test: (v: Value) => boolean): ValuePredicate {
  return (vs) => vs.some((v) => test(v) || (Array.isArray(v) && toPoint(v) === undefined && v.some(test)));
}

function nearPredicate(spec: NearSpec): ValuePredicate {
  return (vs) => withinNear(spec, nearestDistance(spec, vs));
}

/** The smallest distance from the $near point to any geometry among the values, if any. */
export function nearestDistance(spec: NearSpec, vs: Value[]): number | undefined {
  let best: number | undefined;
  for (const v of vs) {
    const candidates = Array.isArray(v) && toPoint(v) === undefined ? v : [v];
    for (const c of candidates) {
      const d = nearDistance(spec, c);
      if (d !== undefined && (best === undefined || d < best)) best = d;
    }
  }
  return best;
}

/** The `$near`/`$nearSphere` clause of a filter (top level or in a top-level $and), for sorting by distance. */
export function nearClause(filter: Doc | undefined): { path: string; spec: NearSpec } | undefined {
  if (!filter) return undefined;
  for (const key of Object.keys(filter)) {
    const cond = filter[key];
    if (key === '$and' && Array.isArray(cond)) {
      for (const sub of cond) {
        const found = isPlainObject(sub) ? nearClause(sub) : undefined;
        if (found) return found;
      }
    }
    if (key.startsWith('$') || !isPlainObject(cond)) continue;
    const near = hasOwn(cond, '$near') ? '$near' : hasOwn(cond, '$nearSphere') ? '$nearSphere' : undefined;
    if (near !== undefined) return { path: key, spec: parseNear(near, cond) };
  }
  return undefined;
}

/** Sorts documents by distance to the $near point, nearest first (as mongod returns $near results). */
export function sortByNear(docs: Doc[], near: { path: string; spec: NearSpec }): Doc[] {
  const keyed = docs.map((d) => ({ d, k: nearestDistance(near.spec, branchValues(d, near.path)) ?? Infinity }));
  keyed.sort((a, b) => a.k - b.k);
  return keyed.map((x) => x.d);
}
