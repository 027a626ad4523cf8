import { calculateObjectSize, Long } from 'bson';
import type { Doc } from './engine/bson-values';
import { storedCache } from './engine/stored';
import { documentBytes } from './protocol/bson-codec';

/**
 * Open cursors: the remaining results of a find/aggregate/listX, handed out in batches by
 * getMore. Aggregation and list results are held as documents (stored documents are immutable,
 * so holding references is safe); a find holds its first batch as documents and the rest as
 * a tail read when getMore reaches it: keys of matches already found (a sorted result), or — for a
 * result in stored order — the place to resume the scan, so a large result holds neither documents nor keys.
 * Idle cursors expire like mongod's (10 min).
 */
export interface CursorTail {
  /**
   * Up to `count` more documents as the query would return them now (gone or no longer matching ones
   * left out), stopping before the first one `fits` refuses (the batch's byte cap); it is read again next time.
   */
  read(count: number, fits: (doc: Doc) => boolean): Doc[];
  /** True once nothing is left to read. */
  readonly done: boolean;
}

/** A tail of matches already found, held as keys and read again when reached. */
export class KeysTail implements CursorTail {
  private position = 0;

  constructor(
    private readonly keys: readonly string[],
    /** The document under a key as the query would return it now; undefined if gone or no longer matching. */
    private readonly load: (key: string) => Doc | undefined,
  ) {}

  get done(): boolean {
    return this.position >= this.keys.length;
  }

  read(count: number, fits: (doc: Doc) => boolean): Doc[] {
    const out: Doc[] = [];
    while (out.length < count && this.position < this.keys.length) {
      const doc = this.load(this.keys[this.position]);
      if (doc !== undefined && !fits(doc)) break;
      this.position++;
      if (doc !== undefined) out.push(doc);
    }
    return out;
  }
}

export interface OpenCursor {
  id: bigint;
  ns: string;
  docs: Doc[];
  position: number;
  tail?: CursorTail;
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
    this.open.set(id, { id, ns, docs, position: batch.length, tail, batchSize, lastUsed: Date.now() });
    return { id: Long.fromBigInt(id), batch };
  }

  get(id: bigint): OpenCursor | undefined {
    return this.open.get(id);
  }

  /** The next batch; the cursor closes itself once drained. */
  nextBatch(cursor: OpenCursor, batchSize: number | undefined): { id: Long; batch: Doc[] } {
    const tail = cursor.tail;
    const size = batchSize && batchSize > 0 ? batchSize : Infinity;
    const batch = capBytes(cursor.docs, cursor.position, size);
    cursor.position += batch.length;
    if (tail && cursor.position >= cursor.docs.length) this.readTail(tail, batch, size);
    cursor.lastUsed = Date.now();
    const drained = cursor.position >= cursor.docs.length && (!tail || tail.done);
    if (drained) {
      this.open.delete(cursor.id);
      return { id: Long.ZERO, batch };
    }
    return { id: Long.fromBigInt(cursor.id), batch };
  }

  /** Fills `batch` up to `size` documents (and the byte cap) from the cursor's tail. */
  private readTail(tail: CursorTail, batch: Doc[], size: number): void {
    let bytes = 0;
    for (const doc of batch) bytes += documentSize(doc);
    let count = batch.length;
    const fits = (doc: Doc): boolean => {
      const next = documentSize(doc);
      if (bytes + next > MAX_BATCH_BYTES && count > 0) return false;
      bytes += next;
      count++;
      return true;
    };
    for (const doc of tail.read(size - batch.length, fits)) batch.push(doc);
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
