import { Aggregator } from 'mingo';
import { demote, isPlainObject, promote, promoteExpr, toNumber, typeClass, type Doc, type Value } from './bson-values';
import { MongoServerError } from './errors';
import { getOwn, hasOwn, setOwn } from './own';
import { matchedIndex } from './positional';
import { compileFilter } from './query';
import { metaValue } from './text-meta';

/**
 * find/findAndModify projection as mongod 7.0 parses it (projection_ast): the spec becomes a
 * tree of paths; the projection is an inclusion or an exclusion, decided by its first
 * inclusion/exclusion/expression and, when only `_id`, `$slice`, `$elemMatch` or `$meta`
 * appear, by mongod's defaults ($slice → exclusion unless `_id: 1`; $elemMatch → inclusion;
 * `$meta` → exclusion unless `_id: 1`). Nested specs (`{a: {b: 1}}`) equal dotted paths.
 */
type Leaf =
  | { kind: 'include' }
  | { kind: 'exclude' }
  | { kind: 'slice'; skip: number | undefined; limit: number }
  | { kind: 'elemMatch'; test: (e: Value) => boolean }
  | { kind: 'positional' }
  | { kind: 'meta'; name: string }
  | { kind: 'expr'; expr: Value };
interface Inner {
  kind: 'path';
  children: Map<string, ProjectionNode>;
}
type ProjectionNode = Leaf | Inner;

interface ParseState {
  type?: 'inclusion' | 'exclusion';
  idSpecified: boolean;
  idIncluded: boolean;
  idExcluded: boolean;
  hasSlice: boolean;
  hasElemMatch: boolean;
  hasMeta: boolean;
  positional?: string;
}

export type Projector = (doc: Doc) => Doc;

export function compileProjection(projection: Value, filter?: Doc): Projector {
  if (!isPlainObject(projection) || Object.keys(projection).length === 0) return (doc) => doc;
  const state: ParseState = {
    idSpecified: false,
    idIncluded: false,
    idExcluded: false,
    hasSlice: false,
    hasElemMatch: false,
    hasMeta: false,
  };
  const root: Inner = { kind: 'path', children: new Map() };
  for (const key of Object.keys(projection)) {
    if (key === '_id' || key.startsWith('_id.')) state.idSpecified = true;
    parseElement(state, root, key, projection[key], true);
  }
  const type = state.type ?? defaultType(state);
  if (!state.idSpecified && type === 'inclusion') root.children.set('_id', { kind: 'include' });
  if (type === 'exclusion' && state.idIncluded) root.children.delete('_id');
  const computed = hasComputed(root);
  return (doc) => {
    const ctx: ApplyContext = { root: doc, filter, positional: state.positional, computed };
    const out = type === 'inclusion' ? applyInclusion(root, doc, ctx) : applyExclusion(root, doc, ctx);
    appendComputed(root, doc, out, ctx);
    return out;
  };
}

export function projectDoc(doc: Doc, projection: Value, filter?: Doc): Doc {
  return compileProjection(projection, filter)(doc);
}

function defaultType(s: ParseState): 'inclusion' | 'exclusion' {
  if (s.hasSlice) return s.idIncluded ? 'inclusion' : 'exclusion';
  if (s.hasElemMatch) return 'inclusion';
  if (s.hasMeta) return s.idIncluded && !s.idExcluded ? 'inclusion' : 'exclusion';
  if (s.idIncluded) return 'inclusion';
  return 'exclusion';
}

function isBoolOrNumber(v: Value): boolean {
  return typeof v === 'boolean' || typeClass(v) === 'number';
}

function parseElement(s: ParseState, parent: Inner, key: string, value: Value, atRoot: boolean): void {
  const positional = key.endsWith('.$');
  if (key.includes('.$.')) {
    throw new MongoServerError(
      31394,
      "As of 4.4, it's illegal to specify positional operator in the middle of a path.Positional projection may only be used at the end, for example: a.b.$. If the query previously used a form like a.b.$.d, remove the parts following the '$' and the results will be equivalent.",
    );
  }
  if (isPlainObject(value)) {
    if (positional)
      throw new MongoServerError(31271, 'positional projection cannot be used with an expression or sub object');
    parseSubObject(s, parent, key, value, atRoot);
    return;
  }
  if (isBoolOrNumber(value)) {
    const on = typeof value === 'boolean' ? value : toNumber(value) !== 0;
    const isId = key === '_id' && atRoot;
    if (on) {
      if (positional) {
        if (s.positional !== undefined)
          throw new MongoServerError(31276, 'Cannot specify more than one positional projection per query.');
        if (s.hasElemMatch) throw new MongoServerError(31256, 'Cannot specify positional operator and $elemMatch.');
        if (key === '.$') throw new MongoServerError(5392900, `Projection on field ${key} is invalid`);
        const path = key.slice(0, -2);
        s.positional = path;
        addAt(parent, path, { kind: 'positional' });
      } else {
        addAt(parent, key, { kind: 'include' });
        if (isId) s.idIncluded = true;
      }
      if (!isId) {
        if (s.type === 'exclusion')
          throw new MongoServerError(31253, `Cannot do inclusion on field ${key} in exclusion projection`);
        s.type = 'inclusion';
      }
      return;
    }
    if (positional) throw new MongoServerError(31395, 'positional projection cannot be used with exclusion');
    addAt(parent, key, { kind: 'exclude' });
    if (isId) s.idExcluded = true;
    else {
      if (s.type === 'inclusion')
        throw new MongoServerError(31254, `Cannot do exclusion on field ${key} in inclusion projection`);
      s.type = 'exclusion';
    }
    return;
  }
  if (positional) throw new MongoServerError(31308, 'positional projection cannot be used with a literal');
  // A literal or a field path ('$a'): a computed field, which makes the projection an inclusion.
  addAt(parent, key, {
    kind: 'expr',
    expr: typeof value === 'string' && value.startsWith('$') ? value : { $literal: value },
  });
  if (s.type === 'exclusion')
    throw new MongoServerError(31310, `Cannot use an expression ${key} in an exclusion projection`);
  s.type = 'inclusion';
}

function parseSubObject(s: ParseState, parent: Inner, key: string, spec: Doc, atRoot: boolean): void {
  const keys = Object.keys(spec);
  if (keys.length === 0) throw new MongoServerError(51270, `Invalid empty sub-projection: ${key}`);
  const op = keys[0];
  if (keys.length === 1 && op.startsWith('$')) {
    const arg = spec[op];
    if (op === '$slice') return parseSlice(s, parent, key, arg);
    if (op === '$elemMatch') {
      if (!isPlainObject(arg))
        throw new MongoServerError(31274, `elemMatch: Invalid argument, object required, but got ${typeClass(arg)}`);
      if (s.positional !== undefined)
        throw new MongoServerError(31255, 'Cannot specify positional operator and $elemMatch.');
      if (key.includes('.') || !atRoot)
        throw new MongoServerError(31275, 'Cannot use $elemMatch projection on a nested field.');
      const match = compileFilter({ e: { $elemMatch: arg } });
      addAt(parent, key, { kind: 'elemMatch', test: (e) => match({ e: [e] }) });
      s.hasElemMatch = true;
      return;
    }
    if (op === '$meta') {
      if (typeof arg !== 'string') throw new MongoServerError(17196, 'Illegal $meta argument');
      addAt(parent, key, { kind: 'meta', name: arg });
      s.hasMeta = true;
      return;
    }
    if (s.type === 'exclusion')
      throw new MongoServerError(31252, 'Cannot use expression other than $meta in exclusion projection');
    s.type = 'inclusion';
    addAt(parent, key, { kind: 'expr', expr: spec });
    return;
  }
  let node = findInner(parent, key);
  if (node === undefined) {
    node = { kind: 'path', children: new Map() };
    addAt(parent, key, node);
  }
  for (const k of keys) parseElement(s, node, k, spec[k], false);
}

function parseSlice(s: ParseState, parent: Inner, key: string, arg: Value): void {
  if (typeClass(arg) === 'number') {
    addAt(parent, key, { kind: 'slice', skip: undefined, limit: Math.trunc(toNumber(arg)) });
  } else if (Array.isArray(arg)) {
    if (arg.length !== 2) throw new MongoServerError(31272, '$slice array argument should be of form [skip, limit]');
    if (typeClass(arg[0]) !== 'number')
      throw new MongoServerError(31257, `$slice expects the skip argument to be a number, got ${typeClass(arg[0])}`);
    if (typeClass(arg[1]) !== 'number')
      throw new MongoServerError(31258, `$slice expects the limit argument to be a number, got ${typeClass(arg[1])}`);
    const limit = Math.trunc(toNumber(arg[1]));
    if (limit <= 0) throw new MongoServerError(31259, `$slice limit must be positive, got ${limit}`);
    addAt(parent, key, { kind: 'slice', skip: Math.trunc(toNumber(arg[0])), limit });
  } else {
    throw new MongoServerError(31273, '$slice only supports numbers and [skip, limit] arrays');
  }
  s.hasSlice = true;
}

function addAt(root: Inner, path: string, node: ProjectionNode): void {
  const parts = path.split('.');
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const child = cur.children.get(parts[i]);
    if (child === undefined) {
      const inner: Inner = { kind: 'path', children: new Map() };
      cur.children.set(parts[i], inner);
      cur = inner;
    } else if (child.kind === 'path') cur = child;
    else {
      throw new MongoServerError(31249, `Path collision at ${path} remaining portion ${parts.slice(i + 1).join('.')}`);
    }
  }
  const last = parts[parts.length - 1];
  if (cur.children.has(last)) throw new MongoServerError(31250, `Path collision at ${path}`);
  cur.children.set(last, node);
}

function findInner(root: Inner, path: string): Inner | undefined {
  let cur: ProjectionNode | undefined = root;
  for (const p of path.split('.')) {
    if (cur?.kind !== 'path') return undefined;
    cur = cur.children.get(p);
  }
  return cur?.kind === 'path' ? cur : undefined;
}

interface ApplyContext {
  root: Doc;
  filter: Doc | undefined;
  positional: string | undefined;
  computed: boolean;
}

/** Computed nodes (expressions, $elemMatch, $meta) are added after the document's own fields. */
function isComputed(n: ProjectionNode): boolean {
  return n.kind === 'expr' || n.kind === 'elemMatch' || n.kind === 'meta';
}

function hasComputed(n: ProjectionNode): boolean {
  if (n.kind === 'path') return [...n.children.values()].some(hasComputed);
  return isComputed(n);
}

function applyInclusion(node: Inner, doc: Doc, ctx: ApplyContext, prefix = ''): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const child = node.children.get(key);
    if (child === undefined || isComputed(child) || child.kind === 'exclude') continue;
    const v = doc[key];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (child.kind === 'include') setOwn(out, key, v);
    else if (child.kind === 'slice') setOwn(out, key, slice(v, child));
    else if (child.kind === 'positional') setOwn(out, key, positionalElement(v, path, ctx));
    else if (child.kind === 'path') {
      if (isPlainObject(v)) setOwn(out, key, applyInclusion(child, v, ctx, path));
      else if (Array.isArray(v)) setOwn(out, key, includeInArray(child, v, ctx, path));
    }
  }
  return out;
}

function includeInArray(node: Inner, arr: Value[], ctx: ApplyContext, path: string): Value[] {
  const out: Value[] = [];
  for (const e of arr) {
    if (isPlainObject(e)) out.push(applyInclusion(node, e, ctx, path));
    else if (Array.isArray(e)) out.push(includeInArray(node, e, ctx, path));
  }
  return out;
}

function applyExclusion(node: Inner, doc: Doc, ctx: ApplyContext): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const child = node.children.get(key);
    const v = doc[key];
    if (child === undefined || child.kind === 'include' || isComputed(child)) setOwn(out, key, v);
    else if (child.kind === 'exclude') continue;
    else if (child.kind === 'slice') setOwn(out, key, slice(v, child));
    else if (child.kind === 'path') setOwn(out, key, excludeIn(child, v, ctx));
    else setOwn(out, key, v);
  }
  return out;
}

function excludeIn(node: Inner, v: Value, ctx: ApplyContext): Value {
  if (isPlainObject(v)) return applyExclusion(node, v, ctx);
  if (Array.isArray(v)) return v.map((e) => excludeIn(node, e, ctx));
  return v;
}

function slice(v: Value, s: { skip: number | undefined; limit: number }): Value {
  if (!Array.isArray(v)) return v;
  if (s.skip === undefined) return s.limit >= 0 ? v.slice(0, s.limit) : v.slice(Math.max(0, v.length + s.limit));
  const start = s.skip < 0 ? Math.max(0, v.length + s.skip) : s.skip;
  return v.slice(start, start + s.limit);
}

function positionalElement(v: Value, path: string, ctx: ApplyContext): Value {
  const at = matchedIndex(ctx.root, ctx.filter, path);
  if (!Array.isArray(v) || at === undefined) {
    throw new MongoServerError(
      51246,
      "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
    );
  }
  return [v[at]];
}

function appendComputed(node: Inner, doc: Doc, out: Doc, ctx: ApplyContext): void {
  if (!ctx.computed) return;
  for (const [key, child] of node.children) {
    if (child.kind === 'path') {
      const sub = getOwn(out, key);
      const src = getOwn(doc, key);
      if (!hasComputed(child)) continue;
      const target: Doc = isPlainObject(sub) ? sub : {};
      appendComputed(child, isPlainObject(src) ? src : {}, target, ctx);
      if (Object.keys(target).length > 0 || hasOwn(out, key)) setOwn(out, key, target);
      continue;
    }
    if (child.kind === 'elemMatch') {
      const v = getOwn(doc, key);
      const hit = Array.isArray(v) ? v.find(child.test) : undefined;
      if (hasOwn(out, key)) delete out[key];
      if (hit !== undefined) setOwn(out, key, [hit]);
    } else if (child.kind === 'meta') {
      const m = metaValue(ctx.root, child.name);
      if (m !== undefined) setOwn(out, key, m);
    } else if (child.kind === 'expr') {
      if (hasOwn(out, key)) delete out[key];
      const v = evaluate(child.expr, ctx.root);
      if (v !== undefined) setOwn(out, key, v);
    }
  }
}

function evaluate(expr: Value, root: Doc): Value {
  const [row] = new Aggregator([{ $project: { _id: 0, v: promoteExpr(expr) } }]).run([promote(root)]) as Doc[];
  return row !== undefined && hasOwn(row, 'v') ? demote(row.v) : undefined;
}
