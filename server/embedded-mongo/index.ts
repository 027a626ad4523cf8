import { chmodSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { Catalog } from './engine/catalog';
import { CursorRegistry } from './cursors';
import type { ServerState } from './commands/context';
import { createAuthUser } from './commands/auth';
import { WireServer, type WireLimits } from './server';
import { SOCKET_FILE } from './storage/dir-lock';
import { openStorage } from './storage/lmdb';
import type { Storage } from './storage/types';
import { startTtlMonitor } from './ttl';

/** Public API of the embedded MongoDB-compatible server. Keep this shape. */
export interface EmbeddedMongoOptions {
  /** Directory for the durable data files; created if missing (mode 0700). */
  dbPath: string;
  /**
   * TCP listening: only when `port` is given (0 = pick a free port). Without it the server takes
   * no TCP port and is reached only through its Unix socket `<dbPath>/mongod.sock`.
   */
  host?: string;
  port?: number;
  /**
   * The user TCP clients must authenticate as (SCRAM-SHA-256 or SCRAM-SHA-1, authSource=admin).
   * Without it TCP is allowed on a loopback host only. The Unix socket never asks: only the OS
   * user owning the data directory can reach it, and that user can read the data files anyway.
   */
  auth?: { username: string; password: string };
  /** How often expired TTL documents are deleted; mongod uses 60 s, we default to 1 s. */
  ttlIntervalMs?: number;
  /**
   * Memory for decoded documents, in MB (documents live in storage and are read on demand;
   * this bounds the cache of recently read ones). Default 64.
   */
  cacheSizeMB?: number;
  /**
   * How much of the data file may stay mapped into the process, in MB (it counts in RSS); past it
   * the map is reopened (storage/lmdb.ts). 0 = no limit. Default 128.
   */
  mapBudgetMB?: number;
  /** Wire limits (message size, pending bytes per connection, connections). */
  limits?: Partial<WireLimits>;
  /** Receives one-line diagnostics (connection errors); silent by default. */
  log?: (line: string) => void;
}

export interface EmbeddedMongo {
  /** The TCP URI (without credentials) when listening on TCP, else the Unix socket URI. */
  uri: string;
  /** The TCP port, 0 when not listening on TCP. */
  port: number;
  /** Path of the Unix socket, and the driver URI that reaches it (mongodb://%2F…%2Fmongod.sock/). */
  socketPath: string;
  socketUri: string;
  close(): Promise<void>;
}

/** The driver URI of a Unix socket: the path percent-encoded as the host. */
export function unixSocketUri(socketPath: string): string {
  return `mongodb://${encodeURIComponent(socketPath)}/`;
}

/** The socket a server on `dbPath` listens on. */
export function socketPathOf(dbPath: string): string {
  return join(dbPath, SOCKET_FILE);
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/** data.mdb and lock.mdb are created with the process umask; nobody but the owner may read them. */
function restrictFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isFile()) chmodSync(path, 0o600);
  }
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const tcp = options.port !== undefined;
  if (tcp && !options.auth && !isLoopback(host)) {
    throw new Error(
      `refusing to listen on ${host} without authentication: set a user and password (DB_USERNAME/DB_PASSWORD) or use a loopback host`,
    );
  }
  const socketPath = socketPathOf(options.dbPath);
  // The Unix socket path is limited to ~107 bytes by the kernel: fail before opening anything.
  if (Buffer.byteLength(socketPath) > 100) {
    throw new Error(`the data directory path is too long for a Unix socket (${socketPath}); use a shorter DATA_DIR`);
  }
  const storage: Storage = await openStorage(options.dbPath, mapOption(options.mapBudgetMB));
  let state: ServerState;
  let wire: WireServer | undefined;
  let port = 0;
  try {
    restrictFiles(options.dbPath);
    state = {
      catalog: await Catalog.open(storage, cacheOption(options.cacheSizeMB)),
      storage,
      cursors: new CursorRegistry(),
      startedAt: new Date(),
      sessions: new Map(),
      now: () => new Date(),
    };
    const auth = options.auth ? { user: createAuthUser(options.auth.username, options.auth.password) } : undefined;
    wire = new WireServer(state, options.log, auth && { ...auth, exemptUnixSocket: true }, options.limits);
    // We hold the directory lock, so a socket file here is a dead server's: replace it.
    rmSync(socketPath, { force: true });
    await wire.listenUnix(socketPath);
    chmodSync(socketPath, 0o600);
    if (tcp) port = await wire.listen(options.port ?? 0, host);
  } catch (e) {
    // e.g. EADDRINUSE or unreadable data: release the dbPath so the caller can retry.
    await wire?.close();
    await storage.close();
    throw e;
  }
  const listening = wire;
  const ttl = startTtlMonitor(state, options.ttlIntervalMs ?? 1000, options.log);
  let closing: Promise<void> | undefined;
  const socketUri = unixSocketUri(socketPath);
  return {
    uri: tcp ? `mongodb://${host.includes(':') ? `[${host}]` : host}:${port}/` : socketUri,
    port,
    socketPath,
    socketUri,
    close(): Promise<void> {
      closing ??= (async () => {
        await ttl.stop();
        await listening.close();
        rmSync(socketPath, { force: true });
        await storage.close();
      })();
      return closing;
    },
  };
}

function mapOption(mb: number | undefined): { mapBudgetBytes?: number } {
  if (mb === undefined) return {};
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`mapBudgetMB must be a non-negative number, got ${mb}`);
  return { mapBudgetBytes: Math.floor(mb * 1024 * 1024) };
}

function cacheOption(mb: number | undefined): { cacheBytes?: number } {
  if (mb === undefined) return {};
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`cacheSizeMB must be a non-negative number, got ${mb}`);
  return { cacheBytes: Math.floor(mb * 1024 * 1024) };
}
