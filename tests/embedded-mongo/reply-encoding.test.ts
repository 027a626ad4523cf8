import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { Catalog } from '../../server/embedded-mongo/engine/catalog';
import { Collection } from '../../server/embedded-mongo/engine/collection';
import type { Doc } from '../../server/embedded-mongo/engine/bson-values';
import { encodeDocument, encodeReply } from '../../server/embedded-mongo/protocol/bson-codec';
import { nullStorage } from '../fixtures/engine-store';
import { startTestServer, type TestServer } from './harness';

/**
 * Cursor replies are assembled from each document's cached BSON instead of serialising the
 * whole reply: the bytes must be exactly what serialising the reply gives, and a cached
 * document must never be served after it changed.
 */
function storedDocs(): Doc[] {
  const coll = Catalog.load(nullStorage()).getOrCreate('db', 'c', []);
  const docs: Doc[] = [
    {
      _id: new Int32(1),
      i: new Int32(-7),
      d: new Double(1),
      z: new Double(-0),
      l: Long.fromString('9007199254740993'),
      dec: Decimal128.fromString('1.50'),
    },
    {
      _id: new ObjectId(),
      s: '大白菜',
      when: new Date(0),
      bin: new Binary(Buffer.from([1, 2, 3]), 4),
      re: new BSONRegExp('^a', 'i'),
    },
    {
      _id: 'x',
      nested: { a: [new Int32(1), { b: null }, []], t: new Timestamp({ t: 5, i: 1 }) },
      lo: new MinKey(),
      hi: new MaxKey(),
      gone: undefined,
    },
  ];
  for (const doc of docs) coll.put(Collection.keyOf(doc), doc);
  return docs;
}

test('a cursor reply built from cached document bytes equals the serialised reply', () => {
  const docs = storedDocs();
  const projected = { _id: new Int32(9), only: 'not stored' };
  const replies: Doc[] = [
    { cursor: { firstBatch: docs, id: Long.ZERO, ns: 'db.c' }, ok: 1 },
    { cursor: { nextBatch: [...docs, projected], id: Long.fromNumber(123456789), ns: 'db.c' }, ok: 1 },
    { cursor: { id: Long.ZERO, ns: 'db.c', firstBatch: [] }, ok: 1 },
    {
      cursor: { firstBatch: docs.slice(1), id: Long.ZERO, ns: 'db.$cmd.listCollections' },
      ok: 1,
      note: 'extra',
      absent: undefined,
    },
  ];
  for (const reply of replies) {
    // Twice: the second encoding reads the cached bytes.
    expect(encodeReply(reply).equals(encodeDocument(reply))).toBe(true);
    expect(encodeReply(reply).equals(encodeDocument(reply))).toBe(true);
  }
});

describe('through the server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('reply_encoding');
  });
  afterAll(async () => {
    await t.close();
  });

  test('a document read, updated and read again comes back with its new content', async () => {
    const items = t.db.collection<{ _id: number; qty: number; tag?: string }>('items');
    await items.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, qty: 10 })));
    expect((await items.find({}).sort({ _id: 1 }).toArray())[150]).toEqual({ _id: 150, qty: 10 });
    await items.updateOne({ _id: 150 }, { $inc: { qty: -3 }, $set: { tag: 'sold' } });
    await items.replaceOne({ _id: 151 }, { qty: 99 });
    const again = await items
      .find({ _id: { $gte: 150, $lte: 151 } })
      .sort({ _id: 1 })
      .toArray();
    expect(again).toEqual([
      { _id: 150, qty: 7, tag: 'sold' },
      { _id: 151, qty: 99 },
    ]);
    // getMore batches (the driver's first batch is 101) see the new versions too.
    const all = await items.find({}).sort({ _id: 1 }).toArray();
    expect(all).toHaveLength(300);
    expect(all[150]).toEqual({ _id: 150, qty: 7, tag: 'sold' });
  });

  test('listIndexes shows an index change made by collMod (index specs are not cached)', async () => {
    const coll = t.db.collection('specs');
    await coll.createIndex({ a: 1 }, { name: 'a_1' });
    const hidden = async () => (await coll.listIndexes().toArray()).find((i) => i.name === 'a_1')?.hidden;
    expect(await hidden()).toBeUndefined();
    await t.db.command({ collMod: 'specs', index: { name: 'a_1', hidden: true } });
    expect(await hidden()).toBe(true);
  });
});
