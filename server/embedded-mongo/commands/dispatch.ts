import { Binary } from 'bson';
import { isPlainObject, type Doc } from '../engine/bson-values';
import { canonicalKey } from '../engine/compare';
import { withCommandEnv } from '../engine/command-env';
import { asServerError, MongoServerError } from '../engine/errors';
import { withValidationBypass } from '../engine/validation';
import * as admin from './admin';
import { aggregate } from './aggregate';
import type { CommandContext, CommandHandler } from './context';
import { del, insert, update } from './crud';
import { collMod } from './coll-mod';
import { create, drop, dropDatabase, listCollections, renameCollection } from './ddl';
import { explain, dbStats, collStats } from './explain';
import { findAndModify } from './find-and-modify';
import { createIndexes, dropIndexes, listIndexes } from './indexes';
import { getParameter, setParameter } from './parameters';
import { count, distinct, find, getMore, killCursors } from './read';

/** Command name → handler, and the checks every command goes through. */
const HANDLERS: Record<string, CommandHandler> = {
  hello: admin.hello,
  isMaster: admin.hello,
  ismaster: admin.hello,
  ping: admin.ping,
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  listDatabases: admin.listDatabases,
  getParameter,
  setParameter,
  getLog: admin.getLog,
  connectionStatus: admin.connectionStatus,
  serverStatus: admin.serverStatus,
  whatsmyuri: admin.whatsmyuri,
  hostInfo: admin.hostInfo,
  getCmdLineOpts: admin.getCmdLineOpts,
  saslStart: admin.saslStart,
  saslContinue: admin.saslStart,
  authenticate: admin.saslStart,
  logout: admin.noopOk,
  endSessions: admin.noopOk,
  killSessions: admin.noopOk,
  killAllSessions: admin.noopOk,
  killAllSessionsByPattern: admin.noopOk,
  refreshSessions: admin.noopOk,
  startSession: admin.startSession,
  getLastError: admin.noopOk,
  getlasterror: admin.noopOk,
  resetError: admin.noopOk,
  abortTransaction: admin.transactionsUnsupported,
  commitTransaction: admin.transactionsUnsupported,
  replSetGetStatus: admin.replSetGetStatus,
  getFreeMonitoringStatus: admin.noopOk,
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
  create,
  drop,
  dropDatabase,
  renameCollection,
  listCollections,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  explain,
  dbStats,
  collStats,
  collMod,
};

export function commandName(cmd: Doc): string {
  return Object.keys(cmd)[0] ?? '';
}

/** Remembers the command's session (for $listLocalSessions); endSessions forgets them. */
function noteSession(cmd: Doc, ctx: CommandContext): void {
  const { sessions } = ctx.server;
  if (Array.isArray(cmd.endSessions)) {
    for (const s of cmd.endSessions) if (isPlainObject(s)) sessions.delete(canonicalKey(s.id));
    return;
  }
  if (isPlainObject(cmd.lsid) && cmd.lsid.id !== undefined) {
    sessions.set(canonicalKey(cmd.lsid.id), {
      _id: { id: cmd.lsid.id, uid: new Binary(Buffer.alloc(32)) },
      lastUse: ctx.server.now(),
    });
  }
}

export async function runCommand(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  if (ctx.server.storageFailure !== undefined) return storageFailedReply(ctx.server.storageFailure);
  let reply: Doc;
  try {
    reply = execute(cmd, ctx);
  } catch (e) {
    const err = asServerError(e);
    reply = { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
  }
  // Writes applied before a failure (ordered batches) are made durable too; the reply waits.
  if (ctx.ops.length > 0) {
    try {
      await ctx.server.storage.commit(ctx.ops);
    } catch (e) {
      // Memory already holds the change but the disk does not: serve nothing more (fail-stop)
      // rather than let clients read or build on writes a restart would lose.
      ctx.server.storageFailure = e instanceof Error ? e.message : String(e);
      return storageFailedReply(ctx.server.storageFailure);
    }
  }
  return reply;
}

function storageFailedReply(why: string): Doc {
  return {
    ok: 0,
    errmsg: `could not make a write durable (${why}); restart the server`,
    code: 1,
    codeName: 'InternalError',
  };
}

function execute(cmd: Doc, ctx: CommandContext): Doc {
  const name = commandName(cmd);
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handler) throw new MongoServerError(59, `no such command: '${name}'`);
  if ('txnNumber' in cmd || 'startTransaction' in cmd || 'autocommit' in cmd) {
    throw new MongoServerError(20, 'Transaction numbers are only allowed on a replica set member or mongos');
  }
  noteSession(cmd, ctx);
  const bypass = cmd.bypassDocumentValidation === true;
  // The collection's default collation applies when the command names none.
  // explain's collection (and collation) are those of the command it explains.
  const inner = name === 'explain' && isPlainObject(cmd.explain) ? cmd.explain : cmd;
  const innerName = inner === cmd ? name : Object.keys(inner)[0];
  const target =
    typeof inner[innerName] === 'string' ? ctx.server.catalog.get(ctx.db, inner[innerName] as string) : undefined;
  const specs = (): Doc[] => (target ? [...target.indexes.values()].map((i) => i.spec as Doc) : []);
  const collation = inner.collation ?? cmd.collation ?? target?.options.collation;
  return withCommandEnv(collation, cmd.let, () => withValidationBypass(bypass, () => handler(cmd, ctx)), specs);
}
