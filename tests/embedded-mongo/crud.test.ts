import { Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { startTestServer, type TestServer } from './harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('crud');
});
afterAll(async () => {
  await t.close();
});

describe('basic CRUD through the official driver', () => {
  test('insertOne assigns an ObjectId and findOne returns the stored document', async () => {
    const c = t.db.collection('basics');
    const { insertedId } = await c.insertOne({ name: 'bok choy', kg: 12 });
    expect(insertedId).toBeInstanceOf(ObjectId);
    expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, name: 'bok choy', kg: 12 });
  });

  test('BSON types survive a round trip (Long, Decimal128, Double, Date, Binary-like ids)', async () => {
    const c = t.db.collection('types');
    const at = new Date('2026-01-02T03:04:05Z');
    await c.insertOne({
      _id: 'x' as never,
      big: Long.fromString('9007199254740993'),
      price: Decimal128.fromString('12.30'),
      ratio: new Double(2),
      at,
    });
    const doc = await t.db
      .collection('types')
      .findOne({ _id: 'x' as never }, { promoteValues: false, promoteLongs: false });
    expect(doc?.big).toBeInstanceOf(Long);
    expect((doc?.big as Long).toString()).toBe('9007199254740993');
    expect((doc?.price as Decimal128).toString()).toBe('12.30');
    expect(doc?.ratio).toBeInstanceOf(Double);
    expect((doc?.at as Date).getTime()).toBe(at.getTime());
  });

  test('updateOne, updateMany, replaceOne and their counts', async () => {
    const c = t.db.collection('updates');
    await c.insertMany([
      { _id: 1, s: 'a', n: 1 },
      { _id: 2, s: 'a', n: 2 },
      { _id: 3, s: 'b', n: 3 },
    ] as never[]);
    expect(await c.updateOne({ s: 'a' }, { $set: { seen: true } })).toMatchObject({
      matchedCount: 1,
      modifiedCount: 1,
    });
    expect(await c.updateMany({ s: 'a' }, { $set: { seen: true } })).toMatchObject({
      matchedCount: 2,
      modifiedCount: 1,
    });
    expect(await c.replaceOne({ _id: 3 } as never, { s: 'c' })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 3 } as never)).toEqual({ _id: 3, s: 'c' });
    expect(await c.updateOne({ _id: 99 } as never, { $set: { s: 'z' } })).toMatchObject({
      matchedCount: 0,
      upsertedCount: 0,
    });
  });

  test('deleteOne removes one match, deleteMany all of them', async () => {
    const c = t.db.collection('deletes');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect(await c.countDocuments()).toBe(1);
  });

  test('results are copies: mutating a returned document does not change the stored one', async () => {
    const c = t.db.collection('isolation');
    await c.insertOne({ _id: 1, tags: ['a'] } as never);
    const first = await c.findOne({ _id: 1 } as never);
    (first?.tags as string[]).push('b');
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, tags: ['a'] });
  });
});

describe('upserts seed the new document from the filter', () => {
  test('equality fields, $eq, $and and dotted paths are copied; _id comes from the filter', async () => {
    const c = t.db.collection('upserts');
    const r = await c.updateOne(
      {
        _id: 'lot-7',
        farm: 'F1',
        'origin.province': 'Yunnan',
        grade: { $eq: 'A' },
        $and: [{ kind: 'tea' }],
        kg: { $gt: 5 },
      } as never,
      { $set: { kg: 10 }, $setOnInsert: { createdBy: 'seed' } },
      { upsert: true },
    );
    expect(r.upsertedId).toBe('lot-7');
    expect(await c.findOne({ _id: 'lot-7' } as never)).toEqual({
      _id: 'lot-7',
      farm: 'F1',
      origin: { province: 'Yunnan' },
      grade: 'A',
      kind: 'tea',
      kg: 10,
      createdBy: 'seed',
    });
  });

  test('without an _id in the filter an ObjectId is generated, and $setOnInsert is ignored on update', async () => {
    const c = t.db.collection('upserts2');
    const first = await c.updateOne({ sku: 'x' }, { $inc: { n: 1 }, $setOnInsert: { first: true } }, { upsert: true });
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    const second = await c.updateOne(
      { sku: 'x' },
      { $inc: { n: 1 }, $setOnInsert: { first: false } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ sku: 'x' }, { projection: { _id: 0 } })).toEqual({ sku: 'x', n: 2, first: true });
  });

  test('the update command reports upserted [{index, _id}]', async () => {
    const reply = await t.db.command({
      update: 'upserts3',
      updates: [
        { q: { a: 1 }, u: { $set: { b: 1 } } },
        { q: { _id: 5 }, u: { $set: { b: 2 } }, upsert: true },
      ],
    });
    expect(reply).toMatchObject({ n: 1, nModified: 0, upserted: [{ index: 1, _id: 5 }], ok: 1 });
  });
});

describe('findAndModify', () => {
  test('returns the old or new document with lastErrorObject', async () => {
    const c = t.db.collection('fam');
    await c.insertOne({ _id: 1, qty: 5 } as never);
    const before = await t.db.command({ findAndModify: 'fam', query: { _id: 1 }, update: { $inc: { qty: -1 } } });
    expect(before).toMatchObject({
      value: { _id: 1, qty: 5 },
      lastErrorObject: { n: 1, updatedExisting: true },
      ok: 1,
    });
    const after = await t.db.command({
      findAndModify: 'fam',
      query: { _id: 1 },
      update: { $inc: { qty: -1 } },
      new: true,
      fields: { qty: 1, _id: 0 },
    });
    expect(after.value).toEqual({ qty: 3 });
  });

  test('upsert reports the upserted _id; remove returns the removed document', async () => {
    const up = await t.db.command({
      findAndModify: 'fam2',
      query: { _id: 'k' },
      update: { $set: { v: 1 } },
      upsert: true,
      new: true,
    });
    expect(up).toMatchObject({
      value: { _id: 'k', v: 1 },
      lastErrorObject: { n: 1, updatedExisting: false, upserted: 'k' },
    });
    const removed = await t.db.command({ findAndModify: 'fam2', query: { _id: 'k' }, remove: true });
    expect(removed).toMatchObject({ value: { _id: 'k', v: 1 }, lastErrorObject: { n: 1 } });
    const none = await t.db.command({ findAndModify: 'fam2', query: { _id: 'k' }, remove: true });
    expect(none).toMatchObject({ value: null, lastErrorObject: { n: 0 } });
  });

  test('sort decides which document is modified', async () => {
    const c = t.db.collection('fam3');
    await c.insertMany([{ p: 3 }, { p: 1 }, { p: 2 }]);
    const doc = await c.findOneAndUpdate({}, { $set: { taken: true } }, { sort: { p: -1 }, returnDocument: 'after' });
    expect(doc).toMatchObject({ p: 3, taken: true });
  });
});

describe('cursors', () => {
  beforeAll(async () => {
    await t.db.collection('many').insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
  });

  test('250 documents with batchSize 100 arrive as 100 + 100 + 50 through getMore', async () => {
    const first = await t.db.command(
      { find: 'many', filter: {}, sort: { i: 1 }, batchSize: 100 },
      { promoteLongs: false },
    );
    expect(first.cursor.firstBatch).toHaveLength(100);
    const id = first.cursor.id as Long;
    // Cursor ids are int64 on the wire, as the driver requires.
    expect(id).toBeInstanceOf(Long);
    expect(id.isZero()).toBe(false);
    const second = await t.db.command({ getMore: id, collection: 'many', batchSize: 100 }, { promoteLongs: false });
    expect(second.cursor.nextBatch).toHaveLength(100);
    expect(second.cursor.nextBatch[0].i).toBe(100);
    const third = await t.db.command({ getMore: id, collection: 'many', batchSize: 100 }, { promoteLongs: false });
    expect(third.cursor.nextBatch).toHaveLength(50);
    expect((third.cursor.id as Long).isZero()).toBe(true);
  });

  test('the driver iterates all of them with a small batch size', async () => {
    const all = await t.db.collection('many').find({}, { batchSize: 7 }).sort({ i: -1 }).toArray();
    expect(all).toHaveLength(250);
    expect(all[0].i).toBe(249);
  });

  test('killCursors kills an open cursor and getMore then fails with 43', async () => {
    const first = await t.db.command({ find: 'many', filter: {}, batchSize: 10 }, { promoteLongs: false });
    const id = first.cursor.id as Long;
    const killed = await t.db.command({ killCursors: 'many', cursors: [id] });
    expect(killed.cursorsKilled.map((x: Long) => x.toString())).toEqual([id.toString()]);
    await expect(t.db.command({ getMore: id, collection: 'many' })).rejects.toMatchObject({ code: 43 });
  });

  test('skip, limit and singleBatch', async () => {
    const page = await t.db.collection('many').find({}).sort({ i: 1 }).skip(10).limit(5).toArray();
    expect(page.map((d) => d.i)).toEqual([10, 11, 12, 13, 14]);
    const single = await t.db.command(
      { find: 'many', filter: {}, batchSize: 3, singleBatch: true },
      { promoteLongs: false },
    );
    expect(single.cursor.firstBatch).toHaveLength(3);
    expect((single.cursor.id as Long).isZero()).toBe(true);
  });
});

describe('projection', () => {
  test('inclusion, exclusion, dotted paths into arrays, _id exclusion, $slice and $elemMatch', async () => {
    const c = t.db.collection('proj');
    await c.insertOne({
      _id: 1,
      a: 1,
      b: { c: 2, d: 3 },
      arr: [
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ],
      list: [1, 2, 3, 4],
    } as never);
    expect(await c.findOne({}, { projection: { a: 1 } })).toEqual({ _id: 1, a: 1 });
    expect(await c.findOne({}, { projection: { 'b.c': 1, _id: 0 } })).toEqual({ b: { c: 2 } });
    expect(await c.findOne({}, { projection: { 'arr.x': 1, _id: 0 } })).toEqual({ arr: [{ x: 1 }, { x: 3 }] });
    expect(await c.findOne({}, { projection: { b: 0, arr: 0, list: 0 } })).toEqual({ _id: 1, a: 1 });
    expect(await c.findOne({}, { projection: { list: { $slice: -2 }, a: 1 } })).toEqual({ _id: 1, a: 1, list: [3, 4] });
    expect(await c.findOne({}, { projection: { arr: { $elemMatch: { x: 3 } } } })).toEqual({
      _id: 1,
      arr: [{ x: 3, y: 4 }],
    });
  });

  test('positional projection returns the element the query matched', async () => {
    const c = t.db.collection('proj');
    expect(await c.findOne({ 'arr.x': 3 }, { projection: { 'arr.$': 1 } })).toEqual({ _id: 1, arr: [{ x: 3, y: 4 }] });
  });

  test('mixing inclusion and exclusion fails', async () => {
    await expect(t.db.collection('proj').findOne({}, { projection: { a: 1, b: 0 } })).rejects.toMatchObject({
      code: 31254,
    });
  });
});

describe('count and distinct', () => {
  test('count with query, skip, limit; distinct flattens arrays and sorts', async () => {
    const c = t.db.collection('cd');
    await c.insertMany([{ k: 'b', tags: ['x', 'y'] }, { k: 'a', tags: ['y'] }, { k: 'a', tags: 'z' }, { k: 'c' }]);
    expect((await t.db.command({ count: 'cd', query: { k: 'a' } })).n).toBe(2);
    expect((await t.db.command({ count: 'cd', skip: 1, limit: 2 })).n).toBe(2);
    expect(await c.countDocuments({ k: { $in: ['a', 'c'] } })).toBe(3);
    expect(await c.estimatedDocumentCount()).toBe(4);
    expect(await c.distinct('k')).toEqual(['a', 'b', 'c']);
    expect(await c.distinct('tags', { k: { $ne: 'c' } })).toEqual(['x', 'y', 'z']);
  });

  test('numbers of different BSON types are one distinct value', async () => {
    const c = t.db.collection('cd2');
    await c.insertMany([{ n: new Int32(1) }, { n: new Double(1) }, { n: Long.fromNumber(1) }, { n: 2 }]);
    expect(await c.distinct('n')).toEqual([1, 2]);
  });
});
