import type { ServerState } from './commands/context';
import { toNumber } from './engine/bson-values';
import type { StorageOp } from './storage/types';

/**
 * TTL monitor: every interval, deletes documents whose TTL-indexed date (the earliest one,
 * for arrays) is older than expireAfterSeconds. Deletions are committed to storage like any
 * other write; sweeps never overlap.
 */
export interface TtlMonitor {
  stop(): Promise<void>;
}

/**
 * Uses the TTL index itself: entries are sorted, so the expired ones are the dates up to the
 * cutoff. A document with an array of dates has an entry per date, so it is found through
 * its earliest one, which is mongod's rule. Only documents in the index (partial/sparse) expire.
 */
export function sweepExpired(state: ServerState): StorageOp[] {
  const now = state.now().getTime();
  const ops: StorageOp[] = [];
  for (const coll of state.catalog.all()) {
    for (const index of [...coll.indexes.values()]) {
      const ttl = index.spec.expireAfterSeconds;
      if (ttl === undefined || index.fields.length !== 1) continue;
      const cutoff = new Date(now - toNumber(ttl) * 1000);
      for (const key of new Set(index.idsInRange(undefined, { v: cutoff, inclusive: true }))) {
        const op = coll.remove(key);
        if (op) ops.push(op);
      }
    }
  }
  return ops;
}

export function startTtlMonitor(state: ServerState, intervalMs: number, log?: (line: string) => void): TtlMonitor {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running
      .then(async () => {
        if (stopped) return;
        const ops = sweepExpired(state);
        if (ops.length > 0) await state.storage.commit(ops);
      })
      .catch((e: unknown) => log?.(`TTL sweep failed: ${e instanceof Error ? e.message : String(e)}`));
  }, intervalMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
