import { calculateObjectSize, Long } from 'bson';
import type { Doc } from './engine/bson-values';
import { storedCache } from './engine/stored';
import { documentBytes } from './protocol/bson-codec';

/**
 * Open cursors: the remaining result documents of a find/aggregate/listX, handed out in
 * batches by getMore. Results are materialised when the query runs (stored documents are
 * immutable, so holding references is safe). Idle cursors expire like mongod's (10 min).
 */
export interface OpenCursor {
  id: bigint;
  ns: string;
  docs: Doc[];
  position: number;
  batchSize?: number;
  lastUsed: number;
}

const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
/** A batch must fit in one reply under the 16 MB BSON limit, as mongod's do. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

function capBytes(docs: Doc[], from: number, count: number): Doc[] {
  const out: Doc[] = [];
  let bytes = 0;
  for (let i = from; i < docs.length && out.length < count; i++) {
    // A stored document's bytes are cached and reused by the reply encoder.
    bytes += (storedCache(docs[i]) ? documentBytes(docs[i]).length : calculateObjectSize(docs[i])) + 16;
    if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
    out.push(docs[i]);
  }
  return out;
}

export class CursorRegistry {
  private readonly open = new Map<bigint, OpenCursor>();
  private nextId = BigInt(Date.now()) * 1000n;

  /** Returns the first batch and the cursor id (0 when everything fit in the first batch). */
  firstBatch(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): { id: Long; batch: Doc[] } {
    const batch = capBytes(docs, 0, batchSize ?? 101);
    if (singleBatch || batch.length === docs.length) return { id: Long.ZERO, batch };
    this.sweep();
    this.nextId += BigInt(1 + Math.floor(Math.random() * 1000));
    const id = this.nextId;
    this.open.set(id, { id, ns, docs, position: batch.length, batchSize, lastUsed: Date.now() });
    return { id: Long.fromBigInt(id), batch };
  }

  get(id: bigint): OpenCursor | undefined {
    return this.open.get(id);
  }

  /** The next batch; the cursor closes itself once drained. */
  nextBatch(cursor: OpenCursor, batchSize: number | undefined): { id: Long; batch: Doc[] } {
    const size = batchSize && batchSize > 0 ? batchSize : cursor.docs.length;
    const batch = capBytes(cursor.docs, cursor.position, size);
    cursor.position += batch.length;
    cursor.lastUsed = Date.now();
    if (cursor.position >= cursor.docs.length) {
      this.open.delete(cursor.id);
      return { id: Long.ZERO, batch };
    }
    return { id: Long.fromBigInt(cursor.id), batch };
  }

  kill(id: bigint): boolean {
    return this.open.delete(id);
  }

  killNamespace(ns: string): void {
    for (const [id, c] of this.open) if (c.ns === ns || c.ns.startsWith(`${ns}.`)) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }

  private sweep(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, c] of this.open) if (c.lastUsed < cutoff) this.open.delete(id);
  }
}
