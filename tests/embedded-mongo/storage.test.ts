import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  EJSON,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
  deserialize,
  serialize,
  type Document,
} from 'bson';
import { open } from 'lmdb';
import { LOCK_FILE } from '../../server/embedded-mongo/storage/dir-lock';
import { openStorage, STORAGE_DESERIALIZE_OPTIONS } from '../../server/embedded-mongo/storage/lmdb';
import type { CollectionMeta, Storage, StorageOp, StoredCollection } from '../../server/embedded-mongo/storage/types';

const dirs: string[] = [];
const opened: Storage[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'freshlink-storage-'));
  dirs.push(dir);
  return dir;
}

async function openIn(dir: string): Promise<Storage> {
  const storage = await openStorage(dir);
  opened.push(storage);
  return storage;
}

afterAll(async () => {
  for (const storage of opened) await storage.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function put(coll: string, key: string, doc: Document, db = 'fresh'): StorageOp {
  return { op: 'put', db, coll, key, doc };
}

function metaOf(name: string, db = 'fresh'): CollectionMeta {
  return { db, name, options: {}, indexes: [{ v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' }] };
}

type Loaded = StoredCollection & { documents(): Array<{ key: string; doc: Document }> };

/** Everything stored, documents decoded (what a test wants to compare; the server never does this). */
function load(storage: Storage): Loaded[] {
  return storage.collections().map((c) => ({
    ...c,
    documents: () =>
      Array.from(storage.documents(c.meta.db, c.meta.name, {}), ({ key, bytes }) => ({
        key,
        doc: deserialize(bytes, STORAGE_DESERIALIZE_OPTIONS),
      })),
  }));
}

function find(collections: Loaded[], name: string, db = 'fresh'): Loaded | undefined {
  return collections.find((c) => c.meta.db === db && c.meta.name === name);
}

function docsOf(collections: Loaded[], name: string, db = 'fresh'): Map<string, Document> {
  const found = find(collections, name, db);
  return new Map(found ? Array.from(found.documents(), ({ key, doc }) => [key, doc]) : []);
}

/** A document with every BSON type the engine keeps in wrapper form. */
function everyType(): Document {
  return {
    _id: new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
    int32: new Int32(42),
    negativeInt32: new Int32(-7),
    long: Long.fromString('9007199254740993'),
    doubleOne: new Double(1.0),
    doubleFraction: new Double(2.5),
    negativeZero: new Double(-0),
    decimal: Decimal128.fromString('12345.6789000'),
    date: new Date('2026-11-26T08:30:00.123Z'),
    // bson reads subtype 4 back as its UUID subclass of Binary, on the wire as here.
    uuid: new UUID('01234567-89ab-cdef-0123-456789abcdef'),
    userBinary: new Binary(Buffer.from('c0ffee', 'hex'), Binary.SUBTYPE_USER_DEFINED),
    bytes: new Binary(Buffer.from([0, 1, 2, 255])),
    nothing: null,
    regex: new BSONRegExp('^白菜.*$', 'imx'),
    text: '山东大白菜 5 斤',
    yes: true,
    nested: { grams: new Int32(2500), price: { fen: Long.fromNumber(1234) }, tags: ['organic', 'local'] },
    arrays: [new Int32(1), [new Double(2), [Long.fromNumber(3), { deep: Decimal128.fromString('4.0') }]], []],
    timestamp: new Timestamp({ t: 1700000000, i: 3 }),
    min: new MinKey(),
    max: new MaxKey(),
  };
}

describe('LMDB storage', () => {
  it('gives back every BSON type exactly as it was committed', async () => {
    const dir = freshDir();
    const storage = await openIn(dir);
    const original = everyType();
    await storage.commit([{ op: 'putMeta', meta: metaOf('lots') }, put('lots', 'k1', original)]);

    const [stored] = Array.from(docsOf(load(storage), 'lots').values());
    expect(stored).toStrictEqual(original);
    expect(EJSON.stringify(stored, { relaxed: false })).toBe(EJSON.stringify(original, { relaxed: false }));
    expect(Buffer.from(serialize(stored)).equals(Buffer.from(serialize(original)))).toBe(true);
    expect(stored.doubleOne).toBeInstanceOf(Double);
    expect(stored.int32).toBeInstanceOf(Int32);
    expect(stored.long).toBeInstanceOf(Long);
  });

  it('returns plain JS numbers as the BSON type they were written as (Int32 for integers, Double otherwise)', async () => {
    const storage = await openIn(freshDir());
    await storage.commit([put('plain', 'k', { small: 3, fraction: 0.5 })]);
    const stored = docsOf(load(storage), 'plain').get('k');
    expect(stored?.small).toStrictEqual(new Int32(3));
    expect(stored?.fraction).toStrictEqual(new Double(0.5));
  });

  it('leaves out fields set to undefined, as the wire does, instead of turning them into null', async () => {
    const storage = await openIn(freshDir());
    await storage.commit([put('lots', 'k', { kept: new Int32(1), gone: undefined, nested: { gone: undefined } })]);
    expect(docsOf(load(storage), 'lots').get('k')).toStrictEqual({ kept: new Int32(1), nested: {} });
  });

  it('keeps collection metadata, including collections that have no documents', async () => {
    const storage = await openIn(freshDir());
    const meta: CollectionMeta = {
      db: 'fresh',
      name: 'offers',
      options: { capped: false, validator: { qty: { $gte: new Int32(0) } } },
      indexes: [
        { v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' },
        { v: new Int32(2), key: { lotId: new Int32(1), price: new Int32(-1) }, name: 'lotId_1_price_-1', unique: true },
      ],
    };
    await storage.commit([{ op: 'putMeta', meta }]);
    const offers = find(load(storage), 'offers');
    expect(offers?.meta).toStrictEqual(meta);
    expect(Array.from(offers?.documents() ?? [])).toEqual([]);
  });

  it('applies the ops of one commit in order', async () => {
    const storage = await openIn(freshDir());
    await storage.commit([
      put('lots', 'a', { v: new Int32(1) }),
      { op: 'delete', db: 'fresh', coll: 'lots', key: 'a' },
      put('lots', 'b', { v: new Int32(1) }),
      put('lots', 'b', { v: new Int32(2) }),
      put('doomed', 'x', { v: new Int32(1) }),
      { op: 'dropCollection', db: 'fresh', coll: 'doomed' },
      put('doomed', 'y', { v: new Int32(9) }),
    ]);
    const loaded = load(storage);
    expect(docsOf(loaded, 'lots')).toEqual(new Map([['b', { v: new Int32(2) }]]));
    expect(docsOf(loaded, 'doomed')).toEqual(new Map([['y', { v: new Int32(9) }]]));
  });

  it('when one op of a commit cannot be stored, then the whole commit rejects and nothing of it is stored', async () => {
    const storage = await openIn(freshDir());
    await storage.commit([put('lots', 'before', { v: new Int32(0) })]);
    const circular: Document = { name: 'loop' };
    circular.self = circular;

    await expect(
      storage.commit([
        put('lots', 'first', { v: new Int32(1) }),
        { op: 'dropCollection', db: 'fresh', coll: 'lots' },
        put('lots', 'bad', circular),
      ]),
    ).rejects.toThrow(/circular/i);
    await expect(
      storage.commit([put('lots', 'first', { v: new Int32(1) }), put('lots', 'k'.repeat(3000), { v: new Int32(2) })]),
    ).rejects.toThrow(/too long/);
    await expect(
      storage.commit([put('lots', 'first', { v: new Int32(1) }), put('bad\u0000name', 'k', {})]),
    ).rejects.toThrow(/invalid collection/);

    expect(docsOf(load(storage), 'lots')).toEqual(new Map([['before', { v: new Int32(0) }]]));
  });

  it('keeps document keys (latin1 strings of key bytes) distinct when they contain NUL or high bytes', async () => {
    const storage = await openIn(freshDir());
    const results = await Promise.allSettled([
      storage.commit([put('lots', 'a\u0000b', { v: new Int32(1) })]),
      storage.commit([put('lots', '\u00e9\u00ff', { v: new Int32(2) })]),
      storage.commit([put('lots', 'a', { v: new Int32(3) })]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(docsOf(load(storage), 'lots')).toEqual(
      new Map([
        ['a\u0000b', { v: new Int32(1) }],
        ['\u00e9\u00ff', { v: new Int32(2) }],
        ['a', { v: new Int32(3) }],
      ]),
    );
  });

  it('drops a collection without touching collections whose names share a prefix', async () => {
    const storage = await openIn(freshDir());
    await storage.commit([
      { op: 'putMeta', meta: metaOf('lots') },
      { op: 'putMeta', meta: metaOf('lotsArchive') },
      { op: 'putMeta', meta: metaOf('lots', 'fresh2') },
      put('lots', '1', { v: new Int32(1) }),
      put('lots', '2', { v: new Int32(2) }),
      put('lotsArchive', '1', { v: new Int32(3) }),
      put('lots', '1', { v: new Int32(4) }, 'fresh2'),
    ]);
    await storage.commit([{ op: 'dropCollection', db: 'fresh', coll: 'lots' }]);

    const loaded = load(storage);
    expect(find(loaded, 'lots')).toBeUndefined();
    expect(docsOf(loaded, 'lotsArchive')).toEqual(new Map([['1', { v: new Int32(3) }]]));
    expect(docsOf(loaded, 'lots', 'fresh2')).toEqual(new Map([['1', { v: new Int32(4) }]]));
  });

  it('when commits are called without waiting, then they are applied in call order', async () => {
    const storage = await openIn(freshDir());
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => storage.commit([put('stock', 'cabbage', { qty: new Int32(300 - i) })])),
    );
    expect(docsOf(load(storage), 'stock').get('cabbage')).toStrictEqual({ qty: new Int32(1) });
  });

  it('when a drop is grouped with earlier uncommitted puts, then it removes those documents too', async () => {
    const storage = await openIn(freshDir());
    const puts = Array.from({ length: 50 }, (_, i) => storage.commit([put('lots', String(i), { v: new Int32(i) })]));
    const drop = storage.commit([{ op: 'dropCollection', db: 'fresh', coll: 'lots' }]);
    const after = storage.commit([put('lots', 'after', { v: new Int32(1) })]);
    await Promise.all([...puts, drop, after]);
    expect(docsOf(load(storage), 'lots')).toEqual(new Map([['after', { v: new Int32(1) }]]));
  });

  it('when reopened, then it sees every committed document, deletion and metadata', async () => {
    const dir = freshDir();
    const first = await openStorage(dir);
    await first.commit([
      { op: 'putMeta', meta: metaOf('lots') },
      { op: 'putMeta', meta: metaOf('empty') },
      put('lots', 'a', everyType()),
      put('lots', 'b', { v: new Int32(2) }),
    ]);
    await first.commit([
      { op: 'delete', db: 'fresh', coll: 'lots', key: 'b' },
      put('orphan', 'x', { v: new Int32(7) }, 'other'),
    ]);
    await first.close();

    const second = await openIn(dir);
    const loaded = load(second);
    expect(loaded.map((c) => `${c.meta.db}.${c.meta.name}`).sort()).toEqual([
      'fresh.empty',
      'fresh.lots',
      'other.orphan',
    ]);
    expect(docsOf(loaded, 'lots')).toStrictEqual(new Map([['a', everyType()]]));
    expect(find(loaded, 'lots')?.meta).toStrictEqual(metaOf('lots'));
    expect(find(loaded, 'orphan', 'other')?.meta).toEqual({ db: 'other', name: 'orphan', options: {}, indexes: [] });
  });

  it('when many commits are in flight at once, then they all land and share few disk transactions', async () => {
    const dir = freshDir();
    const storage = await openStorage(dir);
    const count = 2000;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        storage.commit([
          put('lots', `lot-${i}`, { n: new Int32(i) }),
          put('stock', `lot-${i}`, { qty: new Int32(i % 7) }),
        ]),
      ),
    );
    await storage.close();

    const raw = open({ path: dir, readOnly: true });
    const lastTxnId = (raw.getStats() as { lastTxnId: number }).lastTxnId;
    await raw.close();
    expect(lastTxnId).toBeLessThan(count / 10);

    const reopened = await openIn(dir);
    const loaded = load(reopened);
    expect(docsOf(loaded, 'lots').size).toBe(count);
    expect(docsOf(loaded, 'stock').get('lot-1999')).toEqual({ qty: new Int32(1999 % 7) });
  });

  it('when closed while commits are pending, then it waits for them and rejects later commits', async () => {
    const dir = freshDir();
    const storage = await openStorage(dir);
    const pending = Array.from({ length: 100 }, (_, i) =>
      storage.commit([put('lots', String(i), { v: new Int32(i) })]),
    );
    await storage.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(100);
    await expect(storage.commit([put('lots', 'late', {})])).rejects.toThrow(/closed/);

    const reopened = await openIn(dir);
    expect(docsOf(load(reopened), 'lots').size).toBe(100);
  });

  it('when the directory is already open in a live process, then a second open fails until the first closes', async () => {
    const dir = freshDir();
    const first = await openStorage(dir);
    await expect(openStorage(dir)).rejects.toThrow(/in use by process/);
    await first.close();
    const second = await openIn(dir);
    await second.commit([put('lots', 'k', { v: new Int32(1) })]);
  });

  it('when the lock was left by a process that died, then opening takes it over', async () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', '']);
    writeFileSync(join(dir, LOCK_FILE), `${dead.pid}\n`);
    const storage = await openIn(dir);
    await storage.commit([put('lots', 'k', { v: new Int32(1) })]);
    expect(docsOf(load(storage), 'lots').size).toBe(1);
  });
});
