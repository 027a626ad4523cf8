import type { Doc } from './bson-values';

/**
 * The only engine memory that grows with use: recently read documents, decoded, least recently
 * used first out. Its budget is in bytes of stored BSON times an allowance for the decoded
 * objects (and the BSON kept beside them for replies), so the limit tracks real memory roughly.
 */
const DECODED_OVERHEAD = 3;

const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export class DocumentCache {
  private readonly entries = new Map<string, { doc: Doc; cost: number }>();
  private total = 0;

  constructor(readonly limitBytes: number = DEFAULT_CACHE_BYTES) {}

  get(id: string): Doc | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.doc;
  }

  /** Like get, without making the entry recent (for whole-collection scans). */
  peek(id: string): Doc | undefined {
    return this.entries.get(id)?.doc;
  }

  set(id: string, doc: Doc, bsonBytes: number): void {
    const cost = bsonBytes * DECODED_OVERHEAD;
    if (cost > this.limitBytes) return;
    this.delete(id);
    this.entries.set(id, { doc, cost });
    this.total += cost;
    while (this.total > this.limitBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.total -= entry.cost;
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }
}
