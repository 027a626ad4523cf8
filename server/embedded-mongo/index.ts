import { Catalog } from './engine/catalog';
import { CursorRegistry } from './cursors';
import type { ServerState } from './commands/context';
import { WireServer } from './server';
import { openStorage } from './storage/lmdb';
import { startTtlMonitor } from './ttl';

/** Public API of the embedded MongoDB-compatible server. Keep this shape. */
export interface EmbeddedMongoOptions {
  /** Directory for the durable data files; created if missing. */
  dbPath: string;
  host?: string;
  /** 0 = pick a free port. */
  port?: number;
  /** How often expired TTL documents are deleted; mongod uses 60 s, we default to 1 s. */
  ttlIntervalMs?: number;
  /**
   * Memory for decoded documents, in MB (documents live in storage and are read on demand;
   * this bounds the cache of recently read ones). Default 64.
   */
  cacheSizeMB?: number;
  /** Receives one-line diagnostics (connection errors); silent by default. */
  log?: (line: string) => void;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const storage = await openStorage(options.dbPath);
  let state: ServerState;
  let wire: WireServer;
  let port: number;
  try {
    state = {
      catalog: await Catalog.open(storage, cacheOption(options.cacheSizeMB)),
      storage,
      cursors: new CursorRegistry(),
      startedAt: new Date(),
      sessions: new Map(),
      now: () => new Date(),
    };
    wire = new WireServer(state, options.log);
    port = await wire.listen(options.port ?? 0, host);
  } catch (e) {
    // e.g. EADDRINUSE or unreadable data: release the dbPath so the caller can retry.
    await storage.close();
    throw e;
  }
  const ttl = startTtlMonitor(state, options.ttlIntervalMs ?? 1000, options.log);
  let closing: Promise<void> | undefined;
  return {
    uri: `mongodb://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        await ttl.stop();
        await wire.close();
        await storage.close();
      })();
      return closing;
    },
  };
}

function cacheOption(mb: number | undefined): { cacheBytes?: number } {
  if (mb === undefined) return {};
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`cacheSizeMB must be a non-negative number, got ${mb}`);
  return { cacheBytes: Math.floor(mb * 1024 * 1024) };
}
