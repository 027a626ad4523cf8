import { isPlainObject, toNumber, type Doc, type Value } from './bson-values';
import { compareValues } from './compare';
import { badValue } from './errors';
import { hasOwn } from './own';
import { valuesAtPath } from './path';
import { metaValue } from './text-meta';
import { appendAll } from './arrays';

/**
 * mongod's sort: an array field sorts by its smallest element ascending and its largest
 * descending; a missing field sorts as null.
 */
export type SortSpec = Array<{ path: string; dir: 1 | -1; meta?: string }>;

export function parseSort(sort: Value): SortSpec {
  if (sort === undefined || sort === null) return [];
  if (!isPlainObject(sort)) throw badValue('sort must be an object');
  return Object.entries(sort).map(([path, d]) => {
    if (isPlainObject(d)) {
      // { $meta: 'textScore' }: highest score first.
      if (typeof d.$meta !== 'string') throw badValue(`Illegal key in $sort specification: ${path}`);
      return { path, dir: -1 as const, meta: d.$meta };
    }
    const n = toNumber(d);
    if (n !== 1 && n !== -1) throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    return { path, dir: n };
  });
}

function sortKey(doc: Doc, path: string, dir: 1 | -1): Value {
  // The usual case, a top-level field holding a scalar: what valuesAtPath would give, without its arrays.
  if (!path.includes('.') && isPlainObject(doc)) {
    if (!hasOwn(doc, path)) return null;
    const v = doc[path];
    if (!Array.isArray(v)) return v;
  }
  const leaves: Value[] = [];
  for (const v of valuesAtPath(doc, path)) {
    if (Array.isArray(v)) appendAll(leaves, v);
    else leaves.push(v);
  }
  if (leaves.length === 0) return null;
  let best = leaves[0];
  for (const v of leaves.slice(1)) {
    const c = compareValues(v, best);
    if ((dir === 1 && c < 0) || (dir === -1 && c > 0)) best = v;
  }
  return best;
}

/** The values a document sorts by under `spec`, one per field. */
export function sortValuesOf(doc: Doc, spec: SortSpec): Value[] {
  return spec.map((s) => (s.meta !== undefined ? (metaValue(doc, s.meta) ?? null) : sortKey(doc, s.path, s.dir)));
}

/** Sorts items by their sort values under `spec`; ties keep their order (mongod's sort is stable here too). */
export function sortBySortValues<T extends { values: Value[] }>(items: T[], spec: SortSpec): T[] {
  const indexed = items.map((item, i) => ({ item, i }));
  indexed.sort((a, b) => {
    for (let k = 0; k < spec.length; k++) {
      const c = compareValues(a.item.values[k], b.item.values[k]);
      if (c !== 0) return c * spec[k].dir;
    }
    return a.i - b.i;
  });
  return indexed.map((x) => x.item);
}

export function sortDocs(docs: Doc[], spec: SortSpec): Doc[] {
  if (spec.length === 0) return docs;
  const keyed = docs.map((doc) => ({ doc, values: sortValuesOf(doc, spec) }));
  return sortBySortValues(keyed, spec).map((k) => k.doc);
}
