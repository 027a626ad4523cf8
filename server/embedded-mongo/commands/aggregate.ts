import { Aggregator } from 'mingo';
import { demote, isPlainObject, promote, promoteExpr, type Doc } from '../engine/bson-values';
import { letVariables } from '../engine/command-env';
import { MongoServerError } from '../engine/errors';
import { getPath } from '../engine/path';
import { insertDoc, replaceStored } from '../engine/writes';
import { collectionName, optionalNumber, optionalDoc, type CommandContext, type CommandHandler } from './context';
import { runLeadingStages } from './aggregate-prefix';
import { cursorReply } from './read';
import { isView, viewDocuments } from './views';

/**
 * aggregate: a leading $match runs on our own matcher (and indexes); the rest of the
 * pipeline runs in mingo on plain-number copies of the documents. $out is done here.
 */
export const aggregate: CommandHandler = (cmd, ctx) => {
  const target = cmd.aggregate;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw new MongoServerError(14, "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new MongoServerError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
    if ('$changeStream' in stage) {
      throw new MongoServerError(40573, 'The $changeStream stage is only supported on replica sets');
    }
  }
  const stages = [...(pipeline as Doc[])];
  const last = stages[stages.length - 1];
  const out = last && ('$out' in last || '$merge' in last) ? stages.pop() : undefined;
  let docs: Doc[] = [];
  let name: string;
  if (typeof target !== 'string') {
    name = '$cmd.aggregate';
    docs = databaseSource(stages.shift(), ctx);
  } else name = collectionName(cmd, 'aggregate');
  const coll = typeof target === 'string' ? ctx.server.catalog.get(ctx.db, name) : undefined;
  if (coll && isView(coll)) docs = viewDocuments(ctx, coll);
  else if (coll) {
    docs = runLeadingStages(coll, stages);
  }
  let results: Doc[] = docs;
  if (stages.length > 0) {
    const resolver = (other: string): Doc[] => {
      const c = ctx.server.catalog.get(ctx.db, other);
      return c ? [...c.docs.values()].map((d) => promote(d) as Doc) : [];
    };
    const agg = new Aggregator(
      stages.map((s) => promoteExpr(s) as Doc),
      { collectionResolver: resolver, variables: letVariables() },
    );
    results = demote(agg.run(docs.map((d) => promote(d) as Doc))) as Doc[];
  }
  if (out) {
    writeOut(out, results, ctx);
    results = [];
  }
  const cursorOpts = optionalDoc(cmd, 'cursor') ?? {};
  const ns = `${ctx.db}.${name}`;
  const { id, batch } = ctx.server.cursors.firstBatch(ns, results, optionalNumber(cursorOpts, 'batchSize'));
  return cursorReply(ns, batch, id, true);
};

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
