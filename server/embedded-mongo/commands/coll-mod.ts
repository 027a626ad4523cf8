import { isPlainObject, type Doc } from '../engine/bson-values';
import { canonicalKey } from '../engine/compare';
import { MongoServerError } from '../engine/errors';
import { compileFilter } from '../engine/query';
import { collectionName, type CommandHandler } from './context';
import { isView } from './views';

/** collMod: validator settings, a view's pipeline, and a TTL index's expireAfterSeconds/hidden. */
const COLLECTION_OPTIONS = ['validator', 'validationLevel', 'validationAction', 'viewOn', 'pipeline'];

export const collMod: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'collMod');
  const coll = ctx.server.catalog.get(ctx.db, name);
  if (!coll) throw new MongoServerError(26, `ns does not exist: ${ctx.db}.${name}`);
  if (isPlainObject(cmd.validator)) compileFilter(cmd.validator); // reject a bad validator before changing anything
  const reply: Doc = {};
  const options: Doc = { ...coll.options };
  for (const k of COLLECTION_OPTIONS) if (cmd[k] !== undefined) options[k] = cmd[k];
  if ((cmd.viewOn !== undefined || cmd.pipeline !== undefined) && !isView(coll)) {
    throw new MongoServerError(72, 'collMod on a collection cannot set viewOn or pipeline');
  }
  if (isPlainObject(cmd.index)) {
    const spec = cmd.index;
    const index = [...coll.indexes.values()].find(
      (i) =>
        (typeof spec.name === 'string' && i.name === spec.name) ||
        (isPlainObject(spec.keyPattern) && canonicalKey(i.spec.key) === canonicalKey(spec.keyPattern)),
    );
    if (!index)
      throw new MongoServerError(
        27,
        `cannot find index ${JSON.stringify(spec.name ?? spec.keyPattern)} for ns ${coll.ns}`,
      );
    if (spec.expireAfterSeconds !== undefined) {
      reply.expireAfterSeconds_old = index.spec.expireAfterSeconds;
      index.spec.expireAfterSeconds = spec.expireAfterSeconds;
      reply.expireAfterSeconds_new = spec.expireAfterSeconds;
    }
    if (typeof spec.hidden === 'boolean') {
      reply.hidden_old = index.spec.hidden === true;
      if (spec.hidden) index.spec.hidden = true;
      else delete index.spec.hidden;
      reply.hidden_new = spec.hidden;
    }
  }
  coll.options = options;
  ctx.ops.push(coll.metaOp());
  reply.ok = 1;
  return reply;
};
