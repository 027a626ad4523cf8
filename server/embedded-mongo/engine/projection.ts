import { isPlainObject, toNumber, type Doc, type Value } from './bson-values';
import { badValue, MongoServerError } from './errors';
import { matchedIndex } from './positional';
import { compileFilter } from './query';

/**
 * find/findAndModify projection: inclusion or exclusion of dotted paths (descending into
 * arrays of documents), `_id` included unless excluded, plus $slice and $elemMatch.
 */
export function projectDoc(doc: Doc, projection: Value, filter?: Doc): Doc {
  if (!isPlainObject(projection) || Object.keys(projection).length === 0) return doc;
  const positional = Object.keys(projection).find((k) => k.endsWith('.$'));
  if (positional !== undefined) return projectPositional(doc, projection, positional, filter);
  const spec = projection;
  let inclusion: boolean | undefined;
  for (const [k, v] of Object.entries(spec)) {
    if (isPlainObject(v)) continue;
    const on = typeof v === 'boolean' ? v : toNumber(v) !== 0;
    if (k === '_id') continue;
    if (inclusion === undefined) inclusion = on;
    else if (inclusion !== on) {
      throw badValue(
        `Cannot do ${inclusion ? 'exclusion' : 'inclusion'} on field ${k} in ${inclusion ? 'inclusion' : 'exclusion'} projection`,
      );
    }
  }
  const idOn =
    !('_id' in spec) ||
    (isPlainObject(spec._id) ? true : typeof spec._id === 'boolean' ? spec._id : toNumber(spec._id) !== 0);
  const specials = Object.entries(spec).filter(([, v]) => isPlainObject(v));
  let out: Doc;
  if (inclusion === true || (inclusion === undefined && specials.length > 0 && !hasExclusionOnly(spec))) {
    const paths = Object.entries(spec)
      .filter(([k, v]) => k !== '_id' && !isPlainObject(v))
      .map(([k]) => k);
    out = {};
    if (idOn && '_id' in doc) out._id = doc._id;
    for (const p of paths) include(doc, out, p.split('.'));
    for (const [k] of specials) if (k in doc && !(k in out)) out[k] = doc[k];
    out = reorder(doc, out);
  } else {
    out = { ...doc };
    for (const [k, v] of Object.entries(spec)) {
      if (k === '_id' || isPlainObject(v)) continue;
      exclude(out, k.split('.'));
    }
    if (!idOn) delete out._id;
  }
  for (const [k, v] of specials) applySpecial(doc, out, k, v as Doc);
  return out;
}

function hasExclusionOnly(spec: Doc): boolean {
  return Object.entries(spec).some(
    ([k, v]) => k !== '_id' && !isPlainObject(v) && (typeof v === 'boolean' ? !v : toNumber(v) === 0),
  );
}

function include(src: Value, dst: Doc, parts: string[]): void {
  if (!isPlainObject(src)) return;
  const [head, ...rest] = parts;
  if (!(head in src)) return;
  const v = src[head];
  if (rest.length === 0) {
    dst[head] = v;
    return;
  }
  if (Array.isArray(v)) {
    const prev = Array.isArray(dst[head]) ? (dst[head] as Value[]) : undefined;
    dst[head] = v
      .filter((e) => isPlainObject(e) || Array.isArray(e))
      .map((e, i) => {
        const sub: Doc = isPlainObject(prev?.[i]) ? (prev?.[i] as Doc) : {};
        include(e, sub, rest);
        return sub;
      });
    return;
  }
  if (isPlainObject(v)) {
    const sub: Doc = isPlainObject(dst[head]) ? (dst[head] as Doc) : {};
    include(v, sub, rest);
    dst[head] = sub;
  }
}

function exclude(dst: Doc, parts: string[]): void {
  const [head, ...rest] = parts;
  if (!(head in dst)) return;
  if (rest.length === 0) {
    delete dst[head];
    return;
  }
  const v = dst[head];
  if (Array.isArray(v)) {
    dst[head] = v.map((e) => {
      if (!isPlainObject(e)) return e;
      const copy = { ...e };
      exclude(copy, rest);
      return copy;
    });
  } else if (isPlainObject(v)) {
    const copy = { ...v };
    exclude(copy, rest);
    dst[head] = copy;
  }
}

/** Included fields come back in the document's own field order, as mongod returns them. */
function reorder(doc: Doc, out: Doc): Doc {
  const ordered: Doc = {};
  for (const k of Object.keys(doc)) if (k in out) ordered[k] = out[k];
  return ordered;
}

function applySpecial(doc: Doc, out: Doc, key: string, op: Doc): void {
  if ('$slice' in op) {
    const v = doc[key];
    if (!Array.isArray(v)) return;
    const arg = op.$slice;
    if (Array.isArray(arg)) {
      const skip = toNumber(arg[0]);
      const n = toNumber(arg[1]);
      const start = skip < 0 ? Math.max(0, v.length + skip) : skip;
      out[key] = v.slice(start, start + n);
    } else {
      const n = toNumber(arg);
      out[key] = n >= 0 ? v.slice(0, n) : v.slice(n);
    }
  } else if ('$elemMatch' in op) {
    const v = doc[key];
    const match = compileFilter(isPlainObject(op.$elemMatch) ? op.$elemMatch : {});
    const hit = Array.isArray(v) ? v.find((e) => isPlainObject(e) && match(e)) : undefined;
    if (hit === undefined) delete out[key];
    else out[key] = [hit];
  } else if ('$meta' in op) {
    out[key] = 0;
  }
}

/** `{ 'items.$': 1 }`: the array reduced to the element the query matched (with other inclusions). */
function projectPositional(doc: Doc, projection: Doc, key: string, filter: Doc | undefined): Doc {
  const path = key.slice(0, -2);
  const rest: Doc = { ...projection };
  delete rest[key];
  rest[path] = 1;
  const out = projectDoc(doc, rest);
  const arr = doc[path];
  const at = matchedIndex(doc, filter, path);
  if (path.includes('.') || !Array.isArray(arr) || at === undefined) {
    throw new MongoServerError(
      51246,
      "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
    );
  }
  out[path] = [arr[at]];
  return out;
}
