import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Document } from 'bson';
import { deserialize } from 'bson';
import { open } from 'lmdb';
import { mulberry32 } from '../../bench/lib/generate';
import { openStorage } from '../../server/embedded-mongo/storage/lmdb';
import { isCorrupt, PageReader, treeRootOf } from '../../server/embedded-mongo/storage/page-reader';
import type { StorageOp } from '../../server/embedded-mongo/storage/types';

/**
 * The page reader reads LMDB's trees with pread. It must answer exactly what lmdb-js answers
 * for the same snapshot: the same value for a key, the same keys in a range, both directions,
 * across leaves and levels, with values inline and on overflow pages; and, in the storage, never
 * a page that a commit running at the same time reused.
 */

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'page-reader-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function randomKey(next: () => number): Buffer {
  // Short and long keys, shared prefixes and bytes 0x00/0xff, so that the memcmp order matters.
  const length = next() < 0.2 ? 1 + Math.floor(next() * 3) : 4 + Math.floor(next() * (next() < 0.1 ? 400 : 40));
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    const r = next();
    out[i] = r < 0.3 ? 0x61 : r < 0.4 ? 0x00 : r < 0.5 ? 0xff : Math.floor(next() * 256);
  }
  return out;
}

function randomValue(next: () => number): Buffer {
  const r = next();
  // Empty, small, near the page size and several pages (overflow pages).
  const length =
    r < 0.05
      ? 0
      : r < 0.8
        ? Math.floor(next() * 300)
        : r < 0.93
          ? 1500 + Math.floor(next() * 3000)
          : 5000 + Math.floor(next() * 30_000);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + length) & 0xff;
  return out;
}

describe('the page reader against lmdb-js', () => {
  const dir = tempDir();
  const env = open({ path: dir, maxDbs: 4 });
  const db = env.openDB<Buffer, Buffer>('t', { keyEncoding: 'binary', encoding: 'binary' });
  const next = mulberry32(20261203); // seeded, so a failure can be replayed
  const keys: Buffer[] = [];
  let reader: PageReader;

  beforeAll(async () => {
    // 6,000 keys in batches, then a third deleted and some rewritten: a tree of depth 3+ with
    // pages split, merged and reused.
    for (let batch = 0; batch < 6; batch++) {
      await env.transaction(() => {
        for (let i = 0; i < 1000; i++) {
          const key = randomKey(next);
          keys.push(key);
          db.putSync(key, randomValue(next));
        }
      });
    }
    await env.transaction(() => {
      for (let i = 0; i < keys.length; i += 3) db.removeSync(keys[i]!);
      for (let i = 1; i < keys.length; i += 7) db.putSync(keys[i]!, randomValue(next));
    });
    reader = new PageReader(join(dir, 'data.mdb'), 4096, 64);
    reader.setCaching(true);
  });
  afterAll(async () => {
    reader.close();
    await env.close();
  });

  const root = () => treeRootOf(env.getBinary(Buffer.from('t\0')));

  it('when asked for every key (present, deleted or never stored), then it answers what lmdb-js answers', () => {
    expect(root().depth).toBeGreaterThanOrEqual(3);
    const probes = [
      ...keys,
      ...Array.from({ length: 500 }, () => randomKey(next)),
      Buffer.alloc(0),
      Buffer.from([0xff, 0xff]),
    ];
    let found = 0;
    for (const key of probes) {
      if (key.length === 0) continue; // LMDB keys are never empty
      const expected = db.getBinary(key);
      const actual = reader.get(root(), key);
      if (expected === undefined) expect(actual).toBeUndefined();
      else {
        found++;
        expect(actual?.equals(expected)).toBe(true);
      }
    }
    expect(found).toBeGreaterThan(3000);
  });

  it('when asked for ranges in both directions, in slices, then the keys and values are lmdb-js’s', () => {
    const sorted = [...new Set(keys.map((k) => k.toString('hex')))]
      .map((h) => Buffer.from(h, 'hex'))
      .sort(Buffer.compare);
    for (let round = 0; round < 150; round++) {
      let a = round % 10 === 0 ? Buffer.from([0x00]) : randomKey(next);
      let b = round % 10 === 1 ? Buffer.from([0xff, 0xff, 0xff]) : randomKey(next);
      if (Buffer.compare(a, b) > 0) [a, b] = [b, a];
      if (round % 5 === 2) a = sorted[Math.floor(next() * sorted.length)]!; // bounds on stored keys
      if (round % 5 === 3) b = sorted[Math.floor(next() * sorted.length)]!;
      const reverse = round % 2 === 1;
      const expected = [...db.getRange({ start: a, end: b })];
      if (reverse) expected.reverse();
      const seenKeys: Buffer[] = [];
      const seenValues: Buffer[] = [];
      const limit = 1 + Math.floor(next() * 200);
      let from = a;
      let to = b;
      for (;;) {
        const k: Buffer[] = [];
        const v: Buffer[] = [];
        const more = reader.range(root(), from, to, reverse, limit, k, v);
        seenKeys.push(...k);
        seenValues.push(...v);
        if (!more) break;
        expect(k.length).toBe(limit);
        if (reverse) to = k[k.length - 1]!;
        else from = Buffer.concat([k[k.length - 1]!, Buffer.from([0])]);
      }
      expect(seenKeys.map((k) => k.toString('hex'))).toEqual(expected.map((e) => e.key.toString('hex')));
      expect(seenValues.every((v, i) => v.equals(expected[i]!.value))).toBe(true);
    }
  });

  it('when the caller gives it a page that is not a tree page, then it says the file is not what it expects', () => {
    const bogus = { pgno: 0, depth: 2 }; // page 0 is a meta page
    let error: unknown;
    try {
      reader.get(bogus, Buffer.from('a'));
    } catch (e) {
      error = e;
    }
    expect(isCorrupt(error)).toBe(true);
  });
});

describe('the storage reading with pread while commits land', () => {
  it('when documents are rewritten and deleted as fast as they are read, then every read is a whole, current-or-earlier version of the key asked for', async () => {
    const storage = await openStorage(tempDir(), { mapBudgetBytes: 0 });
    const N = 400;
    const key = (i: number): string => `d${String(i).padStart(5, '0')}`;
    // Each version carries its key and a fill derived from its version: a page read after a
    // commit reused it would show another key, a torn or foreign document, or fail to decode.
    const version = (i: number, v: number): StorageOp => ({
      op: 'put',
      db: 'p',
      coll: 'c',
      key: key(i),
      doc: {
        _id: i,
        k: key(i),
        v,
        fill: String.fromCharCode(97 + (v % 26)).repeat(20 + ((i * 7 + v * 13) % 900)),
      } as Document,
    });
    let stop = false;
    let writer: Promise<void> | undefined;
    try {
      await storage.commit(Array.from({ length: N }, (_, i) => version(i, 0)));
      const latest = new Array<number>(N).fill(0);
      let commits = 0;
      writer = (async () => {
        for (let v = 1; !stop; v++) {
          const ops: StorageOp[] = [];
          for (let j = 0; j < 40; j++) {
            const i = (v * 37 + j * 11) % N;
            if ((v + j) % 9 === 0) ops.push({ op: 'delete', db: 'p', coll: 'c', key: key(i) });
            else ops.push(version(i, v));
          }
          const done = storage.commit(ops);
          await done;
          for (const op of ops) {
            const i = Number((op as { key: string }).key.slice(1));
            latest[i] = op.op === 'delete' ? -v : v;
          }
          commits++;
        }
      })();
      let reads = 0;
      let present = 0;
      const until = Date.now() + 2500;
      while (Date.now() < until) {
        for (let r = 0; r < 50; r++) {
          const i = Math.floor(Math.random() * N);
          const durable = latest[i]!; // the last version durable before this read began (< 0: deleted)
          const bytes = storage.documentBytes('p', 'c', key(i));
          reads++;
          if (!bytes) continue;
          present++;
          const doc = deserialize(bytes);
          expect(doc.k).toBe(key(i));
          expect(doc._id).toBe(i);
          // Never older than what was durable: a stale page would show an earlier version.
          if (durable >= 0) expect(doc.v).toBeGreaterThanOrEqual(durable);
          else expect(doc.v).toBeGreaterThan(-durable);
          expect(doc.fill).toBe(String.fromCharCode(97 + (doc.v % 26)).repeat(20 + ((i * 7 + doc.v * 13) % 900)));
        }
        let scanned = 0;
        let previous = '';
        for (const { key: k, bytes } of storage.documents('p', 'c', { start: key(100), end: key(300) })) {
          expect(k > previous).toBe(true);
          previous = k;
          expect(deserialize(bytes).k).toBe(k);
          scanned++;
        }
        expect(scanned).toBeLessThanOrEqual(200);
        await nextTurn();
      }
      stop = true;
      await writer;
      expect(commits).toBeGreaterThan(20);
      expect(reads).toBeGreaterThan(1000);
      expect(present).toBeGreaterThan(0);
      // Once nothing is in flight, reads see exactly the last commit.
      for (let i = 0; i < N; i++) {
        const bytes = storage.documentBytes('p', 'c', key(i));
        if (latest[i]! < 0) expect(bytes).toBeUndefined();
        else expect(deserialize(bytes!).v).toBe(latest[i]);
      }
    } finally {
      stop = true;
      await writer?.catch(() => undefined);
      await storage.close();
    }
  });
});
