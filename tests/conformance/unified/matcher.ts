// "Evaluating Matches" from the Unified Test Format: expected values may carry $$ operators,
// root-level documents may have extra keys, nested ones may not, arrays must have equal length,
// numbers compare by value across Int32/Long/Double.
import { EJSON } from 'bson';
import {
  bsonTypeAliases,
  compareNumeric,
  describe,
  isDocument,
  numericValue,
  scalarEquals,
  specialOperatorOf,
} from './bson-values';

export type MatchResult = { ok: true } | { ok: false; path: string; message: string };

/** What the matcher needs from the test's entity map. */
export interface MatchContext {
  entity(name: string): unknown;
  sessionLsid(name: string): unknown;
}

export const noEntities: MatchContext = {
  entity: (name) => {
    throw new Error(`entity '${name}' is not defined`);
  },
  sessionLsid: (name) => {
    throw new Error(`session entity '${name}' is not defined`);
  },
};

const OK: MatchResult = { ok: true };

function fail(path: string, message: string): MatchResult {
  return { ok: false, path: path || '(root)', message };
}

export interface MatchOptions {
  /** Treat `expected` (if a document) as root-level: the actual document may have extra keys. */
  root?: boolean;
  context?: MatchContext;
}

export function matchValue(expected: unknown, actual: unknown, options: MatchOptions = {}): MatchResult {
  return match(expected, actual, options.root ?? true, '', options.context ?? noEntities);
}

/** An expected array of documents each matched as a root-level document (find, aggregate …). */
export function matchRootDocuments(
  expected: unknown,
  actual: unknown,
  context: MatchContext = noEntities,
): MatchResult {
  if (!Array.isArray(expected)) return match(expected, actual, true, '', context);
  if (!Array.isArray(actual)) return fail('', `expected an array, got ${describe(actual)}`);
  if (expected.length !== actual.length) {
    return fail('', `expected ${expected.length} documents, got ${actual.length}: ${describe(actual)}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const r = match(expected[i], actual[i], true, `[${i}]`, context);
    if (!r.ok) return r;
  }
  return OK;
}

function match(expected: unknown, actual: unknown, isRoot: boolean, path: string, ctx: MatchContext): MatchResult {
  const special = specialOperatorOf(expected);
  if (special) return matchOperator(special.name, special.argument, actual, isRoot, path, ctx);
  if (isDocument(expected)) return matchDocument(expected, actual, isRoot, path, ctx);
  if (Array.isArray(expected)) return matchArray(expected, actual, path, ctx);
  if (scalarEquals(expected, actual)) return OK;
  return fail(path, `expected ${describe(expected)}, got ${describe(actual)}`);
}

function matchDocument(
  expected: Record<string, unknown>,
  actual: unknown,
  isRoot: boolean,
  path: string,
  ctx: MatchContext,
): MatchResult {
  const actualDoc = asDocument(actual);
  if (!actualDoc) return fail(path, `expected a document, got ${describe(actual)}`);
  for (const [key, value] of Object.entries(expected)) {
    const keyPath = path ? `${path}.${key}` : key;
    const present = Object.prototype.hasOwnProperty.call(actualDoc, key) && actualDoc[key] !== undefined;
    const special = specialOperatorOf(value);
    if (special?.name === '$$exists') {
      if (special.argument === true && !present) return fail(keyPath, 'expected key to exist');
      if (special.argument === false && present) {
        return fail(keyPath, `expected key to be absent, got ${describe(actualDoc[key])}`);
      }
      continue;
    }
    if (special?.name === '$$unsetOrMatches' && !present) continue;
    if (!present) return fail(keyPath, `missing; expected ${describe(value)}`);
    const r = match(value, actualDoc[key], false, keyPath, ctx);
    if (!r.ok) return r;
  }
  if (!isRoot) {
    const extra = Object.keys(actualDoc).filter(
      (k) => actualDoc[k] !== undefined && !Object.prototype.hasOwnProperty.call(expected, k),
    );
    if (extra.length > 0) return fail(path, `unexpected extra keys ${extra.join(', ')} in ${describe(actualDoc)}`);
  }
  return OK;
}

/** Documents, and DBRefs seen through their {$ref, $id, $db} form. */
function asDocument(value: unknown): Record<string, unknown> | undefined {
  if (isDocument(value)) return value;
  if (typeof value === 'object' && value !== null && (value as { _bsontype?: string })._bsontype === 'DBRef') {
    const parsed: unknown = EJSON.parse(EJSON.stringify(value, { relaxed: false }), { relaxed: false });
    return isDocument(parsed) ? parsed : undefined;
  }
  return undefined;
}

function matchArray(expected: unknown[], actual: unknown, path: string, ctx: MatchContext): MatchResult {
  if (!Array.isArray(actual)) return fail(path, `expected an array, got ${describe(actual)}`);
  if (expected.length !== actual.length) {
    return fail(path, `expected ${expected.length} elements, got ${actual.length}: ${describe(actual)}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const r = match(expected[i], actual[i], false, `${path}[${i}]`, ctx);
    if (!r.ok) return r;
  }
  return OK;
}

function matchOperator(
  name: string,
  argument: unknown,
  actual: unknown,
  isRoot: boolean,
  path: string,
  ctx: MatchContext,
): MatchResult {
  switch (name) {
    case '$$unsetOrMatches':
      return actual === undefined ? OK : match(argument, actual, isRoot, path, ctx);
    case '$$exists':
      // Only meaningful as a key's value; at value position, "exists" means "is not undefined".
      return (actual !== undefined) === (argument === true) ? OK : fail(path, `$$exists ${String(argument)} failed`);
    case '$$type':
      return matchType(argument, actual, path);
    case '$$matchesEntity':
      return match(ctx.entity(String(argument)), actual, isRoot, path, ctx);
    case '$$sessionLsid':
      return match(ctx.sessionLsid(String(argument)), actual, false, path, ctx);
    case '$$lte':
      return matchLte(argument, actual, path);
    case '$$matchesHexBytes':
      return matchHexBytes(argument, actual, path);
    case '$$matchAsDocument':
      return matchAsDocument(argument, actual, path, ctx);
    case '$$matchAsRoot':
      return match(argument, actual, true, path, ctx);
    default:
      throw new Error(`unsupported special operator ${name}`);
  }
}

function matchType(argument: unknown, actual: unknown, path: string): MatchResult {
  const wanted = (Array.isArray(argument) ? argument : [argument]).map(String);
  if (actual === undefined) return fail(path, `missing; expected $$type ${wanted.join('|')}`);
  const aliases = bsonTypeAliases(actual);
  if (wanted.some((t) => aliases.includes(t))) return OK;
  return fail(path, `expected $$type ${wanted.join('|')}, got ${aliases[0]} ${describe(actual)}`);
}

function matchLte(argument: unknown, actual: unknown, path: string): MatchResult {
  const limit = numericValue(argument);
  const value = numericValue(actual);
  if (!limit) throw new Error(`$$lte needs a number, got ${describe(argument)}`);
  if (value && compareNumeric(value, limit) <= 0) return OK;
  return fail(path, `expected a number <= ${describe(argument)}, got ${describe(actual)}`);
}

function matchHexBytes(argument: unknown, actual: unknown, path: string): MatchResult {
  if (typeof argument !== 'string' || !/^([0-9a-f]{2})*$/i.test(argument)) {
    throw new Error(`malformed $$matchesHexBytes ${describe(argument)}`);
  }
  const bytes =
    actual instanceof Uint8Array ? Buffer.from(actual) : typeof actual === 'string' ? Buffer.from(actual) : undefined;
  if (bytes && bytes.toString('hex') === argument.toLowerCase()) return OK;
  return fail(path, `expected bytes ${argument}, got ${describe(actual)}`);
}

function matchAsDocument(argument: unknown, actual: unknown, path: string, ctx: MatchContext): MatchResult {
  if (typeof actual !== 'string') return fail(path, `expected an Extended JSON string, got ${describe(actual)}`);
  let parsed: unknown;
  try {
    parsed = EJSON.parse(actual, { relaxed: false });
  } catch {
    return fail(path, `not Extended JSON: ${describe(actual)}`);
  }
  return match(argument, parsed, false, path, ctx);
}
