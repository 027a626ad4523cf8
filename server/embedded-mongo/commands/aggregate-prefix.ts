import { isPlainObject, toNumber, type Doc } from '../engine/bson-values';
import type { Collection } from '../engine/collection';
import { compileFilter } from '../engine/query';
import { parseSort, sortDocs, type SortSpec } from '../engine/sort';

/**
 * Runs the leading $match / $sort / $skip / $limit of a pipeline on our own engine: the
 * filter may use an index, and sorting keeps BSON's type order and numeric types exactly.
 * Consumes those stages from `stages` and returns the documents they produce.
 */
export function runLeadingStages(coll: Collection, stages: Doc[]): Doc[] {
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
  const scan = coll.scan(filter, compileFilter(filter), hint);
  const sorted = scan.sorted ? scan.docs : sortDocs(scan.docs, sort);
  return sorted.slice(skip, limit > 0 ? skip + limit : undefined);
}
