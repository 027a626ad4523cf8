import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int32, serialize } from 'bson';
import { open } from 'lmdb';
import type { ServerState } from '../../server/embedded-mongo/commands/context';
import { CursorRegistry } from '../../server/embedded-mongo/cursors';
import type { Doc } from '../../server/embedded-mongo/engine/bson-values';
import { Catalog } from '../../server/embedded-mongo/engine/catalog';
import { Collection } from '../../server/embedded-mongo/engine/collection';
import { compileFilter } from '../../server/embedded-mongo/engine/query';
import { openStorage } from '../../server/embedded-mongo/storage/lmdb';
import type { Storage } from '../../server/embedded-mongo/storage/types';
import { sweepExpired } from '../../server/embedded-mongo/ttl';
import { openEngineStore, type EngineStore } from '../fixtures/engine-store';

/**
 * Documents and index entries live in LMDB: a restart reads the catalog only; equality,
 * range, sort, unique and TTL work on the stored B+tree; writes not yet committed are seen
 * by reads and unique checks; the document cache stays within its budget.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'freshlink-offheap-'));
  dirs.push(dir);
  return dir;
}

const N = 3000;
const NOW = new Date('2026-12-01T12:00:00Z');
const skuOf = (i: number): string => `SKU-${String(i).padStart(5, '0')}`;

function lot(i: number): Doc {
  return {
    _id: new Int32(i),
    sku: skuOf(i),
    price: new Int32((i * 7) % 1000),
    // a third expired an hour ago (TTL 60 s)
    expiresAt: new Date(NOW.getTime() + (i % 3 === 0 ? -3_600_000 : 3_600_000)),
    tags: i % 10 === 0 ? ['a', 'b'] : ['c'],
  };
}

function insert(h: EngineStore, coll: Collection, doc: Doc): void {
  const key = Collection.keyOf(doc);
  const err = coll.checkUnique(doc, key);
  if (err) throw err;
  h.track(coll.put(key, doc));
}

async function seed(dir: string): Promise<void> {
  const h = await openEngineStore({ dir });
  const lots = h.collection('lots');
  lots.addIndex({ v: 2, key: { sku: 1 }, name: 'sku_1', unique: true });
  lots.addIndex({ v: 2, key: { price: -1, sku: 1 }, name: 'price_-1_sku_1' });
  lots.addIndex({ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 60 });
  lots.addIndex({ v: 2, key: { tags: 1 }, name: 'tags_1' });
  lots.addIndex({ v: 2, key: { note: 'text' }, name: 'note_text' });
  h.ops.push(lots.metaOp());
  for (let i = 0; i < N; i++) {
    insert(h, lots, lot(i));
    if (i % 500 === 499) await h.flush();
  }
  await h.close();
}

/** Counts the document reads a storage serves. */
function spied(storage: Storage): Storage & { documentReads: number } {
  const spy = Object.assign(Object.create(storage) as Storage, { documentReads: 0 });
  spy.documentBytes = (...args) => {
    spy.documentReads++;
    return storage.documentBytes(...args);
  };
  spy.documents = (...args) => {
    spy.documentReads++;
    return storage.documents(...args);
  };
  return spy;
}

function stateOf(catalog: Catalog, storage: Storage): ServerState {
  return {
    catalog,
    storage,
    cursors: new CursorRegistry(),
    startedAt: NOW,
    sessions: new Map(),
    now: () => NOW,
  };
}

describe('after a restart on stored data', () => {
  const dir = freshDir();
  let storage: Storage & { documentReads: number };
  let catalog: Catalog;
  let lots: Collection;

  beforeAll(async () => {
    await seed(dir);
    storage = spied(await openStorage(dir));
    catalog = Catalog.load(storage);
    lots = catalog.get('db', 'lots')!;
  });
  afterAll(async () => {
    await storage.close();
  });

  it('reads the catalog only: no document is read at start, yet counts, specs and multikey flags are known', () => {
    expect(storage.documentReads).toBe(0);
    expect(catalog.engine.cache.size).toBe(0);
    expect(lots.count).toBe(N);
    expect([...lots.indexes.keys()]).toEqual(['_id_', 'sku_1', 'price_-1_sku_1', 'expiresAt_1', 'tags_1', 'note_text']);
    expect(lots.indexes.get('tags_1')?.multikey).toBe(true);
    expect(lots.indexes.get('sku_1')?.multikey).toBe(false);
  });

  it('finds by _id and by a unique index reading only the documents it returns', () => {
    const before = storage.documentReads;
    const filter = { sku: skuOf(1234) };
    const found = lots.scan(filter, compileFilter(filter), undefined, 1);
    expect(found.docs.map((d) => d._id)).toEqual([new Int32(1234)]);
    expect(found.index).toBe('sku_1');
    expect(found.examined).toBe(1);
    expect(storage.documentReads - before).toBe(1);
    expect(lots.get(Collection.keyOf({ _id: new Int32(77) }))?.sku).toBe(skuOf(77));
  });

  it('walks a descending compound index for a sorted range and stops at the limit', () => {
    const filter = { price: { $gte: new Int32(990) } };
    const scan = lots.scan(filter, compileFilter(filter), { path: 'price', dir: -1, needed: 5 });
    expect(scan.sorted).toBe(true);
    expect(scan.examined).toBe(5);
    const prices = scan.docs.map((d) => (d.price as Int32).value);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    expect(prices[0]).toBe(999);
    const ascending = lots.scan(filter, compileFilter(filter), { path: 'price', dir: 1, needed: 3 });
    expect(ascending.docs.map((d) => (d.price as Int32).value)).toEqual([990, 990, 990]);
  });

  it('finds every document with an array element (multikey) once', () => {
    const filter = { tags: 'a' };
    const scan = lots.scan(filter);
    expect(scan.index).toBe('tags_1');
    expect(scan.docs).toHaveLength(N / 10);
  });

  it('rejects a duplicate of a stored unique key, and accepts it once the holder is gone', () => {
    const dup = { _id: new Int32(N + 1), sku: skuOf(5) };
    expect(lots.checkUnique(dup, Collection.keyOf(dup))?.code).toBe(11000);
    lots.remove(Collection.keyOf({ _id: new Int32(5) }));
    expect(lots.checkUnique(dup, Collection.keyOf(dup))).toBeUndefined();
  });

  it('the TTL sweep deletes exactly the expired documents, found through the index', async () => {
    const state = stateOf(catalog, storage);
    const ops = sweepExpired(state);
    const expired = Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 0 && i !== 5).length;
    expect(ops).toHaveLength(expired);
    await storage.commit(ops);
    expect(lots.count).toBe(N - 1 - expired);
    expect(sweepExpired(state)).toEqual([]);
  });
});

describe('writes whose commit is in flight', () => {
  let h: EngineStore;
  beforeEach(async () => {
    h = await openEngineStore();
  });
  afterEach(async () => {
    await h.close();
  });

  it('are seen by reads, index walks and unique checks before they are durable, and after', async () => {
    const c = h.collection('offers');
    c.addIndex({ v: 2, key: { code: 1 }, name: 'code_1', unique: true });
    h.ops.push(c.metaOp());
    await h.flush();
    insert(h, c, { _id: new Int32(1), code: 'A' });
    // Not committed yet: the overlay answers.
    expect(c.scan({ code: 'A' }).docs).toHaveLength(1);
    const dup = { _id: new Int32(2), code: 'A' };
    expect(c.checkUnique(dup, Collection.keyOf(dup))?.code).toBe(11000);
    await h.flush();
    expect(c.checkUnique(dup, Collection.keyOf(dup))?.code).toBe(11000);
    // A delete in flight frees the key at once.
    h.track(c.remove(Collection.keyOf({ _id: new Int32(1) })));
    expect(c.checkUnique(dup, Collection.keyOf(dup))).toBeUndefined();
    expect(c.scan({ code: 'A' }).docs).toHaveLength(0);
    await h.flush();
    expect(c.scan({ code: 'A' }).docs).toHaveLength(0);
    expect(c.count).toBe(0);
  });

  it('a dropped and recreated collection does not see the old documents while the drop is in flight', async () => {
    const c = h.collection('tmp');
    insert(h, c, { _id: new Int32(1) });
    await h.flush();
    h.track(h.catalog.drop('db', 'tmp'));
    const again = h.collection('tmp');
    expect(again.get(Collection.keyOf({ _id: new Int32(1) }))).toBeUndefined();
    expect([...again.docs.values()]).toEqual([]);
    await h.flush();
    expect([...again.docs.values()]).toEqual([]);
  });
});

describe('memory', () => {
  it('the decoded-document cache stays within its budget whatever is read', async () => {
    const h = await openEngineStore({ cacheBytes: 64 * 1024 });
    try {
      const c = h.collection('big');
      for (let i = 0; i < 2000; i++) insert(h, c, { _id: new Int32(i), pad: 'x'.repeat(200) });
      await h.flush();
      for (let i = 0; i < 2000; i++) expect(c.get(Collection.keyOf({ _id: new Int32(i) }))).toBeDefined();
      expect(h.catalog.engine.cache.bytes).toBeLessThanOrEqual(64 * 1024);
      expect(h.catalog.engine.cache.size).toBeLessThan(100);
    } finally {
      await h.close();
    }
  });
});

describe('snapshot', () => {
  it('is a consistent point-in-time view while writes go on', async () => {
    const h = await openEngineStore();
    try {
      const c = h.collection('s');
      for (let i = 0; i < 10; i++) insert(h, c, { _id: new Int32(i) });
      await h.flush();
      const snap = h.storage.snapshot();
      for (let i = 10; i < 20; i++) insert(h, c, { _id: new Int32(i) });
      h.track(c.remove(Collection.keyOf({ _id: new Int32(0) })));
      await h.flush();
      const seen = [...snap.collections()].find((x) => x.meta.name === 's');
      expect([...(seen?.documents() ?? [])].map((d) => (d._id as Int32).value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      snap.close();
    } finally {
      await h.close();
    }
  });
});

describe('a data directory of the first (all-in-memory) storage format', () => {
  it('is migrated at the first start: documents, counts and unique indexes, and the old copy is removed', async () => {
    const dir = freshDir();
    // What the previous release wrote: docs keyed db 00 coll 00 canonical-_id string, meta without index ids.
    const root = open({ path: dir, maxDbs: 4 });
    const raw = { keyEncoding: 'binary', encoding: 'binary' } as const;
    const oldDocs = root.openDB<Buffer, Buffer>('docs', raw);
    const oldMeta = root.openDB<Buffer, Buffer>('meta', raw);
    const meta = {
      db: 'app',
      name: 'users',
      options: {},
      indexes: [
        { v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' },
        { v: new Int32(2), key: { phone: new Int32(1) }, name: 'phone_1', unique: true },
      ],
    };
    await root.transaction(() => {
      oldMeta.putSync(Buffer.from('app\u0000users'), Buffer.from(serialize(meta)));
      for (let i = 0; i < 2500; i++) {
        oldDocs.putSync(
          Buffer.from(`app\u0000users\u0000n:${i}`),
          Buffer.from(serialize({ _id: new Int32(i), phone: `138${String(i).padStart(8, '0')}` })),
        );
      }
    });
    await root.close();

    const storage = await openStorage(dir);
    try {
      const catalog = await Catalog.open(storage);
      const users = catalog.get('app', 'users')!;
      expect(users.count).toBe(2500);
      expect(storage.legacyDocuments?.()).toBeUndefined();
      const found = users.scan({ phone: '13800001234' });
      expect(found.index).toBe('phone_1');
      expect(found.docs.map((d) => d._id)).toEqual([new Int32(1234)]);
      const dup = { _id: new Int32(9999), phone: '13800000007' };
      expect(users.checkUnique(dup, Collection.keyOf(dup))?.code).toBe(11000);
    } finally {
      await storage.close();
    }
  });
});
