import { Binary, serialize, type Document } from 'bson';
import type { Doc } from './engine/bson-values';
import { MongoServerError } from './engine/errors';
import type { Storage, StorageSnapshot } from './storage/types';

/**
 * Online backups over the wire: `freshlinkSnapshot` opens one storage snapshot (a single LMDB read
 * transaction, so every collection is seen at the same instant) for the connection, and each
 * `freshlinkSnapshotNext` hands out the next records as raw BSON, type-exact: `{ c: <collection
 * meta> }` starts a collection, `{ d: <document> }` is one of its documents. The snapshot ends when
 * drained, on `freshlinkSnapshotClose`, or when the connection closes.
 */
const BATCH_BYTES = 8 * 1024 * 1024;
/** Each open snapshot pins old pages in the data file; a handful is plenty for backups. */
const MAX_OPEN = 4;

interface OpenSnapshot {
  snapshot: StorageSnapshot;
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

export class SnapshotStreams {
  private readonly open = new Map<number, OpenSnapshot>();

  constructor(private readonly storage: Storage) {}

  start(connectionId: number): Doc {
    this.end(connectionId);
    if (this.open.size >= MAX_OPEN) {
      throw new MongoServerError(2, `too many backups running at once (at most ${MAX_OPEN})`);
    }
    const snapshot = this.storage.snapshot();
    this.open.set(connectionId, { snapshot, records: recordsOf(snapshot) });
    return { ok: 1 };
  }

  next(connectionId: number): Doc {
    const current = this.open.get(connectionId);
    if (!current) throw new MongoServerError(2, 'no snapshot is open on this connection: run freshlinkSnapshot first');
    const records: Doc[] = [];
    let bytes = 0;
    for (;;) {
      let record = current.carry;
      current.carry = undefined;
      if (!record) {
        const step = current.records.next();
        if (step.done) {
          this.end(connectionId);
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

  end(connectionId: number): void {
    const current = this.open.get(connectionId);
    if (!current) return;
    this.open.delete(connectionId);
    current.snapshot.close();
  }

  endAll(): void {
    for (const id of [...this.open.keys()]) this.end(id);
  }
}
