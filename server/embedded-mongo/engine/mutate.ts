import { isPlainObject, typeClass, type Doc, type Value } from './bson-values';
import { MongoServerError } from './errors';
import { getOwn, hasOwn, setOwn } from './own';

/** Low-level get/set/unset on concrete path parts, with mongod's "cannot create field" errors. */

export function getAt(doc: Doc, parts: string[]): Value | undefined {
  let cur: Value = doc;
  for (const p of parts) {
    if (Array.isArray(cur) && /^\d+$/.test(p)) cur = cur[Number(p)];
    else if (isPlainObject(cur)) cur = getOwn(cur, p);
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function hasAt(doc: Doc, parts: string[]): boolean {
  let cur: Value = doc;
  for (const p of parts) {
    if (Array.isArray(cur) && /^\d+$/.test(p)) {
      if (Number(p) >= cur.length) return false;
      cur = cur[Number(p)];
    } else if (isPlainObject(cur)) {
      if (!hasOwn(cur, p)) return false;
      cur = cur[p];
    } else return false;
  }
  return true;
}

function describe(v: Value): string {
  return typeClass(v) === 'array' ? 'array' : typeClass(v);
}

/** Walks to the parent container of the last part, creating objects on the way. */
function parentFor(doc: Doc, parts: string[], create: boolean): Doc | Value[] | undefined {
  let cur: Doc | Value[] = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    let next: Value;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(p)) {
        throw new MongoServerError(28, `Cannot create field '${p}' in element {${parts[i - 1] ?? ''}: [...]}`);
      }
      next = cur[Number(p)];
      if (next === undefined || next === null) {
        if (!create) return undefined;
        next = {};
        while (cur.length < Number(p)) cur.push(null);
        cur[Number(p)] = next;
      }
    } else {
      next = getOwn(cur, p);
      if (next === undefined) {
        if (!create) return undefined;
        next = {};
        setOwn(cur, p, next);
      }
    }
    if (!isPlainObject(next) && !Array.isArray(next)) {
      if (!create) return undefined;
      throw new MongoServerError(
        28,
        `Cannot create field '${parts[i + 1]}' in element {${p}: ${describe(next)} value}`,
      );
    }
    cur = next as Doc | Value[];
  }
  return cur;
}

export function setAt(doc: Doc, parts: string[], value: Value): void {
  const parent = parentFor(doc, parts, true);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    if (!/^\d+$/.test(last))
      throw new MongoServerError(28, `Cannot create field '${last}' in element {${parts[parts.length - 2]}: [...]}`);
    const idx = Number(last);
    while (parent.length < idx) parent.push(null);
    parent[idx] = value;
  } else if (parent !== undefined) {
    setOwn(parent, last, value);
  }
}

export function unsetAt(doc: Doc, parts: string[]): boolean {
  const parent = parentFor(doc, parts, false);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const idx = Number(last);
    if (!/^\d+$/.test(last) || idx >= parent.length) return false;
    parent[idx] = null; // $unset on an array element leaves a null, as mongod does
    return true;
  }
  if (parent === undefined || !hasOwn(parent, last)) return false;
  delete parent[last];
  return true;
}
