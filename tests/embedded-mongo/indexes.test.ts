import { rejection, startTestServer, type TestServer } from './harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('idx', { ttlIntervalMs: 100 });
});
afterAll(async () => {
  await t.close();
});

describe('unique indexes', () => {
  test("a duplicate insert fails with mongod's E11000 message, keyPattern and keyValue", async () => {
    const c = t.db.collection('users');
    expect(await c.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await c.insertOne({ email: 'a@x.cn' });
    const err = await rejection(c.insertOne({ email: 'a@x.cn' }));
    expect(err.code).toBe(11000);
    expect(err.message).toBe(
      'E11000 duplicate key error collection: idx.users index: email_1 dup key: { email: "a@x.cn" }',
    );
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.cn' });
  });

  test('duplicate _id is E11000 on _id_', async () => {
    const c = t.db.collection('ids');
    await c.insertOne({ _id: 7 } as never);
    const err = await rejection(c.insertOne({ _id: 7 } as never));
    expect(err.message).toBe('E11000 duplicate key error collection: idx.ids index: _id_ dup key: { _id: 7 }');
  });

  test('enforced by update, upsert and findAndModify, leaving the document unchanged', async () => {
    const c = t.db.collection('users');
    await c.insertOne({ email: 'b@x.cn' });
    expect((await rejection(c.updateOne({ email: 'b@x.cn' }, { $set: { email: 'a@x.cn' } }))).code).toBe(11000);
    expect((await rejection(c.updateOne({ email: 'zz' }, { $set: { email: 'a@x.cn' } }, { upsert: true }))).code).toBe(
      11000,
    );
    expect((await rejection(c.findOneAndUpdate({ email: 'b@x.cn' }, { $set: { email: 'a@x.cn' } }))).code).toBe(11000);
    expect(await c.countDocuments({ email: 'b@x.cn' })).toBe(1);
  });

  test('insertMany ordered stops at the first duplicate; unordered continues', async () => {
    const c = t.db.collection('batch');
    await c.createIndex({ k: 1 }, { unique: true });
    const ordered = await rejection(c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]));
    expect(ordered.code).toBe(11000);
    expect(await c.countDocuments()).toBe(1);
    const unordered = await rejection(c.insertMany([{ k: 3 }, { k: 1 }, { k: 4 }], { ordered: false }));
    expect((unordered.writeErrors as Array<{ index: number }>).map((e) => e.index)).toEqual([1]);
    expect(await c.countDocuments()).toBe(3);
  });

  test('compound unique indexes compare the whole key', async () => {
    const c = t.db.collection('compound');
    await c.createIndex({ farm: 1, lot: -1 }, { unique: true });
    await c.insertMany([
      { farm: 'f', lot: 1 },
      { farm: 'f', lot: 2 },
      { farm: 'g', lot: 1 },
    ]);
    const err = await rejection(c.insertOne({ farm: 'f', lot: 2 }));
    expect(err.message).toBe(
      'E11000 duplicate key error collection: idx.compound index: farm_1_lot_-1 dup key: { farm: "f", lot: 2 }',
    );
    expect(err.keyPattern).toEqual({ farm: 1, lot: -1 });
  });

  test('sparse unique skips documents without the field; partial applies only to matching ones', async () => {
    const s = t.db.collection('sparse');
    await s.createIndex({ phone: 1 }, { unique: true, sparse: true });
    await s.insertMany([{ a: 1 }, { a: 2 }, { phone: '1' }]);
    expect((await rejection(s.insertOne({ phone: '1' }))).code).toBe(11000);
    const p = t.db.collection('partial');
    await p.createIndex({ sku: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await p.insertMany([
      { sku: 'x', active: false },
      { sku: 'x', active: false },
      { sku: 'x', active: true },
    ]);
    expect((await rejection(p.insertOne({ sku: 'x', active: true }))).code).toBe(11000);
  });

  test('a non-sparse unique index treats missing fields as null', async () => {
    const c = t.db.collection('nulls');
    await c.createIndex({ code: 1 }, { unique: true });
    await c.insertOne({ a: 1 });
    const err = await rejection(c.insertOne({ a: 2 }));
    expect(err.message).toMatch(/dup key: \{ code: null \}/);
  });

  test('creating a unique index over duplicates fails with 11000 and creates nothing', async () => {
    const c = t.db.collection('dups');
    await c.insertMany([{ v: 1 }, { v: 1 }]);
    expect((await rejection(c.createIndex({ v: 1 }, { unique: true }))).code).toBe(11000);
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });
});

describe('index management', () => {
  test('the same spec again is a no-op; different options under the same name is 85, a different key is 86', async () => {
    const c = t.db.collection('mgmt');
    await c.createIndex({ a: 1 });
    const again = await t.db.command({ createIndexes: 'mgmt', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
    expect(again).toMatchObject({ numIndexesBefore: 2, numIndexesAfter: 2, note: 'all indexes already exist' });
    expect((await rejection(c.createIndex({ a: 1 }, { unique: true }))).code).toBe(85);
    expect((await rejection(c.createIndex({ b: 1 }, { name: 'a_1' }))).code).toBe(86);
  });

  test('an invalid key pattern is 67 CannotCreateIndex', async () => {
    expect((await rejection(t.db.collection('mgmt').createIndex({ a: 0 } as never))).code).toBe(67);
    expect((await rejection(t.db.collection('mgmt').createIndex({ a: 'sideways' } as never))).code).toBe(67);
  });

  test('listIndexes shows options; dropIndexes by name, by key and "*"', async () => {
    const c = t.db.collection('listing');
    await c.createIndex({ a: 1 }, { unique: true });
    await c.createIndex({ b: -1 }, { sparse: true, name: 'bee' });
    await c.createIndex({ c: 1 });
    expect(await c.indexes()).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { a: 1 }, name: 'a_1', unique: true },
      { v: 2, key: { b: -1 }, name: 'bee', sparse: true },
      { v: 2, key: { c: 1 }, name: 'c_1' },
    ]);
    await c.dropIndex('bee');
    await c.dropIndex({ c: 1 } as never);
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'a_1']);
    expect((await rejection(c.dropIndex('nope'))).code).toBe(27);
    await c.dropIndexes();
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
    expect((await rejection(t.db.collection('never').indexes())).code).toBe(26);
  });
});

describe('index use', () => {
  beforeAll(async () => {
    const c = t.db.collection('big');
    await c.insertMany(Array.from({ length: 2000 }, (_, i) => ({ i, bucket: i % 100, name: `n${i}` })));
    await c.createIndex({ i: 1 });
    await c.createIndex({ bucket: 1, name: 1 });
  });

  async function explain(filter: object, extra: object = {}) {
    const r = await t.db.command({ explain: { find: 'big', filter, ...extra }, verbosity: 'executionStats' });
    return {
      plan: r.queryPlanner.winningPlan,
      examined: r.executionStats.totalDocsExamined as number,
      returned: r.executionStats.nReturned as number,
    };
  }

  test('equality, $in and ranges on an indexed field examine only candidates', async () => {
    expect(await explain({ i: 1234 })).toMatchObject({
      examined: 1,
      returned: 1,
      plan: { inputStage: { stage: 'IXSCAN', indexName: 'i_1' } },
    });
    expect(await explain({ i: { $in: [1, 2, 3] } })).toMatchObject({ examined: 3, returned: 3 });
    expect(await explain({ i: { $gte: 1990 } })).toMatchObject({ examined: 10, returned: 10 });
    expect(await explain({ i: { $gt: 10, $lt: 15 } })).toMatchObject({ examined: 4, returned: 4 });
    expect(await explain({ bucket: 7, name: 'n7' })).toMatchObject({ examined: 20, returned: 1 });
  });

  test('an unsorted, limited query stops once it has enough matches (a findOne reads one document, not the collection)', async () => {
    expect(await explain({}, { limit: 1 })).toMatchObject({ examined: 1, returned: 1, plan: { stage: 'COLLSCAN' } });
    // name alone has no index: the scan stops after skip + limit matches (n10..n19 are among the first 20 inserted)
    const unindexed = await explain({ name: { $regex: '^n1' } }, { skip: 2, limit: 3 });
    expect(unindexed).toMatchObject({ returned: 3 });
    expect(unindexed.examined).toBeLessThan(20);
    const c = t.db.collection('big');
    expect(await c.findOne({}, { sort: { $natural: 1 } })).toMatchObject({ i: 0 });
    expect(await c.aggregate([{ $match: { name: { $regex: '3$' } } }, { $skip: 1 }, { $limit: 2 }]).toArray()).toEqual([
      expect.objectContaining({ i: 13 }),
      expect.objectContaining({ i: 23 }),
    ]);
  });

  test("a sorted, limited query walks the sort field's index and stops early, in the right order", async () => {
    expect(await explain({ i: { $gte: 100 } }, { sort: { i: -1 }, limit: 5 })).toMatchObject({
      examined: 5,
      returned: 5,
    });
    expect(await explain({}, { sort: { i: 1 }, skip: 10, limit: 5 })).toMatchObject({ examined: 15, returned: 5 });
    const c = t.db.collection('big');
    expect(
      (
        await c
          .find({ i: { $gte: 100 } })
          .sort({ i: -1 })
          .limit(3)
          .toArray()
      ).map((d) => d.i),
    ).toEqual([1999, 1998, 1997]);
    expect(
      (
        await c
          .find({ i: { $lt: 1000 } })
          .sort({ i: 1 })
          .skip(2)
          .limit(3)
          .toArray()
      ).map((d) => d.i),
    ).toEqual([2, 3, 4]);
  });

  test('index order equals sort order across types, and arrays fall back to an in-memory sort', async () => {
    const c = t.db.collection('sortmix');
    await c.createIndex({ v: 1 });
    await c.insertMany([
      { _id: 1, v: 'b' },
      { _id: 2, v: 3 },
      { _id: 3 },
      { _id: 5, v: 'a' },
      { _id: 6, v: 1.5 },
    ] as never[]);
    const order = async () => (await c.find({}).sort({ v: -1 }).limit(10).toArray()).map((d) => d._id);
    expect(await order()).toEqual([1, 5, 2, 6, 3]);
    await c.insertOne({ _id: 7, v: [0, 'z'] } as never);
    expect(await order()).toEqual([7, 1, 5, 2, 6, 3]);
  });

  test('a top-level $or uses indexes when every branch can', async () => {
    expect(await explain({ $or: [{ i: 3 }, { bucket: 4, name: 'n4' }] })).toMatchObject({ examined: 21, returned: 2 });
    expect(await explain({ $or: [{ i: 3 }, { name: 'n4' }] })).toMatchObject({ examined: 2000, returned: 2 });
  });

  test('an unindexed filter scans the collection', async () => {
    expect(await explain({ name: 'n5' })).toMatchObject({ examined: 2000, returned: 1, plan: { stage: 'COLLSCAN' } });
  });

  test('updates and deletes use the index too and keep it in sync', async () => {
    const c = t.db.collection('big');
    await c.updateOne({ i: 5 }, { $set: { i: 5005 } });
    expect(await c.countDocuments({ i: 5 })).toBe(0);
    expect(await c.countDocuments({ i: 5005 })).toBe(1);
    await c.deleteOne({ i: 5005 });
    expect(await explain({ i: 5005 })).toMatchObject({ examined: 0, returned: 0 });
  });
});

describe('TTL', () => {
  test('documents whose indexed date is older than expireAfterSeconds are deleted by the sweep', async () => {
    const c = t.db.collection('sessions');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    const now = Date.now();
    await c.insertMany([
      { _id: 'old', at: new Date(now - 60_000) },
      { _id: 'fresh', at: new Date(now + 60_000) },
      { _id: 'no-date', at: 'yesterday' },
      { _id: 'array', at: [new Date(now + 60_000), new Date(now - 60_000)] },
    ] as never[]);
    await new Promise((r) => setTimeout(r, 400));
    expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['fresh', 'no-date']);
  });
});
