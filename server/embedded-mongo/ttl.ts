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

/** At most this many deletions per sweep, so one sweep's ops stay small; the next sweep goes on. */
const TTL_SWEEP_LIMIT = 10_000;

/**
 * Uses the TTL index itself: its entries are a B+tree range in date order, so the expired
 * ones are the dates up to the cutoff. A document with an array of dates has an entry per
 * date, so it is found through its earliest one, which is mongod's rule. Only documents in
 * the index (partial/sparse) expire.
 */
export function sweepExpired(state: ServerState, limit = TTL_SWEEP_LIMIT): StorageOp[] {
  const now = state.now().getTime();
  const ops: StorageOp[] = [];
  for (const coll of state.catalog.all()) {
    for (const index of [...coll.indexes.values()]) {
      const ttl = index.spec.expireAfterSeconds;
      if (ttl === undefined || index.fields.length !== 1 || index.special) continue;
      const cutoff = new Date(now - toNumber(ttl) * 1000);
      const expired = new Set<string>();
      for (const key of index.walk(index.rangeBodies(undefined, { v: cutoff, inclusive: true }))) {
        if (ops.length + expired.size >= limit) break;
        expired.add(key);
      }
      for (const key of expired) {
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
        if (stopped || state.storageFailure !== undefined) return;
        const ops = sweepExpired(state);
        if (ops.length === 0) return;
        try {
          await state.storage.commit(ops);
        } catch (e) {
          // Memory is ahead of disk now: stop serving, as a failed command commit does.
          state.storageFailure = e instanceof Error ? e.message : String(e);
          throw e;
        }
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
