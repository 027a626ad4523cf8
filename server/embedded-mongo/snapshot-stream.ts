import { Binary, serialize, type Document } from 'bson';
import { toNumber, typeClass, type Doc, type Value } from './engine/bson-values';
import { MongoServerError } from './engine/errors';
import type { Storage, StorageSnapshot } from './storage/types';

/**
 * Online backups over the wire: `freshlinkSnapshot` opens one storage snapshot (a single LMDB read
 * transaction, so every collection is seen at the same instant) and answers its id; each
 * `{ freshlinkSnapshotNext: id }` hands out the next records as raw BSON, type-exact: `{ c: <collection
 * meta> }` starts a collection, `{ d: <document> }` is one of its documents. The snapshot ends when
 * drained, on `{ freshlinkSnapshotClose: id }`, when the connection that opened it closes, or after
 * ten idle minutes (like a cursor). Ids, not connections, name snapshots: a driver may send the next
 * command on another pooled connection.
 */
const BATCH_BYTES = 8 * 1024 * 1024;
/** Each open snapshot pins old pages in the data file; a handful is plenty for backups. */
const MAX_OPEN = 4;
const IDLE_MS = 10 * 60 * 1000;

interface OpenSnapshot {
  snapshot: StorageSnapshot;
  connectionId: number;
  lastUsed: number;
  records: Iterator<Doc>;
  /** A record read but not sent because the batch was full. */
  carry?: Doc;
}

function encode(doc: Document): Binary {
  return new Binary(serialize(doc, { checkKeys: false, ignoreUndefined: true }));
}

function* recordsOf(snapshot: StorageSnapshot): Iterator<Doc> {
  for (const collection of snapshot.collections()) {
    const { db, name, options, indexes } = collection.meta;
    yield { c: encode({ db, name, options, indexes }) };
    for (const doc of collection.documents()) yield { d: encode(doc) };
  }
}

/** The id as the driver sent it back (an Int32 or a double on the wire). */
function snapshotId(id: unknown): number | undefined {
  return typeClass(id as Value) === 'number' ? toNumber(id as Value) : undefined;
}

export class SnapshotStreams {
  private readonly open = new Map<number, OpenSnapshot>();
  private nextId = 1;

  constructor(private readonly storage: Storage) {}

  start(connectionId: number): Doc {
    this.sweep();
    if (this.open.size >= MAX_OPEN) {
      throw new MongoServerError(2, `too many backups running at once (at most ${MAX_OPEN})`);
    }
    const snapshot = this.storage.snapshot();
    const id = this.nextId++;
    this.open.set(id, { snapshot, connectionId, lastUsed: Date.now(), records: recordsOf(snapshot) });
    return { id, ok: 1 };
  }

  next(id: unknown): Doc {
    const key = snapshotId(id);
    const current = key === undefined ? undefined : this.open.get(key);
    if (key === undefined || !current) {
      throw new MongoServerError(2, `no open snapshot ${String(id)}: run freshlinkSnapshot first`);
    }
    current.lastUsed = Date.now();
    const records: Doc[] = [];
    let bytes = 0;
    for (;;) {
      let record = current.carry;
      current.carry = undefined;
      if (!record) {
        const step = current.records.next();
        if (step.done) {
          this.end(key);
          return { records, done: true, ok: 1 };
        }
        record = step.value;
      }
      const size = ((record.c ?? record.d) as Binary).length() + 16;
      if (bytes + size > BATCH_BYTES && records.length > 0) {
        current.carry = record;
        return { records, done: false, ok: 1 };
      }
      records.push(record);
      bytes += size;
    }
  }

  end(id: unknown): void {
    const key = snapshotId(id);
    const current = key === undefined ? undefined : this.open.get(key);
    if (key === undefined || !current) return;
    this.open.delete(key);
    current.snapshot.close();
  }

  /** The connection closed: its snapshots go with it. */
  endConnection(connectionId: number): void {
    for (const [id, s] of [...this.open]) if (s.connectionId === connectionId) this.end(id);
  }

  endAll(): void {
    for (const id of [...this.open.keys()]) this.end(id);
  }

  private sweep(): void {
    const cutoff = Date.now() - IDLE_MS;
    for (const [id, s] of [...this.open]) if (s.lastUsed < cutoff) this.end(id);
  }
}
