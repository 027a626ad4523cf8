import { Int32, Long } from 'bson';
import { isPlainObject, type Doc } from '../engine/bson-values';
import { collationKey } from '../engine/compare';
import { Collection } from '../engine/collection';
import { MongoServerError } from '../engine/errors';
import { compileFilter, nearClause, sortByNear } from '../engine/query';
import { FIRST_BATCH, KeysTail, type CursorTail } from '../cursors';
import { isView, viewDocuments } from './views';
import { valuesAtPath } from '../engine/path';
import { compileProjection } from '../engine/projection';
import { noTableScan } from './parameters';
import { geoIndexFor } from '../engine/planner';
import { parseSort, sortBySortValues, sortDocs, sortValuesOf, type SortSpec } from '../engine/sort';
import {
  collectionName,
  optionalBool,
  optionalDoc,
  optionalNumber,
  type CommandContext,
  type CommandHandler,
} from './context';

/** find, getMore, killCursors, count, distinct. */

export function cursorReply(ns: string, batch: Doc[], id: Long, first: boolean): Doc {
  return { cursor: { [first ? 'firstBatch' : 'nextBatch']: batch, id, ns }, ok: 1 };
}

function scanView(ctx: CommandContext, view: Collection, filter: Doc): FindResult {
  const docs = viewDocuments(ctx, view);
  const match = compileFilter(filter);
  return { docs: docs.filter(match), examined: docs.length, sorted: false };
}

interface FindResult {
  docs: Doc[];
  /** Matches after `docs`, still to be read (only when `keep` was given): see CursorTail. */
  tail?: CursorTail;
  examined: number;
  index?: string;
  /** The plan's index stage for explain (see ScanResult.stage). */
  stage?: string;
  sorted: boolean;
}

/**
 * `rawReply`: the documents go straight into a reply (the find command without a projection),
 * so stored documents whose filter the index alone decides may stay undecoded. `keep`: how many
 * documents to hold decoded; later matches stay keys that a cursor reads when asked for them.
 */
export function runFind(cmd: Doc, ctx: CommandContext, name: string, rawReply = false, keep = Infinity): FindResult {
  const filter = optionalDoc(cmd, 'filter') ?? {};
  // Validate the whole request first: a bad filter or sort fails even on a missing collection.
  const predicate = compileFilter(filter);
  const sort = parseSort(cmd.sort);
  const projection = optionalDoc(cmd, 'projection');
  const project = projection ? compileProjection(projection, filter) : undefined;
  const skip = optionalNumber(cmd, 'skip') ?? 0;
  const limit = optionalNumber(cmd, 'limit') ?? 0;
  if (skip < 0) throw new MongoServerError(51024, `BSON field 'skip' value must be >= 0, actual value '${skip}'`);
  if (limit < 0) throw new MongoServerError(51024, `BSON field 'limit' value must be >= 0, actual value '${limit}'`);
  const coll = ctx.server.catalog.get(ctx.db, name);
  if (!coll) return { docs: [], examined: 0, sorted: true };
  const hint =
    sort.length > 0 && sort[0].meta === undefined
      ? { ...sort[0], needed: limit > 0 ? skip + limit : 0, more: sort.length > 1, rawReply: rawReply && !project }
      : undefined;
  const near = sort.length === 0 ? nearClause(filter) : undefined;
  // A geo index hands $near's candidates over nearest first: the scan may stop at the limit.
  const natural = isPlainObject(cmd.hint) && '$natural' in cmd.hint;
  const nearIndexed =
    near !== undefined && !natural && !isView(coll) && geoIndexFor(coll.indexes.values(), near.path) !== undefined;
  // Documents beyond `keep` stay keys only when their order is final without an in-memory sort.
  const scan = isView(coll)
    ? scanView(ctx, coll, filter)
    : coll.scan(
        filter,
        predicate,
        hint,
        // unsorted: the scan stops once skip + limit documents matched (a findOne reads one, not the collection)
        sort.length === 0 && (near === undefined || nearIndexed) && limit > 0 ? skip + limit : 0,
        near === undefined ? skip + keep : Infinity,
        // unsorted without an index: the first batch only; the cursor resumes the scan after it
        sort.length === 0 && near === undefined,
        natural,
      );
  if (noTableScan(ctx.server) && !scan.index && Object.keys(filter).length > 0) {
    throw new MongoServerError(291, 'error processing query: No query solutions (notablescan is set)');
  }
  let docs = scan.docs;
  let keys = ('rest' in scan ? scan.rest : undefined) ?? [];
  const orderFinal = near === undefined && (scan.sorted || sort.length === 0);
  if (keys.length > 0 && !orderFinal && !isView(coll) && near === undefined && sort.every((s) => !s.meta)) {
    // Sorted in memory without holding every match: each one's key and sort values are sorted,
    // and only the first batch is read again as documents; the rest stay keys for getMore.
    ({ docs, keys } = sortAsKeys(coll, predicate, sort, docs, keys, skip + keep));
  } else if (keys.length > 0 && (!orderFinal || isView(coll))) {
    for (const key of keys) {
      const doc = isView(coll) ? undefined : coll.refetch(key, predicate);
      if (doc) docs.push(doc);
    }
    keys = [];
  }
  docs = near ? sortByNear(docs, near) : scan.sorted || keys.length > 0 ? docs : sortDocs(docs, sort);
  // skip and limit over the documents, then the keys after them.
  const skipKeys = Math.max(0, skip - docs.length);
  docs = docs.slice(skip);
  keys = keys.slice(skipKeys);
  if (limit > 0) {
    docs = docs.slice(0, limit);
    keys = keys.slice(0, Math.max(0, limit - docs.length));
  }
  if (project) docs = docs.map(project);
  const resumeAfter = 'resumeAfter' in scan ? scan.resumeAfter : undefined;
  const tail =
    isView(coll) || (limit > 0 && docs.length >= limit)
      ? undefined
      : resumeAfter !== undefined
        ? new ScanTail(coll, predicate, project, resumeAfter, limit > 0 ? limit - docs.length : Infinity)
        : keys.length > 0
          ? new KeysTail(keys, (key) => {
              const doc = coll.refetch(key, predicate);
              return doc && project ? project(doc) : doc;
            })
          : undefined;
  const stage = 'stage' in scan ? scan.stage : undefined;
  return {
    docs,
    ...(tail ? { tail } : {}),
    examined: scan.examined,
    index: scan.index,
    ...(stage ? { stage } : {}),
    sorted: true,
  };
}

/**
 * The rest of a scan in stored order, read as getMore asks: each read resumes after the last key it
 * handed out (a new storage iterator each time, so no read transaction stays open between batches) and
 * looks one match ahead so the cursor closes as soon as nothing is left. A document inserted after the
 * resume point while the cursor is open may be returned, as with mongod's collection scans.
 */
class ScanTail implements CursorTail {
  private finished = false;

  constructor(
    private readonly coll: Collection,
    private readonly predicate: (doc: Doc) => boolean,
    private readonly project: ((doc: Doc) => Doc) | undefined,
    private after: string,
    private remaining: number,
  ) {}

  get done(): boolean {
    return this.finished || this.remaining <= 0;
  }

  read(count: number, fits: (doc: Doc) => boolean): Doc[] {
    const out: Doc[] = [];
    if (this.done) return out;
    // '\u0000' after the key: the first key greater than the last one handed out
    const source = this.coll.entries({ start: `${this.after}\u0000` })[Symbol.iterator]();
    try {
      for (;;) {
        const next = source.next();
        if (next.done === true) {
          this.finished = true;
          break;
        }
        const [key, doc] = next.value;
        if (!this.predicate(doc)) {
          this.after = key;
          continue;
        }
        // a match beyond this batch (count or bytes) stays for the next read: more is left
        if (out.length >= count || this.remaining <= 0) break;
        const shown = this.project ? this.project(doc) : doc;
        if (!fits(shown)) break;
        this.after = key;
        this.remaining--;
        out.push(shown);
      }
    } finally {
      source.return(undefined);
    }
    return out;
  }
}

/**
 * A sort no index gives, over more matches than are held as documents: the matches' keys in
 * sorted order, the first `keep` of them read back as documents (a match changed meanwhile so
 * that it no longer matches is left out, as a later getMore would).
 */
function sortAsKeys(
  coll: Collection,
  predicate: (doc: Doc) => boolean,
  sort: SortSpec,
  held: Doc[],
  rest: string[],
  keep: number,
): { docs: Doc[]; keys: string[] } {
  const entries: Array<{ key: string; values: ReturnType<typeof sortValuesOf>; doc?: Doc }> = [];
  for (const doc of held) entries.push({ key: Collection.keyOf(doc), values: sortValuesOf(doc, sort), doc });
  for (const key of rest) {
    const doc = coll.refetch(key, predicate);
    if (doc) entries.push({ key, values: sortValuesOf(doc, sort) });
  }
  const sorted = sortBySortValues(entries, sort);
  const docs: Doc[] = [];
  let at = 0;
  for (; at < sorted.length && docs.length < keep; at++) {
    const entry = sorted[at]!;
    const doc = entry.doc ?? coll.refetch(entry.key, predicate);
    if (doc) docs.push(doc);
  }
  return { docs, keys: sorted.slice(at).map((e) => e.key) };
}

export const find: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'find');
  const ns = `${ctx.db}.${name}`;
  const batchSize = optionalNumber(cmd, 'batchSize');
  const single = optionalBool(cmd, 'singleBatch', false);
  // Only the first batch is held decoded; the rest of a large result is read as getMore asks.
  const { docs, tail } = runFind(cmd, ctx, name, true, Math.max(batchSize ?? FIRST_BATCH, FIRST_BATCH));
  const { id, batch } = ctx.server.cursors.firstBatch(ns, docs, batchSize, single, tail);
  return cursorReply(ns, batch, id, true);
};

export const getMore: CommandHandler = (cmd, ctx) => {
  const raw = cmd.getMore;
  const id = raw instanceof Long ? raw.toBigInt() : BigInt(Number(raw));
  const name = collectionName(cmd, 'collection');
  const cursor = ctx.server.cursors.get(id);
  if (!cursor) throw new MongoServerError(43, `cursor id ${id} not found`);
  const ns = `${ctx.db}.${name}`;
  if (cursor.ns !== ns)
    throw new MongoServerError(
      13,
      `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
    );
  const { id: next, batch } = ctx.server.cursors.nextBatch(cursor, optionalNumber(cmd, 'batchSize'));
  return cursorReply(ns, batch, next, false);
};

export const killCursors: CommandHandler = (cmd, ctx) => {
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors : [];
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of ids) {
    const id = raw instanceof Long ? raw : Long.fromNumber(Number(raw));
    (ctx.server.cursors.kill(id.toBigInt()) ? killed : notFound).push(id);
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

export const count: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'count');
  const coll = ctx.server.catalog.get(ctx.db, name);
  const query = optionalDoc(cmd, 'query') ?? {};
  let n =
    coll && !isView(coll) && Object.keys(query).length === 0
      ? coll.docs.size
      : runFind({ filter: query }, ctx, name).docs.length;
  const skip = optionalNumber(cmd, 'skip') ?? 0;
  const limit = optionalNumber(cmd, 'limit') ?? 0;
  n = Math.max(0, n - skip);
  if (limit !== 0) n = Math.min(n, Math.abs(limit));
  return { n: new Int32(n), ok: 1 };
};

export const distinct: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'distinct');
  const key = cmd.key;
  if (typeof key !== 'string')
    throw new MongoServerError(14, "BSON field 'distinct.key' is missing but a required field");
  const query = optionalDoc(cmd, 'query') ?? {};
  const seen = new Map<string, unknown>();
  for (const doc of runFind({ filter: query }, ctx, name).docs) {
    for (const v of valuesAtPath(doc, key)) {
      for (const x of Array.isArray(v) ? v : [v]) {
        const k = collationKey(x);
        if (!seen.has(k)) seen.set(k, x);
      }
    }
  }
  const values = sortDocs(
    [...seen.values()].map((v) => ({ v })),
    [{ path: 'v', dir: 1 }],
  ).map((d) => d.v);
  return { values, ok: 1 };
};
