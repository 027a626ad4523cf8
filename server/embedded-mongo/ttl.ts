import type { ServerState } from './commands/context';
import { toNumber, typeClass, type Value } from './engine/bson-values';
import { valuesAtPath } from './engine/path';
import type { StorageOp } from './storage/types';

/**
 * TTL monitor: every interval, deletes documents whose TTL-indexed date (the earliest one,
 * for arrays) is older than expireAfterSeconds. Deletions are committed to storage like any
 * other write; sweeps never overlap.
 */
export interface TtlMonitor { stop(): Promise<void> }

function earliestDate(values: Value[]): number | undefined {
  let best: number | undefined;
  for (const v of values) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeClass(x) === 'date') {
        const t = (x as Date).getTime();
        if (best === undefined || t < best) best = t;
      }
    }
  }
  return best;
}

export function sweepExpired(state: ServerState): StorageOp[] {
  const now = state.now().getTime();
  const ops: StorageOp[] = [];
  for (const coll of state.catalog.all()) {
    for (const index of coll.indexes.values()) {
      const ttl = index.spec.expireAfterSeconds;
      if (ttl === undefined || index.fields.length !== 1) continue;
      const limitMs = toNumber(ttl) * 1000;
      for (const [key, doc] of [...coll.docs]) {
        const at = earliestDate(valuesAtPath(doc, index.fields[0]));
        if (at !== undefined && at + limitMs <= now) {
          const op = coll.remove(key);
          if (op) ops.push(op);
        }
      }
    }
  }
  return ops;
}

export function startTtlMonitor(state: ServerState, intervalMs: number, log?: (line: string) => void): TtlMonitor {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (stopped) return;
      const ops = sweepExpired(state);
      if (ops.length > 0) await state.storage.commit(ops);
    }).catch((e: unknown) => log?.(`TTL sweep failed: ${e instanceof Error ? e.message : String(e)}`));
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

