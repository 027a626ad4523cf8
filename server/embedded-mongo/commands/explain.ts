import { Int32, Long } from 'bson';
import { isPlainObject, type Doc } from '../engine/bson-values';
import { MongoServerError } from '../engine/errors';
import { collectionName, type CommandHandler } from './context';
import { runFind } from './read';
import { explainAggregate } from './aggregate';

/**
 * explain for find/count/distinct-shaped queries: says whether an index was used and how
 * many documents were examined, which is how tests check that lookups avoid full scans.
 */
export const explain: CommandHandler = (cmd, ctx) => {
  const inner = cmd.explain;
  if (!isPlainObject(inner)) throw new MongoServerError(14, 'explain command requires a nested object');
  const verb = Object.keys(inner)[0];
  if (verb === 'aggregate') return explainAggregate(inner, ctx);
  if (verb !== 'find' && verb !== 'count' && verb !== 'delete' && verb !== 'update') {
    throw new MongoServerError(115, `explain is only supported for find and count here, not ${verb}`);
  }
  const name = collectionName(inner, verb);
  const filter = verb === 'count' ? inner.query : verb === 'find' ? inner.filter : undefined;
  const findShape = verb === 'find' ? { sort: inner.sort, skip: inner.skip, limit: inner.limit, hint: inner.hint } : {};
  const result = runFind({ find: name, filter: isPlainObject(filter) ? filter : {}, ...findShape }, ctx, name);
  const stage = planStage(result.index, result.stage);
  return {
    queryPlanner: { namespace: `${ctx.db}.${name}`, winningPlan: stage, rejectedPlans: [] },
    executionStats: {
      executionSuccess: true,
      nReturned: new Int32(result.docs.length),
      totalDocsExamined: new Int32(result.examined),
      totalKeysExamined: new Int32(result.index ? result.examined : 0),
    },
    ok: 1,
  };
};

/** The winning plan as mongod shapes it: COLLSCAN, FETCH over IXSCAN, TEXT_MATCH or GEO_NEAR_* over the index. */
function planStage(index: string | undefined, stage: string | undefined): Doc {
  if (!index) return { stage: 'COLLSCAN' };
  const ixscan = { stage: 'IXSCAN', indexName: index };
  if (stage === 'TEXT_MATCH')
    return { stage: 'TEXT_MATCH', indexName: index, inputStage: { stage: 'FETCH', inputStage: ixscan } };
  if (stage) return { stage, indexName: index, inputStage: ixscan };
  return { stage: 'FETCH', inputStage: ixscan };
}

export const dbStats: CommandHandler = (_cmd, ctx) => {
  const colls = ctx.server.catalog.list(ctx.db);
  return {
    db: ctx.db,
    collections: new Int32(colls.length),
    objects: Long.fromNumber(colls.reduce((n, c) => n + c.docs.size, 0)),
    indexes: new Int32(colls.reduce((n, c) => n + c.indexes.size, 0)),
    ok: 1,
  };
};

export const collStats: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'collStats');
  const coll = ctx.server.catalog.get(ctx.db, name);
  if (!coll) throw new MongoServerError(26, `ns not found ${ctx.db}.${name}`);
  return { ns: coll.ns, count: new Int32(coll.docs.size), nindexes: new Int32(coll.indexes.size), ok: 1 };
};
