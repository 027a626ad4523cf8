import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads LMDB's B+trees out of data.mdb with pread(2) instead of through the memory map.
 *
 * Why: a page read through the map stays mapped into the process (it counts in RSS) until the
 * map is dropped, and the kernel maps ~64 KB around every fault (fault-around, which ignores
 * MADV_RANDOM). Random document reads over a large store therefore either grow RSS towards the
 * file's size or, with the map budget (lmdb.ts), cost a fault and a share of a remap each.
 * A page read here is copied into a buffer of ours and leaves nothing mapped; branch pages are
 * kept in a small cache while the trees cannot change.
 *
 * The caller decides which tree root to start from and guarantees that no page reachable from
 * it is reused while a call runs (lmdb.ts: either no commit is in flight, or an LMDB read
 * transaction on that snapshot is held for the call). Every call is synchronous.
 *
 * The format (LMDB mdb.c as built into lmdb-js, 64-bit): a page starts with a 24-byte header
 * (pgno u64, txnid u64, pad u16, flags u16, lower u16, upper u16 — or, for an overflow page,
 * the page count u32 in place of lower/upper), then `lower / 2` node offsets u16 relative to the
 * header's end. A node is lo u16, hi u16, flags u16, key size u16, the key, then: on a branch
 * page nothing (the child's pgno is lo | hi << 16 | flags << 32; the first key is empty and
 * means "everything below the second"); on a leaf page the value, or with F_BIGDATA the u64
 * pgno of the overflow pages holding it (its size is lo | hi << 16). Keys compare as memcmp,
 * shorter first. A named database's record in the main tree is an MDB_db: pad u32, flags u16,
 * depth u16, branch/leaf/overflow page counts u64, entries u64, root pgno u64.
 */

const HEADER = 24;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const P_LEAF2 = 0x20;
const F_BIGDATA = 0x01;
const F_SUBDATA = 0x02;
const F_DUPDATA = 0x04;
/** MDB_db's size and the offsets of its depth and root. */
const DB_RECORD_BYTES = 48;
const NO_ROOT = 2 ** 64 - 1;

export interface TreeRoot {
  /** The root page, or undefined for an empty tree. */
  pgno: number | undefined;
  depth: number;
}

/** Reads a named database's record (the value of its name in the main tree), as `getBinary` returns it. */
export function treeRootOf(record: Buffer | undefined): TreeRoot {
  if (!record) return { pgno: undefined, depth: 0 };
  if (record.length !== DB_RECORD_BYTES) throw new Error(`unexpected LMDB database record of ${record.length} bytes`);
  const depth = record.readUInt16LE(6);
  const root = Number(record.readBigUInt64LE(40));
  return { pgno: depth === 0 || root === NO_ROOT ? undefined : root, depth };
}

function flagsOf(page: Buffer): number {
  return page.readUInt16LE(18);
}

function countOf(page: Buffer): number {
  return page.readUInt16LE(20) >> 1;
}

function nodeAt(page: Buffer, i: number): number {
  return page.readUInt16LE(HEADER + 2 * i) + HEADER;
}

function keySize(page: Buffer, node: number): number {
  return page.readUInt16LE(node + 6);
}

/**
 * Compares the key of `node` with `key`: < 0, 0, > 0 as memcmp with shorter-is-less. A loop in
 * JS: keys are short, and Buffer#compare with offsets is a native call costing more than the
 * comparison (~30 of them per lookup).
 */
function compareNode(page: Buffer, node: number, key: Buffer): number {
  const start = node + 8;
  const size = page[node + 6]! | (page[node + 7]! << 8);
  const n = size < key.length ? size : key.length;
  for (let i = 0; i < n; i++) {
    const d = page[start + i]! - key[i]!;
    if (d !== 0) return d;
  }
  return size - key.length;
}

function childOf(page: Buffer, node: number): number {
  return page.readUInt16LE(node) + page.readUInt16LE(node + 2) * 0x10000 + page.readUInt16LE(node + 4) * 0x100000000;
}

/** First index in [from, count) whose key is >= key (count if none). */
function lowerBound(page: Buffer, from: number, key: Buffer): number {
  let lo = from;
  let hi = countOf(page);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareNode(page, nodeAt(page, mid), key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The child of a branch page whose subtree holds `key` (LMDB's mdb_page_search_root). */
function branchIndex(page: Buffer, key: Buffer): number {
  const n = countOf(page);
  const i = lowerBound(page, 1, key);
  if (i >= n) return n - 1;
  return compareNode(page, nodeAt(page, i), key) === 0 ? i : i - 1;
}

class Corrupt extends Error {}

/**
 * One open data file. Not thread-safe and not reentrant: each method runs to completion.
 */
export class PageReader {
  private readonly fd: number;
  private readonly scratch: Buffer;
  private readonly branches = new Map<number, Buffer>();
  /** Whether branch pages may be kept between calls (set by the owner while the trees cannot change). */
  private caching = false;
  private closed = false;
  /** Page reads done (for tests and the profile). */
  reads = 0;

  constructor(
    path: string,
    private readonly pageSize: number,
    private readonly maxCachedBranches: number,
  ) {
    this.fd = openSync(path, 'r');
    this.scratch = Buffer.allocUnsafeSlow(pageSize);
  }

  /** Allows or forbids keeping branch pages; forbidding forgets every page kept so far. */
  setCaching(on: boolean): void {
    if (!on) this.branches.clear();
    this.caching = on;
  }

  cachedBranches(): number {
    return this.branches.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.branches.clear();
    closeSync(this.fd);
  }

  private readInto(buffer: Buffer, pgno: number): Buffer {
    const bytes = buffer.length;
    let done = 0;
    while (done < bytes) {
      const n = readSync(this.fd, buffer, done, bytes - done, pgno * this.pageSize + done);
      if (n === 0) throw new Corrupt(`data file ends inside page ${pgno}`);
      done += n;
    }
    this.reads++;
    if (buffer.readUInt32LE(0) + buffer.readUInt32LE(4) * 0x100000000 !== pgno)
      throw new Corrupt(`page ${pgno} does not carry its number`);
    return buffer;
  }

  /** A branch page (cached while allowed) or a leaf read into the scratch buffer. */
  private page(pgno: number, level: number, depth: number): Buffer {
    if (level < depth - 1) {
      const known = this.branches.get(pgno);
      if (known) return known;
      const page = this.readInto(Buffer.allocUnsafeSlow(this.pageSize), pgno);
      if (!(flagsOf(page) & P_BRANCH)) throw new Corrupt(`page ${pgno} should be a branch page`);
      if (this.caching) {
        if (this.branches.size >= this.maxCachedBranches) {
          const oldest = this.branches.keys().next().value;
          if (oldest !== undefined) this.branches.delete(oldest);
        }
        this.branches.set(pgno, page);
      }
      return page;
    }
    const page = this.readInto(this.scratch, pgno);
    const flags = flagsOf(page);
    if (!(flags & P_LEAF) || flags & P_LEAF2) throw new Corrupt(`page ${pgno} should be a plain leaf page`);
    return page;
  }

  /** The leaf page that holds `key` if the tree has it. */
  private leafFor(root: TreeRoot, key: Buffer): Buffer | undefined {
    if (root.pgno === undefined) return undefined;
    let pgno = root.pgno;
    for (let level = 0; level < root.depth - 1; level++) {
      const page = this.page(pgno, level, root.depth);
      pgno = childOf(page, nodeAt(page, branchIndex(page, key)));
    }
    return this.page(pgno, root.depth - 1, root.depth);
  }

  /** The value stored under `key` (a copy), or undefined. */
  get(root: TreeRoot, key: Buffer): Buffer | undefined {
    const leaf = this.leafFor(root, key);
    if (!leaf) return undefined;
    const i = lowerBound(leaf, 0, key);
    if (i >= countOf(leaf)) return undefined;
    const node = nodeAt(leaf, i);
    if (compareNode(leaf, node, key) !== 0) return undefined;
    return this.value(leaf, node);
  }

  private value(leaf: Buffer, node: number): Buffer {
    const flags = leaf.readUInt16LE(node + 4);
    if (flags & (F_SUBDATA | F_DUPDATA))
      throw new Corrupt('sorted-duplicate and sub-database values are not read here');
    const size = leaf.readUInt16LE(node) + leaf.readUInt16LE(node + 2) * 0x10000;
    const data = node + 8 + keySize(leaf, node);
    if (!(flags & F_BIGDATA)) {
      if (data + size > leaf.length) throw new Corrupt('leaf value runs past its page');
      return Buffer.from(leaf.subarray(data, data + size));
    }
    const first = Number(leaf.readBigUInt64LE(data));
    const pages = Math.ceil((HEADER + size) / this.pageSize);
    const overflow = this.readInto(Buffer.allocUnsafeSlow(pages * this.pageSize), first);
    if (!(flagsOf(overflow) & P_OVERFLOW)) throw new Corrupt(`page ${first} should be an overflow page`);
    return overflow.subarray(HEADER, HEADER + size);
  }

  /**
   * Up to `limit` keys in [start, end) in order (or in reverse from just below `end`),
   * appended to `keys` (and their values to `values` when given); returns whether the range
   * may hold more after the last one.
   */
  range(
    root: TreeRoot,
    start: Buffer,
    end: Buffer,
    reverse: boolean,
    limit: number,
    keys: Buffer[],
    values?: Buffer[],
  ): boolean {
    if (root.pgno === undefined || limit <= 0) return false;
    // The path from the root to the current leaf: each level's page and position.
    const pages: Buffer[] = [];
    const at: number[] = [];
    const target = reverse ? end : start;
    let pgno = root.pgno;
    for (let level = 0; level < root.depth; level++) {
      const page = this.page(pgno, level, root.depth);
      // Leaves share the scratch buffer: the path keeps a copy of the current one.
      pages.push(level < root.depth - 1 ? page : Buffer.from(page));
      if (level < root.depth - 1) {
        const i = branchIndex(page, target);
        at.push(i);
        pgno = childOf(page, nodeAt(page, i));
      } else {
        at.push(lowerBound(page, 0, target));
      }
    }
    const leafLevel = root.depth - 1;
    const step = (): boolean => {
      // Moves to the next (or previous) position across leaves; false at the tree's end.
      if (!reverse) {
        at[leafLevel]++;
        if (at[leafLevel] < countOf(pages[leafLevel])) return true;
      } else {
        at[leafLevel]--;
        if (at[leafLevel] >= 0) return true;
      }
      let level = leafLevel - 1;
      while (level >= 0) {
        const next = at[level] + (reverse ? -1 : 1);
        if (next >= 0 && next < countOf(pages[level])) {
          at[level] = next;
          break;
        }
        level--;
      }
      if (level < 0) return false;
      for (let l = level; l < leafLevel; l++) {
        const child = childOf(pages[l], nodeAt(pages[l], at[l]));
        const page = this.page(child, l + 1, root.depth);
        pages[l + 1] = l + 1 < leafLevel ? page : Buffer.from(page);
        at[l + 1] = reverse ? countOf(pages[l + 1]) - 1 : 0;
      }
      return true;
    };
    // Position on the first key inside the range.
    if (!reverse) {
      if (at[leafLevel] >= countOf(pages[leafLevel]) && !step()) return false;
    } else if (!step()) return false; // lowerBound found the first key >= end: one before it
    let taken = 0;
    for (;;) {
      const leaf = pages[leafLevel];
      const node = nodeAt(leaf, at[leafLevel]);
      if (reverse ? compareNode(leaf, node, start) < 0 : compareNode(leaf, node, end) >= 0) return false;
      if (taken === limit) return true;
      const k = node + 8;
      keys.push(Buffer.from(leaf.subarray(k, k + keySize(leaf, node))));
      if (values) values.push(this.value(leaf, node));
      taken++;
      if (!step()) return false;
    }
  }
}

export function isCorrupt(error: unknown): boolean {
  return error instanceof Corrupt;
}
