import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Document } from 'bson';
import { openStorage } from '../../server/embedded-mongo/storage/lmdb';
import type { Storage, StorageOp } from '../../server/embedded-mongo/storage/types';
import { startTestServer } from './harness';

/**
 * Every page of the data file a read through the memory map touches stays mapped into the
 * process, and counts in its RSS, until the map is closed. With a budget the storage drops and
 * reopens its map when the mapped bytes pass it, between commands and never under a commit, a
 * snapshot or an iteration. Documents and index entries are read with pread by default
 * (page-reader.ts), which maps nothing; what still reads through the map is LMDB's own write
 * path (and every read when `readThroughMap` is set, as most tests here do to exercise the budget).
 */
const fileResidentBytes = (): number =>
  Number(/RssFile:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'))?.[1] ?? NaN) * 1024;

const MB = 1024 * 1024;
const DOCS = 12_000;
const key = (i: number): string => `k${String(i).padStart(8, '0')}`;
const put = (i: number, note: string): StorageOp => ({
  op: 'put',
  db: 'm',
  coll: 'big',
  key: key(i),
  doc: { _id: i, note } as Document,
});

async function filled(dir: string, options: Parameters<typeof openStorage>[1]): Promise<Storage> {
  const storage = await openStorage(dir, { readThroughMap: true, ...options });
  const note = 'x'.repeat(4000); // one document a page: 12,000 documents ≈ 50 MB of file
  for (let start = 0; start < DOCS; start += 1000) {
    await storage.commit(Array.from({ length: 1000 }, (_, j) => put(start + j, note)));
  }
  return storage;
}

/** Reads every document once in a random order, a turn of the event loop every 200 reads. */
async function readAll(storage: Storage): Promise<number> {
  const order = Array.from({ length: DOCS }, (_, i) => i).sort(() => Math.random() - 0.5);
  let peak = 0;
  for (let i = 0; i < order.length; i++) {
    if (!storage.documentBytes('m', 'big', key(order[i]!))) throw new Error(`document ${order[i]} missing`);
    if (i % 200 === 199) {
      await nextTurn();
      peak = Math.max(peak, fileResidentBytes());
    }
  }
  return peak;
}

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'map-budget-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const linux = process.platform === 'linux';
(linux ? describe : describe.skip)('the memory map budget', () => {
  it('when no budget is set, then reading a 50 MB store maps most of it (what the budget is for)', async () => {
    const storage = await filled(tempDir(), { mapBudgetBytes: 0 });
    try {
      // Closing and reopening drops what the load mapped: measure the reads alone.
      const before = fileResidentBytes();
      const peak = await readAll(storage);
      expect(peak - before).toBeGreaterThan(30 * MB);
      expect(storage.mapping().remaps).toBe(0);
    } finally {
      await storage.close();
    }
  });

  it('when reads go through pread (the default), then reading the same 50 MB store maps next to nothing', async () => {
    const dir = tempDir();
    await (await filled(dir, { mapBudgetBytes: 0 })).close();
    const storage = await openStorage(dir, { mapBudgetBytes: 0 });
    try {
      const before = fileResidentBytes();
      const peak = await readAll(storage);
      let scanned = 0;
      for (const _ of storage.documents('m', 'big', {})) scanned++;
      expect(scanned).toBe(DOCS);
      expect(Math.max(peak, fileResidentBytes()) - before).toBeLessThan(4 * MB);
      expect(storage.mapping().remaps).toBe(0);
    } finally {
      await storage.close();
    }
  });

  it('when the budget is 8 MB, then the same reads stay within it (and the map was reopened to do it)', async () => {
    const dir = tempDir();
    await (await filled(dir, { mapBudgetBytes: 0 })).close();
    const storage = await openStorage(dir, { mapBudgetBytes: 8 * MB, readsPerMapCheck: 100, readThroughMap: true });
    try {
      const before = fileResidentBytes();
      const peak = await readAll(storage);
      // 8 MB, plus what at most 200 reads map between two looks (each ≤ 64 KB of fault-around).
      expect(peak - before).toBeLessThan(8 * MB + 200 * 64 * 1024);
      expect(storage.mapping().remaps).toBeGreaterThan(0);
      expect(storage.mapping().budgetBytes).toBe(8 * MB);
    } finally {
      await storage.close();
    }
  });

  it('when commits run while the map is over its budget, then each is durable and the map is still reopened', async () => {
    const dir = tempDir();
    const storage = await filled(dir, { mapBudgetBytes: 1 * MB, readsPerMapCheck: 50 });
    try {
      const remapsBefore = storage.mapping().remaps;
      const writes: Promise<void>[] = [];
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 100; i++) storage.documentBytes('m', 'big', key((round * 100 + i * 37) % DOCS));
        writes.push(storage.commit([put(DOCS + round, `late ${round}`)]));
        await nextTurn();
      }
      await Promise.all(writes);
      expect(storage.mapping().remaps).toBeGreaterThan(remapsBefore);
      for (let round = 0; round < 40; round++) {
        expect(storage.documentBytes('m', 'big', key(DOCS + round))).toBeDefined();
      }
    } finally {
      await storage.close();
    }
    const reopened = await openStorage(dir);
    try {
      expect(reopened.collections().find((c) => c.meta.name === 'big')?.count).toBe(DOCS + 40);
    } finally {
      await reopened.close();
    }
  });

  it('when a snapshot is open, then the map is not reopened under it, and commits do not wait for it', async () => {
    const storage = await filled(tempDir(), { mapBudgetBytes: 1 * MB, readsPerMapCheck: 50 });
    try {
      const snapshot = storage.snapshot();
      const remaps = storage.mapping().remaps;
      await readAll(storage);
      await storage.commit([put(DOCS, 'while a backup runs')]);
      expect(storage.mapping().remaps).toBe(remaps);
      let seen = 0;
      for (const c of snapshot.collections()) for (const _ of c.documents()) seen++;
      expect(seen).toBe(DOCS); // the snapshot's view: before the last commit
      snapshot.close();
      await readAll(storage);
      expect(storage.mapping().remaps).toBeGreaterThan(remaps);
    } finally {
      await storage.close();
    }
  });

  it('when a caller holds an iteration open across turns, then the map is not reopened under it', async () => {
    const storage = await filled(tempDir(), { mapBudgetBytes: 1 * MB, readsPerMapCheck: 50 });
    try {
      const remaps = storage.mapping().remaps;
      const walk = storage.documents('m', 'big', {})[Symbol.iterator]();
      let read = 0;
      for (; read < 3000; read++) {
        expect(walk.next().done).toBe(false);
        if (read % 100 === 0) await nextTurn();
      }
      expect(storage.mapping().remaps).toBe(remaps);
      while (!walk.next().done) read++;
      expect(read).toBe(DOCS);
      await readAll(storage);
      expect(storage.mapping().remaps).toBeGreaterThan(remaps);
    } finally {
      await storage.close();
    }
  });
});

(linux ? describe : describe.skip)('a server with a tiny map budget under concurrent clients', () => {
  it('when eight clients read, range-scan, insert and update at once, then nothing fails and nothing is lost', async () => {
    const t = await startTestServer('map_budget', { mapBudgetMB: 1 });
    try {
      const items = t.db.collection<{ _id: number; n: number; pad: string; hits?: number }>('items');
      await items.createIndex({ n: 1 });
      const pad = 'p'.repeat(3000);
      for (let start = 0; start < 6000; start += 1000) {
        await items.insertMany(Array.from({ length: 1000 }, (_, j) => ({ _id: start + j, n: start + j, pad })));
      }
      let inserted = 0;
      let hits = 0;
      const until = Date.now() + 3000;
      const worker = async (w: number): Promise<void> => {
        for (let i = 0; Date.now() < until; i++) {
          const at = Math.floor(Math.random() * 6000);
          switch (i % 4) {
            case 0:
              expect((await items.findOne({ _id: at }))?.n).toBe(at);
              break;
            case 1: {
              const found = await items
                .find({ n: { $gte: at } })
                .sort({ n: 1 })
                .limit(300)
                .toArray();
              expect(found.length).toBe(Math.min(300, 6000 - at));
              break;
            }
            case 2:
              await items.insertOne({ _id: 100_000 + w * 100_000 + i, n: -1, pad });
              inserted++;
              break;
            default:
              await items.updateOne({ _id: at }, { $inc: { hits: 1 } });
              hits++;
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      expect(await items.countDocuments({ n: -1 })).toBe(inserted);
      const [sum] = await items
        .aggregate<{ total: number }>([{ $group: { _id: null, total: { $sum: '$hits' } } }])
        .toArray();
      expect(sum?.total).toBe(hits);
      const status = await t.db.admin().command({ serverStatus: 1 });
      expect(Number(status.embeddedStorage.mapReopens)).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  }, 60_000);
});
