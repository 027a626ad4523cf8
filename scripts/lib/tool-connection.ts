import { MongoClient } from 'mongodb';
import type { Config } from '../../server/config';
import { embeddedDbPath, runningEmbeddedUri } from '../../server/db';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';

/**
 * A driver connection for the operations tools, to the database the app uses: MONGODB_URI when
 * set; else the embedded server of DATA_DIR, through the running app's Unix socket when it runs,
 * or opened here (holding DATA_DIR's lock) when it does not.
 */
export interface ToolConnection {
  client: MongoClient;
  /** The app's database: the one named in MONGODB_URI, or `freshlink` on the embedded server. */
  dbName: string;
  /** How it got there, for the tool's report. */
  via: 'MONGODB_URI' | 'running server' | 'data directory';
  close(): Promise<void>;
}

export async function connectTool(config: Config, dbName = 'freshlink'): Promise<ToolConnection> {
  let embedded: EmbeddedMongo | undefined;
  let via: ToolConnection['via'];
  let uri = config.mongodbUri;
  if (uri) {
    via = 'MONGODB_URI';
  } else {
    uri = await runningEmbeddedUri(config);
    via = 'running server';
    if (!uri) {
      embedded = await startEmbeddedMongo({ dbPath: embeddedDbPath(config) });
      uri = embedded.socketUri;
      via = 'data directory';
    }
  }
  try {
    const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
    const fromUri = config.mongodbUri ? client.options.dbName : undefined;
    return {
      client,
      dbName: fromUri && fromUri !== 'test' ? fromUri : dbName,
      via,
      async close() {
        await client.close();
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

/** `--name value` or `--name=value`. */
export function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}
