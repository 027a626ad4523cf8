import { isPlainObject, typeClass, type Doc, type Value } from './bson-values';
import { cloneValue } from './clone';
import { MongoServerError } from './errors';
import { setAt } from './mutate';

/**
 * The document an upsert starts from: the filter's equality conditions (`{a: 1}`,
 * `{a: {$eq: 1}}`, the same inside `$and`), dotted paths becoming nested fields.
 */
export function seedFromFilter(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  if (filter) addEqualities(seed, filter);
  return seed;
}

function addEqualities(seed: Doc, filter: Doc): void {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) addEqualities(seed, sub);
      continue;
    }
    if (key.startsWith('$')) continue;
    const value = equalityValue(cond);
    if (value === NOT_EQUALITY) continue;
    try {
      setAt(seed, key.split('.'), cloneValue(value));
    } catch {
      throw new MongoServerError(54, `cannot infer query fields to set, path '${key}' is matched twice`);
    }
  }
}

const NOT_EQUALITY = Symbol('not an equality');

function equalityValue(cond: Value): Value | typeof NOT_EQUALITY {
  if (typeClass(cond) === 'regex') return NOT_EQUALITY;
  if (isPlainObject(cond)) {
    const keys = Object.keys(cond);
    if (keys.length > 0 && keys[0].startsWith('$')) {
      if ('$eq' in cond) return cond.$eq;
      if ('$in' in cond && Array.isArray(cond.$in) && cond.$in.length === 1) return cond.$in[0];
      return NOT_EQUALITY;
    }
  }
  return cond;
}
