import { isPlainObject, toNumber, typeClass, type Doc, type Value } from './bson-values';
import { activeCollationId } from './command-env';
import { collationActive } from './compare';
import type { BodyRange, Index } from './indexes';
import { intersectsBoxes, withinBoxes } from './geo-bounds';
import { geoCandidates, geoIndexUsable, nearKeys } from './geo-index';
import { encodeValue } from './key-encoding';
import { branchValues } from './path';
import { nearClause, nearestDistance } from './query';
import { lookupTerms } from './text';

/**
 * Picks candidate document ids from an index when the filter constrains an index's first
 * field by equality, $in or a range (at top level or inside a top-level $and). The full
 * filter still runs on every candidate, so candidates only need to be a superset.
 */
export interface Plan {
  index: string;
  /** Candidate ids, produced lazily so that an early stop does not pay for the rest. */
  ids: Iterable<string>;
  size: number;
  /** When the candidates are an entry range of `index`, walked in order or reversed. */
  walk?: { index: Index; range: BodyRange; reverse: boolean };
  /** Which key component of `walk`'s index is the sort's field (0 unless equalities fix the ones before). */
  sortField?: number;
  /** Set when `ids` are in the order of this sort, so the caller may skip sorting and stop early. */
  orderedBy?: { path: string; dir: 1 | -1 };
  /** Set when `ids` come nearest first for the filter's $near, so the caller may stop at its limit. */
  nearOrdered?: boolean;
  /** How explain names the plan's index stage (IXSCAN when not set). */
  stage?: 'TEXT_MATCH' | 'GEO_NEAR_2DSPHERE' | 'GEO_NEAR_2D';
}

/**
 * The sort's first field, and how many results the caller needs (skip + limit; 0 = all).
 * `more` is set when further sort fields follow: an index can then give the first field's
 * order only, and the caller sorts what it gets (ties on the first field included).
 */
export interface SortHint {
  path: string;
  dir: 1 | -1;
  needed: number;
  more?: boolean;
  /**
   * The caller only sends the documents back as they are stored (a find without projection):
   * when the index range alone decides the filter, documents need not be decoded at all.
   */
  rawReply?: boolean;
}

/** Below this many candidates, sorting them in memory is cheaper than walking another index. */
const SMALL_CANDIDATE_SET = 1000;

const INDEXABLE = new Set(['number', 'string', 'objectId', 'date', 'bool', 'timestamp', 'binData']);

function scalar(v: Value): boolean {
  const cls = typeClass(v);
  // Index order is binary; under a collation, string bounds would miss equal strings.
  return INDEXABLE.has(cls) && !(cls === 'string' && collationActive());
}

/**
 * A value `index` can look up by equality. A string needs the command's collation to be the
 * index's: both binary, or both the same collation whose equality the folded keys reproduce.
 */
function equalityKey(v: Value, index: Index): boolean {
  const cls = typeClass(v);
  if (cls !== 'string') return INDEXABLE.has(cls);
  if (index.collation === undefined) return !collationActive();
  return index.collationEquality && index.collation === activeCollationId();
}

/** A value `index` can use as a range bound: strings only on a binary index under binary comparison. */
function boundKey(v: Value, index: Index): boolean {
  return scalar(v) && !(typeClass(v) === 'string' && index.collation !== undefined);
}

function clauses(filter: Doc): Array<[string, Value]> {
  const out: Array<[string, Value]> = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) out.push(...clauses(sub));
    } else if (!k.startsWith('$')) out.push([k, v]);
  }
  return out;
}

/** Candidates as an entry range of the index (in key order), or as an unordered id list. */
type Candidates = { range: BodyRange } | { list: string[] };

function idsFor(index: Index, cond: Value): Candidates | undefined {
  const equal = (v: Value): Candidates => ({
    range: index.rangeBodies({ v, inclusive: true }, { v, inclusive: true }),
  });
  if (equalityKey(cond, index)) return equal(cond);
  if (!isPlainObject(cond)) return undefined;
  if ('$eq' in cond && equalityKey(cond.$eq, index)) return equal(cond.$eq);
  if ('$in' in cond && Array.isArray(cond.$in) && cond.$in.every((v) => equalityKey(v, index))) {
    const set = new Set<string>();
    for (const v of cond.$in)
      for (const id of index.walk(index.rangeBodies({ v, inclusive: true }, { v, inclusive: true }))) set.add(id);
    return { list: [...set] };
  }
  const lowerOp = '$gte' in cond ? '$gte' : '$gt' in cond ? '$gt' : undefined;
  const upperOp = '$lte' in cond ? '$lte' : '$lt' in cond ? '$lt' : undefined;
  const lower =
    lowerOp && boundKey(cond[lowerOp], index) ? { v: cond[lowerOp], inclusive: lowerOp === '$gte' } : undefined;
  const upper =
    upperOp && boundKey(cond[upperOp], index) ? { v: cond[upperOp], inclusive: upperOp === '$lte' } : undefined;
  if (!lower && !upper) return undefined;
  // On a multikey index different elements may satisfy each bound, so only one bound is safe.
  if (lower && upper && (index.multikey || typeClass(lower.v) !== typeClass(upper.v)))
    return { range: index.rangeBodies(lower, undefined) };
  return { range: index.rangeBodies(lower, upper) };
}

/** `size` is the count of the range (up to just past SMALL_CANDIDATE_SET), or `known` when given. */
function toPlan(index: Index, c: Candidates, reverse = false, known?: number | (() => number)): Plan {
  if ('list' in c) return { index: index.name, ids: c.list, size: c.list.length };
  // Counted only when compared with another plan (a range walk of up to ~1000 entries).
  let size = typeof known === 'function' ? undefined : known;
  const count = typeof known === 'function' ? known : () => index.estimate(c.range, SMALL_CANDIDATE_SET + 1);
  return {
    index: index.name,
    ids: index.walk(c.range, reverse),
    get size(): number {
      size ??= count();
      return size;
    },
    walk: { index, range: c.range, reverse },
  };
}

/** `total` is the collection's document count (the size of a whole-index walk). */
export function planQuery(
  filter: Doc | undefined,
  indexes: Iterable<Index>,
  sort?: SortHint,
  total = Infinity,
): Plan | undefined {
  const cs = filter ? clauses(filter) : [];
  const list = [...indexes];
  // $text and $near read their own index whatever else the filter says (mongod requires one).
  const own = filter ? (planText(filter, list) ?? planNear(filter, list)) : undefined;
  if (own) return own;
  let best: Plan | undefined = planGeoRegion(cs, list);
  let bestOrdered: Plan | undefined;
  for (const index of list) {
    if (!index.complete || index.spec.hidden === true) continue;
    // Key order equals mongod's sort order only when no document has an array under the key.
    // A collation's index holds folded strings: their order is not the collation's.
    const sortable =
      sort !== undefined &&
      !index.multikey &&
      index.fields[0] === sort.path &&
      !collationActive() &&
      index.collation === undefined;
    for (const [path, cond] of cs) {
      if (path !== index.fields[0]) continue;
      const found = idsFor(index, cond);
      if (!found) continue;
      const plan = toPlan(index, found);
      if (!best || plan.size < best.size) best = plan;
      if (sortable && 'range' in found) {
        const reverse = sort.dir !== index.direction(0);
        bestOrdered = Object.assign(
          toPlan(index, found, reverse, () => plan.size),
          { orderedBy: sort },
        );
      }
    }
    if (sortable && !bestOrdered && sort.needed > 0) {
      const reverse = sort.dir !== index.direction(0);
      bestOrdered = Object.assign(toPlan(index, { range: index.whole() }, reverse, total), { orderedBy: sort });
    }
  }
  const prefixOrdered = sort !== undefined && sort.needed > 0 ? planPrefixOrdered(cs, list, sort) : undefined;
  if (prefixOrdered && (!bestOrdered || prefixOrdered.size < bestOrdered.size)) bestOrdered = prefixOrdered;
  if (!best && filter && Array.isArray(filter.$or)) best = planOr(filter.$or, list, total);
  // Walking the sort's index and stopping early beats sorting everything once a limit is
  // known, unless another index already narrows the candidates to a few.
  if (!bestOrdered || !sort) return best;
  if (!best || bestOrdered.size <= best.size) return bestOrdered;
  return sort.needed > 0 && best.size > SMALL_CANDIDATE_SET ? bestOrdered : best;
}

/** A scalar the filter requires `path` to equal, if it does (`{ f: v }` or `{ f: { $eq: v } }`). */
function equalityOn(cs: Array<[string, Value]>, path: string): Value | undefined {
  for (const [p, cond] of cs) {
    if (p !== path) continue;
    if (scalar(cond)) return cond;
    if (isPlainObject(cond) && Object.keys(cond).length === 1 && '$eq' in cond && scalar(cond.$eq)) return cond.$eq;
  }
  return undefined;
}

/**
 * A compound index whose leading fields the filter fixes by equality and whose next field is
 * the sort's: within the equal prefix, entries are in the sort field's order
 * (`{ status: 'open' }` sorted by `expiresAt` on `{ status: 1, expiresAt: 1 }`).
 */
function planPrefixOrdered(cs: Array<[string, Value]>, indexes: Index[], sort: SortHint): Plan | undefined {
  if (collationActive()) return undefined;
  let best: Plan | undefined;
  for (const index of indexes) {
    if (!index.complete || index.spec.hidden === true || index.multikey || index.collation !== undefined) continue;
    const field = index.fields.indexOf(sort.path);
    if (field < 1) continue;
    const values: Value[] = [];
    for (const f of index.fields.slice(0, field)) {
      const v = equalityOn(cs, f);
      if (v === undefined) break;
      values.push(v);
    }
    if (values.length < field) continue;
    const reverse = sort.dir !== index.direction(field);
    const plan = toPlan(index, { range: index.prefixBodies(values) }, reverse);
    if (best && best.size <= plan.size) continue;
    best = Object.assign(plan, { orderedBy: sort, sortField: field });
  }
  return best;
}

/** A top-level $or can use indexes only if every branch can: the union of their candidates. */
function planOr(branches: unknown[], all: Index[], total: number): Plan | undefined {
  const ids = new Set<string>();
  const used = new Set<string>();
  for (const branch of branches) {
    const plan = isPlainObject(branch) ? planQuery(branch, all, undefined, total) : undefined;
    if (!plan) return undefined;
    used.add(plan.index);
    for (const id of plan.ids) ids.add(id);
  }
  return { index: [...used].join(','), ids, size: ids.size };
}

/** Classes whose index range equals mongod's query semantics for a bound of that class. */
const EXACT_CLASSES = new Set(['number', 'string', 'objectId', 'date', 'bool']);

function exactBound(v: Value): boolean {
  if (!scalar(v) || !EXACT_CLASSES.has(typeClass(v))) return false;
  // NaN compares as the smallest number in an index but matches only NaN in a query.
  return typeClass(v) !== 'number' || !Number.isNaN(toNumber(v));
}

/**
 * Whether walking `index` over the range the planner derives from `filter` yields exactly the
 * documents the filter matches, so the filter need not run on them: no filter at all, or one
 * top-level equality or range on the index's first field, on an index without arrays, without
 * a collation. Anything else (other fields, other operators, a range across types) is not.
 */
export function indexDecidesFilter(filter: Doc | undefined, index: Index): boolean {
  if (!filter) return true;
  const keys = Object.keys(filter);
  if (keys.length === 0) return true;
  if (keys.length !== 1 || keys[0] !== index.fields[0] || keys[0].startsWith('$')) return false;
  if (index.multikey || !index.complete || collationActive() || index.collation !== undefined) return false;
  const cond = filter[keys[0]];
  if (!isPlainObject(cond)) return exactBound(cond);
  const ops = Object.keys(cond);
  if (ops.length === 1 && ops[0] === '$eq') return exactBound(cond.$eq);
  const lowers = ops.filter((op) => op === '$gte' || op === '$gt');
  const uppers = ops.filter((op) => op === '$lte' || op === '$lt');
  if (lowers.length + uppers.length !== ops.length || lowers.length > 1 || uppers.length > 1) return false;
  if (!ops.every((op) => exactBound(cond[op]))) return false;
  // A range across two classes uses only its lower bound (idsFor): the walk then sees more.
  return lowers.length === 0 || uppers.length === 0 || typeClass(cond[lowers[0]]) === typeClass(cond[uppers[0]]);
}

/** The `$text` argument of a filter (top level or in a top-level $and). */
function textArgument(filter: Doc): Value | undefined {
  if ('$text' in filter) return filter.$text;
  if (!Array.isArray(filter.$and)) return undefined;
  for (const sub of filter.$and) {
    const found = isPlainObject(sub) ? textArgument(sub) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `$text` from the postings: the documents holding any of the search's terms, in _id order (as
 * a scan finds them); phrases, negations and the score are then checked on each document.
 */
function planText(filter: Doc, indexes: Index[]): Plan | undefined {
  const arg = textArgument(filter);
  if (arg === undefined) return undefined;
  const index = indexes.find((i) => i.text !== undefined && i.built && geoIndexUsable(i));
  const terms = index?.text ? lookupTerms(arg, index.text) : undefined;
  if (!index || !terms) return undefined;
  const keys = new Set<string>();
  for (const term of terms) for (const key of index.holdersOf(encodeValue(term))) keys.add(key);
  const ids = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { index: index.name, ids, size: ids.length, stage: 'TEXT_MATCH' };
}

/** The 2d/2dsphere index on `path` a $near query reads, if there is one. */
export function geoIndexFor(indexes: Iterable<Index>, path: string): Index | undefined {
  for (const index of indexes) {
    if (index.geo?.field === path && index.built && geoIndexUsable(index)) return index;
  }
  return undefined;
}

/** `$near`/`$nearSphere` from a geo index: candidates nearest first, read ring by ring. */
function planNear(filter: Doc, indexes: Index[]): Plan | undefined {
  const near = nearClause(filter);
  const index = near ? geoIndexFor(indexes, near.path) : undefined;
  const source = index?.source;
  if (!near || !index?.geo || !source) return undefined;
  const ids = nearKeys(
    index,
    index.geo.grid,
    near.spec,
    (key) => source.get(key),
    (doc) => nearestDistance(near.spec, branchValues(doc, near.path)),
  );
  const stage = index.geo.spherical ? 'GEO_NEAR_2DSPHERE' : 'GEO_NEAR_2D';
  return { index: index.name, ids, size: Infinity, nearOrdered: true, stage };
}

/** `$geoWithin`/`$geoIntersects` on a geo index's field: the documents in the cells covering the region. */
function planGeoRegion(cs: Array<[string, Value]>, indexes: Index[]): Plan | undefined {
  let best: Plan | undefined;
  for (const [path, cond] of cs) {
    if (!isPlainObject(cond)) continue;
    const index = geoIndexFor(indexes, path);
    if (!index?.geo) continue;
    const boxes =
      '$geoIntersects' in cond
        ? intersectsBoxes(cond.$geoIntersects)
        : withinBoxes('$geoWithin' in cond ? cond.$geoWithin : cond.$within);
    if (!boxes) continue;
    const ids = geoCandidates(index, index.geo.grid, boxes);
    if (!best || ids.length < best.size) best = { index: index.name, ids, size: ids.length };
  }
  return best;
}
