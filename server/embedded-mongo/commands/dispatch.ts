import type { Doc } from '../engine/bson-values';
import { withCommandEnv } from '../engine/command-env';
import { asServerError, MongoServerError } from '../engine/errors';
import * as admin from './admin';
import { aggregate } from './aggregate';
import type { CommandContext, CommandHandler } from './context';
import { del, insert, update } from './crud';
import { create, drop, dropDatabase, listCollections, renameCollection } from './ddl';
import { explain, dbStats, collStats } from './explain';
import { findAndModify } from './find-and-modify';
import { createIndexes, dropIndexes, listIndexes } from './indexes';
import { count, distinct, find, getMore, killCursors } from './read';

/** Command name → handler, and the checks every command goes through. */
const HANDLERS: Record<string, CommandHandler> = {
  hello: admin.hello, isMaster: admin.hello, ismaster: admin.hello,
  ping: admin.ping, buildInfo: admin.buildInfo, buildinfo: admin.buildInfo,
  listDatabases: admin.listDatabases, getParameter: admin.getParameter, getLog: admin.getLog,
  connectionStatus: admin.connectionStatus, serverStatus: admin.serverStatus, whatsmyuri: admin.whatsmyuri,
  hostInfo: admin.hostInfo, getCmdLineOpts: admin.getCmdLineOpts, saslStart: admin.saslStart,
  saslContinue: admin.saslStart, authenticate: admin.saslStart, logout: admin.noopOk,
  endSessions: admin.noopOk, killSessions: admin.noopOk, killAllSessions: admin.noopOk,
  killAllSessionsByPattern: admin.noopOk, refreshSessions: admin.noopOk, startSession: admin.startSession,
  getLastError: admin.noopOk, getlasterror: admin.noopOk, resetError: admin.noopOk,
  abortTransaction: admin.transactionsUnsupported, commitTransaction: admin.transactionsUnsupported,
  replSetGetStatus: admin.replSetGetStatus, getFreeMonitoringStatus: admin.noopOk,
  find, getMore, killCursors, count, distinct, aggregate,
  insert, update, delete: del, findAndModify, findandmodify: findAndModify,
  create, drop, dropDatabase, renameCollection, listCollections,
  createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes,
  explain, dbStats, collStats,
};

export function commandName(cmd: Doc): string {
  return Object.keys(cmd)[0] ?? '';
}

export async function runCommand(cmd: Doc, ctx: CommandContext): Promise<Doc> {
  const name = commandName(cmd);
  try {
    const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new MongoServerError(59, `no such command: '${name}'`);
    if ('txnNumber' in cmd || 'startTransaction' in cmd || 'autocommit' in cmd) {
      throw new MongoServerError(20, 'Transaction numbers are only allowed on a replica set member or mongos');
    }
    const reply = await withCommandEnv(cmd.collation, cmd.let, () => handler(cmd, ctx));
    if (ctx.ops.length > 0) await ctx.server.storage.commit(ctx.ops);
    return reply;
  } catch (e) {
    // Writes applied before a failure (ordered batches) are still made durable.
    if (ctx.ops.length > 0) await ctx.server.storage.commit(ctx.ops);
    const err = asServerError(e);
    return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
  }
}
