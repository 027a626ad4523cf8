import { calculateObjectSize, Long } from 'bson';
import type { Doc } from './engine/bson-values';
import { storedCache } from './engine/stored';
import { documentBytes } from './protocol/bson-codec';

/**
 * Open cursors: the remaining results of a find/aggregate/listX, handed out in batches by
 * getMore. Aggregation and list results are held as documents (stored documents are immutable,
 * so holding references is safe); a find holds its first batch as documents and the rest as
 * keys (`tail`), read when getMore reaches them — so a large result holds keys, not documents.
 * Idle cursors expire like mongod's (10 min).
 */
export interface CursorTail {
  keys: string[];
  /** The document under a key as the query would return it now; undefined if gone or no longer matching. */
  load(key: string): Doc | undefined;
}

export interface OpenCursor {
  id: bigint;
  ns: string;
  docs: Doc[];
  position: number;
  tail?: CursorTail;
  /** How far into `tail.keys` (after `docs` are handed out). */
  tailPosition: number;
  batchSize?: number;
  lastUsed: number;
}

/** mongod's default first batch: 101 documents. */
export const FIRST_BATCH = 101;

const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
/** A batch must fit in one reply under the 16 MB BSON limit, as mongod's do. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

/** A document's size in a reply; a stored document's bytes are cached and reused by the reply encoder. */
function documentSize(doc: Doc): number {
  return (storedCache(doc) ? documentBytes(doc).length : calculateObjectSize(doc)) + 16;
}

function capBytes(docs: Doc[], from: number, count: number): Doc[] {
  const out: Doc[] = [];
  let bytes = 0;
  for (let i = from; i < docs.length && out.length < count; i++) {
    bytes += documentSize(docs[i]);
    if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
    out.push(docs[i]);
  }
  return out;
}

export class CursorRegistry {
  private readonly open = new Map<bigint, OpenCursor>();
  private nextId = BigInt(Date.now()) * 1000n;

  /** Returns the first batch and the cursor id (0 when everything fit in the first batch). */
  firstBatch(
    ns: string,
    docs: Doc[],
    batchSize: number | undefined,
    singleBatch = false,
    tail?: CursorTail,
  ): { id: Long; batch: Doc[] } {
    const batch = capBytes(docs, 0, batchSize ?? FIRST_BATCH);
    if (singleBatch || (batch.length === docs.length && !tail)) return { id: Long.ZERO, batch };
    this.sweep();
    this.nextId += BigInt(1 + Math.floor(Math.random() * 1000));
    const id = this.nextId;
    this.open.set(id, { id, ns, docs, position: batch.length, tail, tailPosition: 0, batchSize, lastUsed: Date.now() });
    return { id: Long.fromBigInt(id), batch };
  }

  get(id: bigint): OpenCursor | undefined {
    return this.open.get(id);
  }

  /** The next batch; the cursor closes itself once drained. */
  nextBatch(cursor: OpenCursor, batchSize: number | undefined): { id: Long; batch: Doc[] } {
    const tail = cursor.tail;
    const size = batchSize && batchSize > 0 ? batchSize : cursor.docs.length + (tail?.keys.length ?? 0);
    const batch = capBytes(cursor.docs, cursor.position, size);
    cursor.position += batch.length;
    if (tail && cursor.position >= cursor.docs.length) this.readTail(cursor, tail, batch, size);
    cursor.lastUsed = Date.now();
    const drained = cursor.position >= cursor.docs.length && (!tail || cursor.tailPosition >= tail.keys.length);
    if (drained) {
      this.open.delete(cursor.id);
      return { id: Long.ZERO, batch };
    }
    return { id: Long.fromBigInt(cursor.id), batch };
  }

  /** Fills `batch` up to `size` documents (and the byte cap) from the cursor's keys. */
  private readTail(cursor: OpenCursor, tail: CursorTail, batch: Doc[], size: number): void {
    let bytes = 0;
    for (const doc of batch) bytes += documentSize(doc);
    while (batch.length < size && cursor.tailPosition < tail.keys.length) {
      const doc = tail.load(tail.keys[cursor.tailPosition]);
      if (doc === undefined) {
        cursor.tailPosition++;
        continue;
      }
      const next = documentSize(doc);
      if (bytes + next > MAX_BATCH_BYTES && batch.length > 0) break;
      cursor.tailPosition++;
      bytes += next;
      batch.push(doc);
    }
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
