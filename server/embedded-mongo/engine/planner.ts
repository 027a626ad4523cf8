import { isPlainObject, typeClass, type Doc, type Value } from './bson-values';
import { collationActive } from './compare';
import type { Index } from './indexes';

/**
 * Picks candidate document ids from an index when the filter constrains an index's first
 * field by equality, $in or a range (at top level or inside a top-level $and). The full
 * filter still runs on every candidate, so candidates only need to be a superset.
 */
export interface Plan { index: string; ids: string[] }

const INDEXABLE = new Set(['number', 'string', 'objectId', 'date', 'bool', 'timestamp', 'binData']);

function scalar(v: Value): boolean {
  const cls = typeClass(v);
  // Index order is binary; under a collation, string bounds would miss equal strings.
  return INDEXABLE.has(cls) && !(cls === 'string' && collationActive());
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

function idsFor(index: Index, cond: Value): string[] | undefined {
  if (scalar(cond)) return index.idsEqual(cond);
  if (!isPlainObject(cond)) return undefined;
  if ('$eq' in cond && scalar(cond.$eq)) return index.idsEqual(cond.$eq);
  if ('$in' in cond && Array.isArray(cond.$in) && cond.$in.every(scalar)) {
    const set = new Set<string>();
    for (const v of cond.$in) for (const id of index.idsEqual(v)) set.add(id);
    return [...set];
  }
  const lowerOp = '$gte' in cond ? '$gte' : '$gt' in cond ? '$gt' : undefined;
  const upperOp = '$lte' in cond ? '$lte' : '$lt' in cond ? '$lt' : undefined;
  const lower = lowerOp && scalar(cond[lowerOp]) ? { v: cond[lowerOp], inclusive: lowerOp === '$gte' } : undefined;
  const upper = upperOp && scalar(cond[upperOp]) ? { v: cond[upperOp], inclusive: upperOp === '$lte' } : undefined;
  if (!lower && !upper) return undefined;
  // On a multikey index different elements may satisfy each bound, so only one bound is safe.
  if (lower && upper && (index.multikey || typeClass(lower.v) !== typeClass(upper.v))) return index.idsInRange(lower, undefined);
  return index.idsInRange(lower, upper);
}

export function planQuery(filter: Doc | undefined, indexes: Iterable<Index>): Plan | undefined {
  if (!filter) return undefined;
  const cs = clauses(filter);
  if (cs.length === 0) return undefined;
  let best: Plan | undefined;
  for (const index of indexes) {
    if (!index.complete) continue;
    for (const [path, cond] of cs) {
      if (path !== index.fields[0]) continue;
      const ids = idsFor(index, cond);
      if (ids && (!best || ids.length < best.ids.length)) best = { index: index.name, ids };
    }
  }
  return best;
}
