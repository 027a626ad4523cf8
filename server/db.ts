import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { Config } from './config';
import type { Logger } from './logger';
import { socketPathOf, startEmbeddedMongo, unixSocketUri, type EmbeddedMongo } from './embedded-mongo';
import { probeSocket } from './embedded-mongo/storage/dir-lock';

export interface Database {
  connection: Connection;
  /** Set only when the app started its own embedded server (MONGODB_URI unset). */
  embedded?: EmbeddedMongo;
  uri: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * For tools (seed, create-admin, backup, restore): when an embedded server already runs on
   * DATA_DIR (the app), connect to it through its Unix socket instead of opening the directory.
   * The app itself leaves this off, so a second app on the same DATA_DIR refuses to start.
   */
  shareRunning?: boolean;
}

/** Where the embedded server of DATA_DIR keeps its data (and its socket, `<dbPath>/mongod.sock`). */
export function embeddedDbPath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'db');
}

/** The running embedded server's socket URI, if one serves DATA_DIR right now. */
export async function runningEmbeddedUri(config: Pick<Config, 'dataDir'>): Promise<string | undefined> {
  const socketPath = socketPathOf(embeddedDbPath(config));
  return (await probeSocket(socketPath)).alive ? unixSocketUri(socketPath) : undefined;
}

/**
 * Connect to MONGODB_URI, or start the embedded MongoDB-compatible server with its data under
 * DATA_DIR, reached through its Unix socket (no TCP port: only this OS user can connect).
 * Application code only ever sees a mongoose Connection, whichever it is.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  dbName = 'freshlink',
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  let embedded: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri && options.shareRunning) {
    uri = await runningEmbeddedUri(config);
    if (uri) logger.info({ socket: uri }, 'using the running embedded database');
  }
  if (!uri) {
    const dbPath = embeddedDbPath(config);
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(config.dataDir, 0o700);
    embedded = await startEmbeddedMongo({
      dbPath,
      cacheSizeMB: config.embeddedMemory?.cacheMB,
      mapBudgetMB: config.embeddedMemory?.mapMB,
    });
    uri = embedded.socketUri;
    logger.info({ dbPath, socket: embedded.socketPath }, 'embedded database started');
  }
  const connection = mongoose.createConnection(uri, {
    dbName: config.mongodbUri ? undefined : dbName,
    serverSelectionTimeoutMS: 5000,
    monitorCommands: true, // scale (issue 11): db_command_duration_seconds (server/http/metrics-market.ts)
  });
  await connection.asPromise();
  return {
    connection,
    embedded,
    uri,
    async ping() {
      try {
        const db = connection.db;
        if (!db) return false;
        await db.command({ ping: 1 }, { timeoutMS: 2000 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await connection.close();
      await embedded?.close();
    },
  };
}
