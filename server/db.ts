import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { Config } from './config';
import type { Logger } from './logger';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded-mongo';

export interface Database {
  connection: Connection;
  /** Set only when the app started its own embedded server (MONGODB_URI unset). */
  embedded?: EmbeddedMongo;
  uri: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connect to MONGODB_URI, or start the embedded MongoDB-compatible server on 127.0.0.1
 * and a free port with its data under DATA_DIR. Application code only ever sees a
 * mongoose Connection, whichever it is.
 */
export async function openDatabase(config: Config, logger: Logger, dbName = 'freshlink'): Promise<Database> {
  let embedded: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    embedded = await startEmbeddedMongo({ dbPath: path.join(config.dataDir, 'db'), host: '127.0.0.1', port: 0 });
    uri = embedded.uri;
    logger.info({ dbPath: path.join(config.dataDir, 'db'), port: embedded.port }, 'embedded database started');
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
