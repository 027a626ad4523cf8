import type { Doc, Value } from './bson-values';

/**
 * Per-query metadata of a result document ({$meta: 'textScore'}, {$meta: 'geoNearDistance'}),
 * kept beside the document rather than in it, as mongod keeps it in the working set.
 */
const scores = new WeakMap<Doc, Map<string, Value>>();

export function setMeta(doc: Doc, name: string, value: Value): void {
  let m = scores.get(doc);
  if (m === undefined) {
    m = new Map();
    scores.set(doc, m);
  }
  m.set(name, value);
}

export function metaValue(doc: Doc, name: string): Value | undefined {
  return scores.get(doc)?.get(name);
}
