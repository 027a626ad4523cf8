import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One server per data directory, like mongod.lock. LMDB itself would let two processes share
 * the files, but each embedded server keeps its own copy of the data in memory and would
 * overwrite the other's writes. The lock file holds the owner's pid; a lock whose process is
 * gone (kill -9, crash) is taken over.
 */
export const LOCK_FILE = 'freshlink-mongo.lock';

export interface DirLock {
  release(): void;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function acquireDirLock(dir: string): DirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  // The pid is written to a private file first and hard-linked into place, so the lock file
  // never exists without its owner's pid in it.
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(draft, path);
        return {
          release() {
            if (readOwner(path) === process.pid) unlinkSync(path);
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(path);
        if (owner !== undefined && processIsAlive(owner)) {
          throw new Error(`data directory ${dir} is in use by process ${owner} (${path}); stop that server first`, {
            cause: error,
          });
        }
        // Stale: its owner died without releasing it.
        try {
          unlinkSync(path);
        } catch (unlinkError) {
          if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
        }
      }
    }
  } finally {
    unlinkSync(draft);
  }
  throw new Error(`could not lock data directory ${dir} (${path})`);
}
