import { Timestamp } from 'bson';
import {
  arith,
  isNumeric,
  isPlainObject,
  makeNumber,
  numericKind,
  toNumber,
  typeClass,
  type Doc,
  type Value,
} from './bson-values';
import { cloneValue } from './clone';
import { compareValues, valuesEqual } from './compare';
import { MongoServerError } from './errors';
import { getAt, hasAt, setAt, unsetAt } from './mutate';
import { compileFilter } from './query';
import { sortDocs, parseSort } from './sort';
import { expandPath, type PositionalContext } from './update-paths';
import { formatValue } from './format';
import { appendAll, insertAll } from './arrays';

/**
 * The update operators ($set … $pop, positional paths), applied to a copy of a stored
 * document. Written here because mingo's updater lacks $setOnInsert and does not raise
 * mongod's errors (14 TypeMismatch, 66 ImmutableField, 40 conflicts).
 */
export interface UpdateContext extends PositionalContext {
  /** True when the update builds a new document for an upsert ($setOnInsert applies). */
  inserting: boolean;
  now: Date;
}

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$setOnInsert',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$bit',
]);

export function isOperatorUpdate(update: Doc): boolean {
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0].startsWith('$');
}

/** Checks the update's shape before anything is applied: operator names, conflicting paths. */
export function validateOperatorUpdate(update: Doc): void {
  const seen: string[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (!op.startsWith('$'))
      throw new MongoServerError(
        9,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!OPERATORS.has(op))
      throw new MongoServerError(
        9,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!isPlainObject(fields))
      throw new MongoServerError(
        9,
        `Modifiers operate on fields but we found type ${typeClass(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(fields)}}`,
      );
    const paths = Object.keys(fields);
    if (op === '$rename') paths.push(...Object.values(fields).map((v) => String(v)));
    for (const p of paths) {
      if (p === '') throw new MongoServerError(56, `An empty update path is not valid.`);
      for (const q of seen) {
        if (conflicts(p, q))
          throw new MongoServerError(40, `Updating the path '${p}' would create a conflict at '${commonPrefix(p, q)}'`);
      }
      seen.push(p);
    }
  }
}

function conflicts(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function commonPrefix(a: string, b: string): string {
  return a.length < b.length ? a : b;
}

/** Applies an operator update in place on `doc` (already a private copy). */
export function applyOperators(doc: Doc, update: Doc, ctx: UpdateContext): void {
  const originalId = doc._id;
  for (const [op, fields] of Object.entries(update)) {
    for (const [path, arg] of Object.entries(fields as Doc)) {
      if (op === '$setOnInsert' && !ctx.inserting) continue;
      applyOne(doc, op, path, arg, ctx);
    }
  }
  if (originalId !== undefined && !('_id' in doc && valuesEqual(doc._id, originalId))) {
    throw new MongoServerError(66, `Performing an update on the path '_id' would modify the immutable field '_id'`);
  }
}

function applyOne(doc: Doc, op: string, path: string, arg: Value, ctx: UpdateContext): void {
  if (op === '$rename') {
    rename(doc, path, arg);
    return;
  }
  const targets = expandPath(doc, path, ctx);
  for (const parts of targets) {
    if (parts[0] === '_id' && !ctx.inserting && doc._id !== undefined) {
      const keepsId =
        (op === '$set' || op === '$setOnInsert' || op === '$min' || op === '$max') &&
        parts.length === 1 &&
        valuesEqual(arg, doc._id);
      if (!keepsId && op !== '$min' && op !== '$max') {
        throw new MongoServerError(66, `Performing an update on the path '_id' would modify the immutable field '_id'`);
      }
    }
    applyAt(doc, op, parts, arg, ctx);
  }
}

function applyAt(doc: Doc, op: string, parts: string[], arg: Value, ctx: UpdateContext): void {
  const exists = hasAt(doc, parts);
  const cur = exists ? getAt(doc, parts) : undefined;
  const field = parts.join('.');
  switch (op) {
    case '$set':
    case '$setOnInsert':
      setAt(doc, parts, cloneValue(arg));
      return;
    case '$unset':
      unsetAt(doc, parts);
      return;
    case '$inc':
    case '$mul': {
      if (!isNumeric(arg)) {
        throw new MongoServerError(
          14,
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${field}: ${formatValue(arg)}}`,
        );
      }
      if (!exists) {
        setAt(doc, parts, op === '$inc' ? cloneValue(arg) : makeNumber(0, numericKind(arg)));
        return;
      }
      if (!isNumeric(cur)) {
        throw new MongoServerError(
          14,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${parts[parts.length - 1]}' of non-numeric type ${typeName(cur)}`,
        );
      }
      setAt(doc, parts, arith(cur, arg, op === '$inc' ? 'add' : 'mul'));
      return;
    }
    case '$min':
    case '$max': {
      const c = exists ? compareValues(arg, cur) : 0;
      if (!exists || (op === '$min' ? c < 0 : c > 0)) setAt(doc, parts, cloneValue(arg));
      return;
    }
    case '$currentDate': {
      const wantsTs = isPlainObject(arg) && arg.$type === 'timestamp';
      if (isPlainObject(arg) && arg.$type !== 'timestamp' && arg.$type !== 'date') {
        throw new MongoServerError(
          2,
          `The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}`,
        );
      }
      setAt(
        doc,
        parts,
        wantsTs ? new Timestamp({ t: Math.floor(ctx.now.getTime() / 1000), i: 1 }) : new Date(ctx.now.getTime()),
      );
      return;
    }
    case '$push':
    case '$addToSet': {
      push(doc, op, parts, cur, exists, arg);
      return;
    }
    case '$pull':
    case '$pullAll': {
      if (!exists) return;
      if (!Array.isArray(cur)) throw new MongoServerError(2, `Cannot apply ${op} to a non-array value`);
      let keep: (e: Value) => boolean;
      if (op === '$pullAll') {
        if (!Array.isArray(arg))
          throw new MongoServerError(2, `$pullAll requires an array argument but was given a ${typeName(arg)}`);
        keep = (e) => !arg.some((x) => valuesEqual(e, x));
      } else keep = pullMatcher(arg);
      setAt(doc, parts, cur.filter(keep));
      return;
    }
    case '$pop': {
      if (!exists) return;
      if (!Array.isArray(cur))
        throw new MongoServerError(14, `Path '${field}' contains an element of non-array type '${typeName(cur)}'`);
      const n = toNumber(arg);
      if (n !== 1 && n !== -1) throw new MongoServerError(9, `Expected a number in: ${field}: ${formatValue(arg)}`);
      setAt(doc, parts, n === 1 ? cur.slice(0, -1) : cur.slice(1));
      return;
    }
    case '$bit': {
      bit(doc, parts, cur, arg, field);
      return;
    }
    default:
      throw new MongoServerError(9, `Unknown modifier: ${op}`);
  }
}

function typeName(v: Value): string {
  const c = typeClass(v);
  return c === 'number' ? numericKind(v) : c;
}

function rename(doc: Doc, from: string, to: Value): void {
  if (typeof to !== 'string' || to === '')
    throw new MongoServerError(2, `The 'to' field for $rename must be a string: ${from}: ${formatValue(to)}`);
  if (from === to)
    throw new MongoServerError(2, `The source and target field for $rename must differ: ${from}: "${to}"`);
  if (from === '_id' || to === '_id')
    throw new MongoServerError(66, `Performing an update on the path '_id' would modify the immutable field '_id'`);
  const fromParts = from.split('.');
  if (!hasAt(doc, fromParts)) return;
  const v = getAt(doc, fromParts);
  unsetAt(doc, fromParts);
  setAt(doc, to.split('.'), v);
}

function push(doc: Doc, op: string, parts: string[], cur: Value, exists: boolean, arg: Value): void {
  if (exists && !Array.isArray(cur)) {
    throw new MongoServerError(
      2,
      `The field '${parts[parts.length - 1]}' must be an array but is of type ${typeName(cur)} in document {_id: ${formatValue(doc._id)}}`,
    );
  }
  const arr = exists ? [...(cur as Value[])] : [];
  const modifiers = isPlainObject(arg) && '$each' in arg ? arg : undefined;
  const items = modifiers ? modifiers.$each : [arg];
  if (!Array.isArray(items))
    throw new MongoServerError(
      2,
      `The argument to $each in ${op} must be an array but it was of type: ${typeName(items)}`,
    );
  if (op === '$addToSet') {
    for (const item of items) if (!arr.some((e) => valuesEqual(e, item))) arr.push(cloneValue(item));
    setAt(doc, parts, arr);
    return;
  }
  let result = arr;
  const pos = modifiers?.$position;
  if (pos !== undefined) {
    let p = toNumber(pos);
    if (p < 0) p = Math.max(0, result.length + p);
    insertAll(result, Math.min(p, result.length), items.map(cloneValue));
  } else appendAll(result, items.map(cloneValue));
  if (modifiers?.$sort !== undefined) {
    const s = modifiers.$sort;
    if (isPlainObject(s)) result = sortDocs(result as Doc[], parseSort(s));
    else {
      const dir = toNumber(s);
      result = [...result].sort((a, b) => compareValues(a, b) * dir);
    }
  }
  if (modifiers?.$slice !== undefined) {
    const n = toNumber(modifiers.$slice);
    result = n >= 0 ? result.slice(0, n) : result.slice(n);
  }
  setAt(doc, parts, result);
}

function pullMatcher(arg: Value): (e: Value) => boolean {
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    const isOps = keys.length > 0 && keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k));
    if (isOps) {
      const pred = compileFilter({ v: arg });
      return (e) => !pred({ v: e });
    }
    const pred = compileFilter(arg);
    return (e) => !(isPlainObject(e) && pred(e));
  }
  if (typeClass(arg) === 'regex') {
    const pred = compileFilter({ v: arg });
    return (e) => !pred({ v: e });
  }
  return (e) => !valuesEqual(e, arg);
}

function bit(doc: Doc, parts: string[], cur: Value, arg: Value, field: string): void {
  if (!isPlainObject(arg))
    throw new MongoServerError(9, `The $bit modifier is not compatible with a non-object argument`);
  let value = cur === undefined ? makeNumber(0, 'int') : cur;
  if (numericKind(value) !== 'int' && numericKind(value) !== 'long') {
    throw new MongoServerError(
      14,
      `Cannot apply $bit to a value of non-integral type. {_id: ${formatValue(doc._id)}} has the field ${field} of non-integer type ${typeName(value)}`,
    );
  }
  for (const [how, operand] of Object.entries(arg)) {
    const a = BigInt(Math.trunc(toNumber(value)));
    const b = BigInt(Math.trunc(toNumber(operand)));
    const r = how === 'and' ? a & b : how === 'or' ? a | b : how === 'xor' ? a ^ b : undefined;
    if (r === undefined)
      throw new MongoServerError(2, `The $bit modifier only supports 'and', 'or', and 'xor', not '${how}'`);
    const kind = numericKind(value) === 'long' || numericKind(operand) === 'long' ? 'long' : 'int';
    value = makeNumber(r, kind);
  }
  setAt(doc, parts, value);
}
