import { Aggregator } from 'mingo';
import { isPlainObject, promote, type Doc } from '../engine/bson-values';
import { Collection } from '../engine/collection';
import { MongoServerError } from '../engine/errors';
import { insertDoc } from '../engine/writes';
import { collectionName, optionalNumber, optionalDoc, type CommandContext, type CommandHandler } from './context';
import { cursorReply } from './read';

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
  if (typeof target !== 'string') {
    throw new MongoServerError(73, `{aggregate: 1} is not supported by this server`);
  }
  const name = collectionName(cmd, 'aggregate');
  const stages = [...(pipeline as Doc[])];
  const last = stages[stages.length - 1];
  const out = last && ('$out' in last || '$merge' in last) ? stages.pop() : undefined;

  const coll = ctx.server.catalog.get(ctx.db, name);
  let docs: Doc[] = [];
  if (coll) {
    const first = stages[0];
    if (first && '$match' in first && isPlainObject(first.$match) && !('$expr' in first.$match)) {
      docs = coll.scan(first.$match).docs;
      stages.shift();
    } else docs = [...coll.docs.values()];
  }
  let results: Doc[] = docs;
  if (stages.length > 0) {
    const resolver = (other: string): Doc[] => {
      const c = ctx.server.catalog.get(ctx.db, other);
      return c ? [...c.docs.values()].map((d) => promote(d) as Doc) : [];
    };
    const agg = new Aggregator(stages.map((s) => promote(s) as Doc), { collectionResolver: resolver });
    results = agg.run(docs.map((d) => promote(d) as Doc)) as Doc[];
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

/** $out replaces the target collection with the results; $merge here only inserts or replaces by _id. */
function writeOut(stage: Doc, results: Doc[], ctx: CommandContext): void {
  const spec = stage.$out ?? stage.$merge;
  const targetName = typeof spec === 'string' ? spec : isPlainObject(spec) ? (typeof spec.coll === 'string' ? spec.coll : spec.into) : undefined;
  const targetDb = isPlainObject(spec) && typeof spec.db === 'string' ? spec.db : ctx.db;
  if (typeof targetName !== 'string') throw new MongoServerError(2, '$out/$merge needs a target collection name');
  const replacing = '$out' in stage;
  if (replacing) {
    const dropped = ctx.server.catalog.drop(targetDb, targetName);
    if (dropped) ctx.ops.push(dropped);
  }
  const coll = ctx.server.catalog.getOrCreate(targetDb, targetName, ctx.ops);
  for (const doc of results) {
    if (!replacing) {
      const op = doc._id === undefined ? undefined : coll.remove(Collection.keyOf(doc));
      if (op) ctx.ops.push(op);
    }
    insertDoc(coll, doc, ctx.ops);
  }
}
