import { Int32, Long, UUID } from 'bson';
import { MongoServerError } from '../engine/errors';
import { isPlainObject, type Doc } from '../engine/bson-values';
import { compileFilter } from '../engine/query';
import type { CommandHandler } from './context';
import type { Storage } from '../storage/types';

/** Handshake, diagnostics and session commands that drivers and tools send in normal use. */

const SERVER_VERSION = '7.0.14';
const MAX_WIRE_VERSION = 21;
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const MAX_WRITE_BATCH_SIZE = 100_000;

export const hello: CommandHandler = (cmd, ctx) => {
  const legacy = !('hello' in cmd);
  const reply: Doc = {
    ...(legacy ? { ismaster: true } : {}),
    isWritablePrimary: true,
    maxBsonObjectSize: new Int32(MAX_BSON_OBJECT_SIZE),
    maxMessageSizeBytes: new Int32(MAX_MESSAGE_SIZE_BYTES),
    maxWriteBatchSize: new Int32(MAX_WRITE_BATCH_SIZE),
    localTime: ctx.server.now(),
    logicalSessionTimeoutMinutes: new Int32(30),
    connectionId: new Int32(ctx.connectionId),
    minWireVersion: new Int32(0),
    maxWireVersion: new Int32(MAX_WIRE_VERSION),
    readOnly: false,
  };
  if (cmd.saslSupportedMechs !== undefined) reply.saslSupportedMechs = [];
  // Tells a driver that sent the legacy isMaster that it may switch to `hello`.
  if (cmd.helloOk === true) reply.helloOk = true;
  reply.ok = 1;
  return reply;
};

export const ping: CommandHandler = () => ({ ok: 1 });

export const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'freshlink-embedded',
  versionArray: [...SERVER_VERSION.split('.').map((n) => new Int32(Number(n))), new Int32(0)],
  bits: new Int32(64),
  debug: false,
  maxBsonObjectSize: new Int32(MAX_BSON_OBJECT_SIZE),
  storageEngines: ['embedded'],
  javascriptEngine: 'none',
  modules: [],
  openssl: { running: 'disabled' },
  ok: 1,
});

export const listDatabases: CommandHandler = (cmd, ctx) => {
  const names = ctx.server.catalog.databaseNames().sort();
  const nameOnly = cmd.nameOnly === true;
  const match = compileFilter(isPlainObject(cmd.filter) ? cmd.filter : undefined);
  const databases = names
    .map((name): Doc => {
      const docs = ctx.server.catalog.list(name).reduce((n, c) => n + c.docs.size, 0);
      // Size is an estimate: the engine does not track bytes per database.
      return { name, sizeOnDisk: Long.fromNumber(docs * 256), empty: docs === 0 };
    })
    .filter((d) => match(d))
    .map((d) => (nameOnly ? { name: d.name } : d));
  const reply: Doc = { databases };
  if (!nameOnly)
    reply.totalSize = Long.fromNumber(databases.reduce((n, d) => n + Number((d as Doc).sizeOnDisk ?? 0), 0));
  reply.ok = 1;
  return reply;
};

export const getLog: CommandHandler = (cmd) =>
  cmd.getLog === '*'
    ? { names: ['global', 'startupWarnings'], ok: 1 }
    : { totalLinesWritten: new Int32(0), log: [], ok: 1 };

export const connectionStatus: CommandHandler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

function embeddedStorageStatus(m: ReturnType<Storage['mapping']>): Doc {
  return {
    mapBudgetBytes: Long.fromNumber(m.budgetBytes),
    mapReopens: Long.fromNumber(m.remaps),
    pageReads: Long.fromNumber(m.pageReads),
    cachedBranchPages: Long.fromNumber(m.cachedBranches),
  };
}

export const serverStatus: CommandHandler = (_cmd, ctx) => ({
  host: 'localhost',
  version: SERVER_VERSION,
  process: 'mongod',
  pid: Long.fromNumber(process.pid),
  uptime: (ctx.server.now().getTime() - ctx.server.startedAt.getTime()) / 1000,
  localTime: ctx.server.now(),
  connections: { current: new Int32(0), available: new Int32(1000) },
  metrics: { cursor: { open: { total: Long.fromNumber(ctx.server.cursors.size) } } },
  storageEngine: { name: 'embedded', persistent: true },
  // Not mongod's: how the data file's map is held within its budget and how many pages were
  // read with pread instead (storage/lmdb.ts, storage/page-reader.ts).
  embeddedStorage: embeddedStorageStatus(ctx.server.storage.mapping()),
  ok: 1,
});

export const whatsmyuri: CommandHandler = (_cmd, ctx) => ({ you: ctx.clientAddress, ok: 1 });

export const hostInfo: CommandHandler = () => ({
  system: { hostname: 'localhost', cpuArch: process.arch, numCores: new Int32(1) },
  os: { type: process.platform },
  ok: 1,
});

export const getCmdLineOpts: CommandHandler = () => ({ argv: ['mongod'], parsed: {}, ok: 1 });

export const saslStart: CommandHandler = () => {
  throw new MongoServerError(
    18,
    'Authentication failed: this embedded server has no users; connect without credentials',
  );
};

export const noopOk: CommandHandler = () => ({ ok: 1 });

export const transactionsUnsupported: CommandHandler = () => {
  throw new MongoServerError(20, 'Transaction numbers are only allowed on a replica set member or mongos');
};

export const replSetGetStatus: CommandHandler = () => {
  throw new MongoServerError(76, 'not running with --replSet');
};

export const startSession: CommandHandler = () => ({
  id: { id: new UUID() },
  timeoutMinutes: new Int32(30),
  ok: 1,
});
