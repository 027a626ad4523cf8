import { isPlainObject, toNumber, type Doc } from '../engine/bson-values';
import type { Collection } from '../engine/collection';
import { compileFilter } from '../engine/query';
import { parseSort, sortDocs, type SortSpec } from '../engine/sort';

/**
 * Runs the leading $match / $sort / $skip / $limit of a pipeline on our own engine: the
 * filter may use an index, and sorting keeps BSON's type order and numeric types exactly.
 * Consumes those stages from `stages` and returns the documents they produce. When their order
 * needs no sort in memory and `lazy` is set, the documents are read one at a time as the pipeline
 * asks for them (the scan keeps keys only), so a pipeline over a large collection does not hold
 * it all: only what its own stages keep ($group, $sort …).
 */
export function runLeadingStages(coll: Collection, stages: Doc[], lazy = false): Iterable<Doc> {
  let filter: Doc = {};
  if (stages[0] && isPlainObject(stages[0].$match)) filter = stages.shift()?.$match as Doc;
  let sort: SortSpec = [];
  let skip = 0;
  let limit = 0;
  if (stages[0] && isPlainObject(stages[0].$sort)) sort = parseSort(stages.shift()?.$sort);
  for (;;) {
    const s = stages[0];
    if (s && '$skip' in s && limit === 0) skip += toNumber(s.$skip);
    else if (s && '$limit' in s) limit = limit === 0 ? toNumber(s.$limit) : Math.min(limit, toNumber(s.$limit));
    else break;
    stages.shift();
  }
  const hint =
    sort.length === 1 && sort[0].meta === undefined ? { ...sort[0], needed: limit > 0 ? skip + limit : 0 } : undefined;
  const predicate = compileFilter(filter);
  // $text scores are attached to the documents the filter ran on: those stay as scanned.
  const keepKeys = lazy && !('$text' in filter);
  // unsorted: the scan stops once skip + limit documents matched
  const stopAfter = sort.length === 0 && limit > 0 ? skip + limit : 0;
  const scan = coll.scan(filter, predicate, hint, stopAfter, keepKeys ? 0 : Infinity);
  const end = limit > 0 ? skip + limit : undefined;
  if (scan.rest && (scan.sorted || sort.length === 0)) {
    const keys = scan.rest.slice(skip, end);
    return (function* () {
      for (const key of keys) {
        const doc = coll.refetch(key, predicate);
        if (doc) yield doc;
      }
    })();
  }
  const docs = scan.rest
    ? scan.rest.flatMap((key): Doc[] => {
        const doc = coll.refetch(key, predicate);
        return doc ? [doc] : [];
      })
    : scan.docs;
  const sorted = scan.sorted ? docs : sortDocs(docs, sort);
  return sorted.slice(skip, end);
}
