import { Aggregator } from 'mingo';
import {
  demote,
  isPlainObject,
  promote,
  promoteExpr,
  toNumber,
  typeClass,
  type Doc,
  type Value,
} from '../engine/bson-values';
import { cloneDoc } from '../engine/clone';
import type { Collection } from '../engine/collection';
import { canonicalKey } from '../engine/compare';
import { toPoint, withinNear, type NearSpec } from '../engine/geo';
import { setAt } from '../engine/mutate';
import { setOwn } from '../engine/own';
import { branchValues } from '../engine/path';
import { compileFilter, nearestDistance } from '../engine/query';
import { parseSort, sortDocs } from '../engine/sort';
import { metaValue } from '../engine/text-meta';
import { letVariables } from '../engine/command-env';
import { MongoServerError } from '../engine/errors';
import { getPath } from '../engine/path';
import { insertDoc, replaceStored } from '../engine/writes';
import { collectionName, optionalNumber, optionalDoc, type CommandContext, type CommandHandler } from './context';
import { runLeadingStages } from './aggregate-prefix';
import { nearKeys } from '../engine/geo-index';
import { geoIndexFor } from '../engine/planner';
import { cursorReply } from './read';
import { isView, viewDocuments } from './views';

/**
 * aggregate: a leading $match runs on our own matcher (and indexes); the rest of the
 * pipeline runs in mingo on plain-number copies of the documents. $out is done here.
 */
const KNOWN_STAGES = new Set([
  '$addFields',
  '$bucket',
  '$bucketAuto',
  '$changeStream',
  '$changeStreamSplitLargeEvent',
  '$collStats',
  '$count',
  '$currentOp',
  '$densify',
  '$documents',
  '$facet',
  '$fill',
  '$geoNear',
  '$graphLookup',
  '$group',
  '$indexStats',
  '$limit',
  '$listLocalSessions',
  '$listSampledQueries',
  '$listSearchIndexes',
  '$listSessions',
  '$lookup',
  '$match',
  '$merge',
  '$out',
  '$planCacheStats',
  '$project',
  '$redact',
  '$replaceRoot',
  '$replaceWith',
  '$sample',
  '$search',
  '$searchMeta',
  '$set',
  '$setWindowFields',
  '$skip',
  '$sort',
  '$sortByCount',
  '$unionWith',
  '$unset',
  '$unwind',
]);

/** Checks each stage's shape and name as mongod does before running anything. */
function validatePipeline(pipeline: Value): Doc[] {
  if (!Array.isArray(pipeline)) throw new MongoServerError(14, "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new MongoServerError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
    const name = Object.keys(stage)[0];
    if (!KNOWN_STAGES.has(name)) {
      throw new MongoServerError(40324, `Unrecognized pipeline stage name: '${name}'`);
    }
    if (name === '$changeStream') {
      throw new MongoServerError(40573, 'The $changeStream stage is only supported on replica sets');
    }
  }
  return pipeline as Doc[];
}

interface PipelineRun {
  name: string;
  results: Doc[];
  out: Doc | undefined;
}

/** Runs an aggregate command's pipeline (without writing $out/$merge). */
function runPipeline(cmd: Doc, ctx: CommandContext): PipelineRun {
  const target = cmd.aggregate;
  const stages = [...validatePipeline(cmd.pipeline)];
  const last = stages[stages.length - 1];
  const out = last && ('$out' in last || '$merge' in last) ? stages.pop() : undefined;
  let docs: Iterable<Doc> = [];
  let name: string;
  if (typeof target !== 'string') {
    name = '$cmd.aggregate';
    docs = databaseSource(stages.shift(), ctx);
  } else name = collectionName(cmd, 'aggregate');
  const coll = typeof target === 'string' ? ctx.server.catalog.get(ctx.db, name) : undefined;
  const hinted = coll && cmd.hint !== undefined ? hintedIndex(coll, cmd.hint) : undefined;
  if (coll && isView(coll)) docs = viewDocuments(ctx, coll);
  else if (coll && stages[0] && isPlainObject(stages[0].$geoNear)) {
    docs = geoNearStage(coll, stages.shift()?.$geoNear as Doc, stages);
  } else if (coll) {
    const sorted = stages[0] !== undefined && (isPlainObject(stages[0].$sort) || isPlainObject(stages[1]?.$sort));
    // Read lazily unless a hint asks for the index's order (sorted here, in memory).
    docs = runLeadingStages(coll, stages, !(hinted && !sorted));
    // A hinted scan returns documents in the index's order, as mongod's IXSCAN does.
    if (hinted && !sorted) docs = sortDocs([...docs], parseSort(numericKey(hinted.key)));
  }
  let results: Doc[] = Array.isArray(docs) && stages.length === 0 ? docs : [];
  if (stages.length === 0 && !Array.isArray(docs)) results = [...docs];
  if (stages.length > 0) {
    const resolver = (other: string): Doc[] => {
      const c = ctx.server.catalog.get(ctx.db, other);
      return c ? [...c.docs.values()].map((d) => promote(d) as Doc) : [];
    };
    const meta = withTextScores(stages);
    const agg = new Aggregator(
      meta.stages.map((s) => promoteExpr(s) as Doc),
      { collectionResolver: resolver, variables: letVariables() },
    );
    const source = docs;
    // One document at a time, as the pipeline pulls them (mingo streams until a blocking stage).
    const input = (function* () {
      for (const d of source) {
        const p = promote(d) as Doc;
        if (meta.used) p[TEXT_SCORE] = metaValue(d, 'textScore') ?? null;
        yield p;
      }
    })();
    results = demote(agg.run(input)) as Doc[];
    if (meta.used) for (const r of results) delete r[TEXT_SCORE];
  }
  return { name, results, out };
}

export const aggregate: CommandHandler = (cmd, ctx) => {
  if (cmd.explain === true) return explainAggregate(cmd, ctx);
  const run = runPipeline(cmd, ctx);
  let results = run.results;
  if (run.out) {
    writeOut(run.out, results, ctx);
    results = [];
  }
  const name = run.name;
  const cursorOpts = optionalDoc(cmd, 'cursor') ?? {};
  const ns = `${ctx.db}.${name}`;
  const { id, batch } = ctx.server.cursors.firstBatch(ns, results, optionalNumber(cursorOpts, 'batchSize'));
  return cursorReply(ns, batch, id, true);
};

/** explain of an aggregate: the leading query's plan as a $cursor stage, then the other stages. */
export function explainAggregate(cmd: Doc, ctx: CommandContext): Doc {
  const pipeline = validatePipeline(cmd.pipeline);
  const name = typeof cmd.aggregate === 'string' ? cmd.aggregate : '$cmd.aggregate';
  const coll = ctx.server.catalog.get(ctx.db, name);
  const first = pipeline[0];
  const filter = first && isPlainObject(first.$match) ? first.$match : {};
  // The plan only: one match is enough to know which index the scan would use.
  const plan = coll && !isView(coll) ? coll.scan(filter, compileFilter(filter), undefined, 1) : undefined;
  const winningPlan = plan?.index
    ? { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: plan.index } }
    : { stage: 'COLLSCAN', filter };
  const rest = first && isPlainObject(first.$match) ? pipeline.slice(1) : pipeline;
  return {
    explainVersion: '1',
    stages: [
      {
        $cursor: {
          queryPlanner: { namespace: `${ctx.db}.${name}`, parsedQuery: filter, winningPlan, rejectedPlans: [] },
        },
      },
      ...rest,
    ],
    command: { aggregate: name, pipeline },
    ok: 1,
  };
}

function numericKey(key: Value): Doc {
  const out: Doc = {};
  if (!isPlainObject(key)) return out;
  for (const k of Object.keys(key)) if (typeClass(key[k]) === 'number') out[k] = toNumber(key[k]) < 0 ? -1 : 1;
  return out;
}

/** The index a `hint` names (by name or key pattern); mongod refuses a hint naming none. */
function hintedIndex(coll: Collection, hint: Value): { key: Value } | undefined {
  if (isPlainObject(hint) && Object.keys(hint).length === 0) return undefined;
  for (const index of coll.indexes.values()) {
    if (typeof hint === 'string' && index.name === hint) return index.spec;
    if (isPlainObject(hint) && canonicalKey(index.spec.key) === canonicalKey(hint)) return index.spec;
  }
  throw new MongoServerError(2, 'hint provided does not correspond to an existing index');
}

const TEXT_SCORE = '\u0001textScore';

/** Rewrites {$meta: 'textScore'} for mingo into a hidden field carried on each input document. */
function withTextScores(stages: Doc[]): { stages: Doc[]; used: boolean } {
  let used = false;
  const isScore = (v: Value): boolean => isPlainObject(v) && v.$meta === 'textScore' && Object.keys(v).length === 1;
  const rewrite = (v: Value): Value => {
    if (isScore(v)) {
      used = true;
      return `$${TEXT_SCORE}`;
    }
    if (Array.isArray(v)) return v.map(rewrite);
    if (!isPlainObject(v)) return v;
    const out: Doc = {};
    for (const k of Object.keys(v)) setOwn(out, k, rewrite(v[k]));
    return out;
  };
  const out = stages.map((stage) => {
    if (isPlainObject(stage.$sort)) {
      const sort: Doc = {};
      for (const k of Object.keys(stage.$sort)) {
        if (isScore(stage.$sort[k])) {
          used = true;
          sort[TEXT_SCORE] = -1;
        } else setOwn(sort, k, stage.$sort[k]);
      }
      return { $sort: sort };
    }
    return rewrite(stage) as Doc;
  });
  return { stages: out, used };
}

/** $geoNear as the first stage: documents by distance from `near`, with the distance added. */
function geoNearStage(coll: Collection, spec: Doc, rest: Doc[]): Iterable<Doc> {
  if (typeof spec.distanceField !== 'string') {
    throw new MongoServerError(40414, "BSON field '$geoNear.distanceField' is missing but a required field");
  }
  const geoIndexes = [...coll.indexes.values()].filter((i) =>
    Object.keys(i.spec.key).some((k) => i.spec.key[k] === '2dsphere' || i.spec.key[k] === '2d'),
  );
  let key = typeof spec.key === 'string' ? spec.key : undefined;
  let sphereIndex: boolean;
  if (key === undefined) {
    if (geoIndexes.length !== 1) {
      throw new MongoServerError(
        291,
        geoIndexes.length === 0
          ? '$geoNear requires a 2d or 2dsphere index, but none were found'
          : 'There is more than one 2d or 2dsphere index; unsure which to use for $geoNear',
      );
    }
    const k = geoIndexes[0].spec.key;
    key = Object.keys(k).find((f) => k[f] === '2dsphere' || k[f] === '2d') ?? '';
    sphereIndex = k[key] === '2dsphere';
  } else {
    const field = key;
    sphereIndex = geoIndexes.some((i) => i.spec.key[field] === '2dsphere');
  }
  const geoJson = isPlainObject(spec.near) && spec.near.type === 'Point';
  const point = toPoint(spec.near);
  if (!point) throw new MongoServerError(2, '$geoNear requires a near point');
  const nearSpec: NearSpec = {
    point,
    spherical: geoJson || spec.spherical === true || sphereIndex,
    meters: geoJson,
    min: spec.minDistance === undefined ? undefined : toNumber(spec.minDistance),
    max: spec.maxDistance === undefined ? undefined : toNumber(spec.maxDistance),
  };
  const filter = isPlainObject(spec.query) ? spec.query : {};
  const multiplier = spec.distanceMultiplier === undefined ? 1 : toNumber(spec.distanceMultiplier);
  const field = key;
  const index = geoIndexFor(coll.indexes.values(), field);
  if (index?.geo) {
    // From the index: nearest first, read ring by ring as the pipeline pulls documents.
    const distanceOf = (doc: Doc): number | undefined => nearestDistance(nearSpec, branchValues(doc, field));
    const keys = nearKeys(index, index.geo.grid, nearSpec, (k) => coll.get(k), distanceOf);
    const predicate = compileFilter(filter);
    const page = multiplier > 0 && dropSortByDistance(rest, String(spec.distanceField)) ? takePage(rest) : undefined;
    return (function* () {
      let skipped = 0;
      let taken = 0;
      for (const k of keys) {
        if (page && taken >= page.limit) return;
        const doc = coll.get(k);
        if (doc === undefined || !predicate(doc)) continue;
        const out = withDistance(doc, distanceOf(doc) ?? 0);
        if (page && !page.matches.every((m) => m(out))) continue;
        if (page && skipped < page.skip) {
          skipped++;
          continue;
        }
        taken++;
        yield out;
      }
    })();
  }
  const matches = coll.scan(filter, compileFilter(filter)).docs;
  const rows = matches
    .map((doc) => ({ doc, d: nearestDistance(nearSpec, branchValues(doc, field)) }))
    .filter((r) => withinNear(nearSpec, r.d))
    .sort((a, b) => (a.d ?? 0) - (b.d ?? 0));
  return rows.map(({ doc, d }) => withDistance(doc, d ?? 0));

  function withDistance(doc: Doc, d: number): Doc {
    const out = cloneDoc(doc);
    setAt(out, String(spec.distanceField).split('.'), d * multiplier);
    if (typeof spec.includeLocs === 'string') setAt(out, spec.includeLocs.split('.'), getPath(doc, field) ?? null);
    return out;
  }
}

/**
 * $geoNear from an index yields documents by distance, ties in _id order: a later `$sort` on
 * `{distance: 1}` or `{distance: 1, _id: 1}` (past $match stages, which keep the order) has
 * nothing to do, and dropping it lets a following $limit stop the reading early.
 */
function dropSortByDistance(stages: Doc[], distanceField: string): boolean {
  let i = 0;
  while (i < stages.length && plainMatch(stages[i])) i++;
  const sort = stages[i]?.$sort;
  if (!isPlainObject(sort) || Object.keys(stages[i]).length !== 1) return false;
  const keys = Object.keys(sort);
  const ascending = (k: string): boolean => typeClass(sort[k]) === 'number' && toNumber(sort[k]) === 1;
  if (keys[0] !== distanceField || !keys.every(ascending)) return false;
  if (keys.length > 2 || (keys.length === 2 && keys[1] !== '_id')) return false;
  stages.splice(i, 1);
  return true;
}

/** A $match the engine's filter can run on a stage's output (not $text, $near or $expr on variables). */
function plainMatch(stage: Doc | undefined): boolean {
  if (!stage || Object.keys(stage).length !== 1 || !isPlainObject(stage.$match)) return false;
  const m = stage.$match;
  return !('$text' in m) && !('$expr' in m) && !JSON.stringify(Object.keys(m)).includes('$where');
}

/**
 * The leading $match, $skip and $limit stages after an ordered $geoNear, taken out of the
 * pipeline and applied as its documents are read, so a page of 20 stops the reading at 20.
 */
function takePage(stages: Doc[]): { matches: Array<(d: Doc) => boolean>; skip: number; limit: number } | undefined {
  const matches: Array<(d: Doc) => boolean> = [];
  let i = 0;
  while (plainMatch(stages[i])) matches.push(compileFilter(stages[i++].$match as Doc));
  let skip = 0;
  if (stages[i] && Object.keys(stages[i]).length === 1 && typeClass(stages[i].$skip) === 'number') {
    skip = toNumber(stages[i++].$skip);
  }
  const limit = stages[i]?.$limit;
  if (stages[i] === undefined || Object.keys(stages[i]).length !== 1 || typeClass(limit) !== 'number') return undefined;
  stages.splice(0, i + 1);
  return { matches, skip, limit: toNumber(limit) };
}

/** The first stage of a database-level `{aggregate: 1}` pipeline, which produces its input. */
function databaseSource(first: Doc | undefined, ctx: CommandContext): Doc[] {
  if (first && Array.isArray(first.$documents)) return first.$documents.filter(isPlainObject);
  if (first && '$listLocalSessions' in first) return [...ctx.server.sessions.values()];
  if (first && '$currentOp' in first) return [];
  throw new MongoServerError(73, "{aggregate: 1} is not valid for '$match'; a collection is required.");
}

/** $out replaces the target collection with the results; $merge merges them in by `on`. */
function writeOut(stage: Doc, results: Doc[], ctx: CommandContext): void {
  if ('$out' in stage) {
    const spec = stage.$out;
    const name = typeof spec === 'string' ? spec : isPlainObject(spec) ? spec.coll : undefined;
    const db = isPlainObject(spec) && typeof spec.db === 'string' ? spec.db : ctx.db;
    if (typeof name !== 'string') throw new MongoServerError(2, '$out needs a target collection name');
    const existing = ctx.server.catalog.get(db, name);
    const specs = existing ? [...existing.indexes.values()].map((i) => i.spec) : [];
    const dropped = ctx.server.catalog.drop(db, name);
    if (dropped) ctx.ops.push(dropped);
    const coll = ctx.server.catalog.getOrCreate(db, name, ctx.ops);
    for (const spec of specs) if (spec.name !== '_id_') coll.addIndex(spec);
    if (specs.length > 1) ctx.ops.push(coll.metaOp());
    for (const doc of results) insertDoc(coll, doc, ctx.ops);
    return;
  }
  mergeInto(stage.$merge, results, ctx);
}

function mergeInto(spec: unknown, results: Doc[], ctx: CommandContext): void {
  const opts: Doc = typeof spec === 'string' ? { into: spec } : isPlainObject(spec) ? spec : {};
  const into = opts.into;
  const name = typeof into === 'string' ? into : isPlainObject(into) ? into.coll : undefined;
  const db = isPlainObject(into) && typeof into.db === 'string' ? into.db : ctx.db;
  if (typeof name !== 'string') throw new MongoServerError(2, '$merge needs an into collection name');
  const on = typeof opts.on === 'string' ? [opts.on] : Array.isArray(opts.on) ? opts.on.map(String) : ['_id'];
  const whenMatched = opts.whenMatched ?? 'merge';
  const whenNotMatched = opts.whenNotMatched ?? 'insert';
  const coll = ctx.server.catalog.getOrCreate(db, name, ctx.ops);
  for (const doc of results) {
    const filter: Doc = {};
    for (const f of on) filter[f] = getPath(doc, f) ?? null;
    const existing = coll.scan(filter, undefined, undefined, 1).docs[0];
    if (!existing) {
      if (whenNotMatched === 'discard') continue;
      if (whenNotMatched === 'fail')
        throw new MongoServerError(
          13113,
          `$merge could not find a matching document in the target collection for at least one document in the source collection`,
        );
      insertDoc(coll, doc, ctx.ops);
      continue;
    }
    if (whenMatched === 'keepExisting') continue;
    if (whenMatched === 'fail') {
      throw (
        coll.indexes.get('_id_')?.duplicateError([existing._id], coll.ns) ??
        new MongoServerError(11000, 'E11000 duplicate key error')
      );
    }
    if (whenMatched === 'replace') replaceStored(coll, existing, { ...doc, _id: existing._id }, ctx.ops);
    else if (whenMatched === 'merge')
      replaceStored(coll, existing, { ...existing, ...doc, _id: existing._id }, ctx.ops);
    else throw new MongoServerError(51191, '$merge whenMatched pipelines are not supported by this server');
  }
}
