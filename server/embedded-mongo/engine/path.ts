import { isPlainObject, type Value } from './bson-values';
import { hasOwn } from './own';
import { appendAll } from './arrays';

/**
 * Dotted-path reading with MongoDB's array semantics: a path step that meets an array
 * fans out over its elements (and a numeric step may also index the array).
 */

/** Every value the path reaches, arrays at the leaf kept whole (the matcher then also looks inside). */
export function valuesAtPath(doc: Value, path: string): Value[] {
  return collect(doc, path.split('.'), 0);
}

function collect(cur: Value, parts: string[], i: number): Value[] {
  if (i === parts.length) return [cur];
  if (Array.isArray(cur)) {
    const out: Value[] = [];
    const key = parts[i];
    if (/^\d+$/.test(key)) {
      const idx = Number(key);
      if (idx < cur.length) appendAll(out, collect(cur[idx], parts, i + 1));
    }
    for (const el of cur) {
      if (isPlainObject(el)) appendAll(out, collect(el, parts, i));
    }
    return out;
  }
  if (isPlainObject(cur)) {
    const key = parts[i];
    if (!hasOwn(cur, key)) return [];
    return collect(cur[key], parts, i + 1);
  }
  return [];
}

/** The single value at a path without array fan-out (for sort keys on plain paths, _id, etc.). */
export function getPath(doc: Value, path: string): Value | undefined {
  let cur: Value = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (isPlainObject(cur) && hasOwn(cur, part)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

/**
 * Like valuesAtPath, but a branch that ends early (missing field, scalar in the way) yields
 * `undefined`, because `{ 'a.b': null }` and `$exists: false` must see those branches.
 */
export function branchValues(doc: Value, path: string): Value[] {
  return branch(doc, path.split('.'), 0);
}

function branch(cur: Value, parts: string[], i: number): Value[] {
  if (i === parts.length) return [cur];
  if (Array.isArray(cur)) {
    const key = parts[i];
    if (/^\d+$/.test(key)) {
      const idx = Number(key);
      const byIndex = idx < cur.length ? branch(cur[idx], parts, i + 1) : [];
      const nested = cur.filter((el) => isPlainObject(el) && hasOwn(el, key)).flatMap((el) => branch(el, parts, i));
      const out = [...byIndex, ...nested];
      return out.length > 0 ? out : [undefined];
    }
    if (cur.length === 0) return [undefined];
    return cur.flatMap((el) => (isPlainObject(el) || Array.isArray(el) ? branch(el, parts, i) : [undefined]));
  }
  if (isPlainObject(cur)) {
    const key = parts[i];
    return hasOwn(cur, key) ? branch(cur[key], parts, i + 1) : [undefined];
  }
  return [undefined];
}
