import { chmodSync, mkdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

/**
 * One server per data directory, like mongod.lock, held by something the kernel releases the
 * moment its owner dies (kill -9 included, before the parent reaps it): a listening Unix socket.
 * A pid in a file cannot do that: pids repeat (pid 1 in every container, or the new process's
 * own pid after a restart) and a zombie still "exists".
 *
 * - On Linux the lock is a socket in the abstract namespace named after the directory's device
 *   and inode. bind() is atomic, so of two servers starting at once exactly one wins, and
 *   nothing is left on disk to go stale.
 * - Elsewhere it is the socket file `mongod.lock.sock` in the directory: listen succeeds →
 *   ours; EADDRINUSE and a connect succeeds → the owner is alive; refused → stale, replaced.
 * - The abstract namespace belongs to a network namespace, so two containers sharing one
 *   volume would not see each other's lock: before taking the directory we also try to
 *   connect to the server's own socket (`mongod.sock`) and refuse if someone answers there.
 *
 * Whoever connects to the lock reads the owner's pid, for the error message.
 */
export const SOCKET_FILE = 'mongod.sock';
const FALLBACK_LOCK_FILE = 'mongod.lock.sock';
/** The pid lock file of earlier versions; removed when found, never trusted. */
export const LOCK_FILE = 'freshlink-mongo.lock';

export interface DirLock {
  release(): void;
}

/** Locks released in this process whose listener is still closing, by lock address. */
const closing = new Map<string, Promise<void>>();

function lockAddress(dir: string): string {
  if (process.platform === 'linux') {
    const { dev, ino } = statSync(dir, { bigint: true });
    return `\0freshlink-mongo-lock-${dev}-${ino}`;
  }
  return join(dir, FALLBACK_LOCK_FILE);
}

function listen(address: string): Promise<net.Server | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.end(`${process.pid}\n`);
    });
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(address, () => {
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      server.unref();
      resolve(server);
    });
  });
}

/** Connects to a Unix socket: the first line it sends (a pid) when someone answers, undefined when nobody does. */
export function probeSocket(path: string, timeoutMs = 1000): Promise<{ alive: boolean; pid?: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(path);
    let text = '';
    let connected = false;
    const done = (alive: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      const pid = Number(text.trim());
      resolve(Number.isInteger(pid) && pid > 0 ? { alive, pid } : { alive });
    };
    const timer = setTimeout(() => done(connected), timeoutMs);
    socket.on('connect', () => {
      connected = true;
      // The server socket speaks the wire protocol and sends nothing first: that it answered is enough.
      if (!path.startsWith('\0') && !path.endsWith(FALLBACK_LOCK_FILE)) done(true);
    });
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => done(true));
    socket.on('error', () => done(connected));
  });
}

function inUse(dir: string, pid: number | undefined): Error {
  const owner = pid === undefined ? 'another process' : `process ${pid}`;
  return new Error(
    `data directory ${dir} is in use by ${owner}: another embedded server has it open. Stop that server first, ` +
      `or connect to it through ${join(dir, SOCKET_FILE)}`,
  );
}

export async function acquireDirLock(dir: string): Promise<DirLock> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const address = lockAddress(dir);
  await closing.get(address);
  let server: net.Server | undefined;
  for (let attempt = 0; attempt < 3 && !server; attempt++) {
    const result = await listen(address);
    if (result instanceof net.Server) {
      server = result;
      break;
    }
    if (result.code !== 'EADDRINUSE') throw result;
    const owner = await probeSocket(address);
    if (owner.alive) throw inUse(dir, owner.pid);
    // Only the socket-file fallback can be stale (its owner died and left the file behind); an
    // abstract name that nobody answers on was just released: try again.
    if (!address.startsWith('\0')) rmSync(address, { force: true });
  }
  if (!server) throw new Error(`could not lock data directory ${dir}`);
  const held = server;
  const release = (): void => {
    const done = new Promise<void>((resolve) => held.close(() => resolve()));
    closing.set(address, done);
    void done.then(() => {
      if (closing.get(address) === done) closing.delete(address);
    });
  };
  const peer = await probeSocket(join(dir, SOCKET_FILE));
  if (peer.alive) {
    release();
    throw inUse(dir, undefined);
  }
  rmSync(join(dir, LOCK_FILE), { force: true });
  return { release };
}
