import { Long } from 'mongodb';
import { rejection, startTestServer, type TestServer } from './harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('cmds');
});
afterAll(async () => {
  await t.close();
});

describe('handshake and diagnostics', () => {
  test('hello describes a writable standalone without topologyVersion', async () => {
    const hello = await t.db.admin().command({ hello: 1 }, { promoteLongs: false });
    expect(hello).toMatchObject({
      isWritablePrimary: true,
      minWireVersion: 0,
      logicalSessionTimeoutMinutes: 30,
      ok: 1,
    });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(17);
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(hello.topologyVersion).toBeUndefined();
    expect(hello.setName).toBeUndefined();
    const legacy = await t.db.admin().command({ isMaster: 1 });
    expect(legacy.ismaster).toBe(true);
  });

  test('buildInfo version agrees with the wire version; ping, serverStatus, whatsmyuri answer', async () => {
    const info = await t.db.admin().command({ buildInfo: 1 });
    expect(info.version).toMatch(/^7\.0\./);
    expect(info.versionArray.slice(0, 2)).toEqual([7, 0]);
    expect(await t.db.admin().command({ ping: 1 })).toEqual({ ok: 1 });
    expect((await t.db.admin().command({ serverStatus: 1 })).ok).toBe(1);
    expect((await t.db.admin().command({ whatsmyuri: 1 })).you).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(
      (await t.db.admin().command({ getParameter: 1, featureCompatibilityVersion: 1 })).featureCompatibilityVersion,
    ).toEqual({ version: '7.0' });
  });

  test('an unknown command is 59 CommandNotFound', async () => {
    const err = await rejection(t.db.command({ frobnicate: 1 }));
    expect(err).toMatchObject({ code: 59, codeName: 'CommandNotFound', message: "no such command: 'frobnicate'" });
  });

  test('authentication is refused clearly', async () => {
    const err = await rejection(
      t.db.admin().command({ saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: Buffer.from('x') }),
    );
    expect(err.code).toBe(18);
  });
});

describe('unsupported on a standalone', () => {
  test('transactions fail with 20 IllegalOperation', async () => {
    const session = t.client.startSession();
    try {
      session.startTransaction();
      const err = (await rejection(t.db.collection('tx').insertOne({ a: 1 }, { session }))) as {
        originalError?: { code?: number; message: string };
      };
      // The driver wraps a standalone's code 20 exactly as it does with a real mongod.
      expect(err.originalError?.code).toBe(20);
      expect(err.originalError?.message).toBe('Transaction numbers are only allowed on a replica set member or mongos');
    } finally {
      await session.endSession();
    }
    expect(
      (
        await rejection(
          t.db.admin().command({ commitTransaction: 1, txnNumber: Long.fromNumber(1), autocommit: false }),
        )
      ).code,
    ).toBe(20);
  });

  test('change streams fail with 40573', async () => {
    await t.db.collection('cs').insertOne({ a: 1 });
    const err = await rejection(
      t.db
        .collection('cs')
        .aggregate([{ $changeStream: {} }])
        .toArray(),
    );
    expect(err.code).toBe(40573);
    const stream = t.db.collection('cs').watch();
    const streamErr = await rejection(stream.tryNext());
    expect(streamErr.code).toBe(40573);
    await stream.close();
  });
});

describe('collections and databases', () => {
  test('create, listCollections with filter and nameOnly, duplicate create is 48', async () => {
    await t.db.createCollection('alpha');
    await t.db.createCollection('beta', { capped: false });
    const names = (await t.db.listCollections({ name: { $in: ['alpha', 'beta'] } }, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(['alpha', 'beta']);
    const full = await t.db.listCollections({ name: 'alpha' }).toArray();
    expect(full[0]).toMatchObject({ name: 'alpha', type: 'collection', idIndex: { name: '_id_' } });
    expect((await rejection(t.db.createCollection('alpha'))).code).toBe(48);
  });

  test('renameCollection moves documents and indexes; an existing target needs dropTarget', async () => {
    const c = t.db.collection('before');
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    await c.createIndex({ a: 1 }, { unique: true });
    await c.rename('after');
    expect(await t.db.collection('after').countDocuments()).toBe(2);
    expect((await t.db.collection('after').indexes()).map((i) => i.name)).toEqual(['_id_', 'a_1']);
    expect(await t.db.collection('before').countDocuments()).toBe(0);
    await t.db.collection('other').insertOne({ x: 1 });
    expect((await rejection(t.db.collection('after').rename('other'))).code).toBe(48);
    await t.db.collection('after').rename('other', { dropTarget: true });
    expect(await t.db.collection('other').countDocuments()).toBe(2);
  });

  test('drop and dropDatabase; listDatabases reflects them', async () => {
    const db = t.client.db('scratch');
    await db.collection('a').insertOne({ a: 1 });
    await db.collection('b').insertOne({ b: 1 });
    expect(await db.collection('a').drop()).toBe(true);
    let dbs = (await t.client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(dbs).toContain('scratch');
    await db.dropDatabase();
    dbs = (await t.client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(dbs).not.toContain('scratch');
    expect(await db.listCollections().toArray()).toEqual([]);
  });

  test('views are read-only and show their pipeline output', async () => {
    await t.db.collection('stock').insertMany([{ kg: 5 }, { kg: 0 }, { kg: 3 }]);
    await t.db.createCollection('inStock', { viewOn: 'stock', pipeline: [{ $match: { kg: { $gt: 0 } } }] });
    expect(await t.db.collection('inStock').countDocuments()).toBe(2);
    expect((await t.db.collection('inStock').find({ kg: 3 }).toArray()).length).toBe(1);
    expect((await rejection(t.db.collection('inStock').insertOne({ kg: 1 }))).code).toBe(166);
  });
});

describe('validators and collMod', () => {
  test('a validator set by collMod refuses bad writes with 121 unless bypassed', async () => {
    const c = t.db.collection('validated');
    await c.insertOne({ _id: 1, kg: 5 } as never);
    await t.db.command({ collMod: 'validated', validator: { kg: { $type: 'number', $gte: 0 } } });
    const err = (await rejection(c.updateOne({ _id: 1 } as never, { $set: { kg: -1 } }))) as {
      code?: number;
      errInfo?: { failingDocumentId?: unknown };
    };
    expect(err.code).toBe(121);
    expect(err.errInfo?.failingDocumentId).toBe(1);
    expect((await rejection(c.insertOne({ kg: 'lots' }))).code).toBe(121);
    await c.insertOne({ kg: 'lots' }, { bypassDocumentValidation: true });
    expect(await c.countDocuments()).toBe(2);
  });

  test("collMod changes a TTL index's expireAfterSeconds", async () => {
    await t.db.collection('ttlmod').createIndex({ at: 1 }, { expireAfterSeconds: 100 });
    const r = await t.db.command({ collMod: 'ttlmod', index: { keyPattern: { at: 1 }, expireAfterSeconds: 5 } });
    expect(r).toMatchObject({ expireAfterSeconds_old: 100, expireAfterSeconds_new: 5, ok: 1 });
    expect((await t.db.collection('ttlmod').indexes())[1].expireAfterSeconds).toBe(5);
  });
});

describe('aggregate', () => {
  beforeAll(async () => {
    await t.db.collection('farms').insertMany([
      { _id: 'f1', name: 'Green' },
      { _id: 'f2', name: 'Hill' },
    ] as never[]);
    await t.db.collection('lots').insertMany([
      { farm: 'f1', kind: 'tea', kg: 10 },
      { farm: 'f1', kind: 'rice', kg: 5 },
      { farm: 'f2', kind: 'tea', kg: 7 },
    ]);
  });

  test('$match, $group, $sort', async () => {
    const r = await t.db
      .collection('lots')
      .aggregate([
        { $match: { kg: { $gte: 5 } } },
        { $group: { _id: '$kind', total: { $sum: '$kg' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { _id: 'tea', total: 17, n: 2 },
      { _id: 'rice', total: 5, n: 1 },
    ]);
  });

  test('$lookup, $unwind and $project join farms to lots', async () => {
    const r = await t.db
      .collection('lots')
      .aggregate([
        { $match: { kind: 'tea' } },
        { $lookup: { from: 'farms', localField: 'farm', foreignField: '_id', as: 'farmDoc' } },
        { $unwind: '$farmDoc' },
        { $project: { _id: 0, farm: '$farmDoc.name', kg: 1 } },
        { $sort: { kg: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { kg: 7, farm: 'Hill' },
      { kg: 10, farm: 'Green' },
    ]);
  });

  test('$facet and $count', async () => {
    const [r] = await t.db
      .collection('lots')
      .aggregate([
        {
          $facet: {
            heavy: [{ $match: { kg: { $gt: 6 } } }, { $count: 'n' }],
            kinds: [{ $group: { _id: '$kind' } }, { $sort: { _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(r).toEqual({ heavy: [{ n: 2 }], kinds: [{ _id: 'rice' }, { _id: 'tea' }] });
  });

  test('a large aggregate result is returned through getMore', async () => {
    await t.db.collection('many').insertMany(Array.from({ length: 300 }, (_, i) => ({ i })));
    const all = await t.db
      .collection('many')
      .aggregate([{ $sort: { i: -1 } }], { batchSize: 50 })
      .toArray();
    expect(all).toHaveLength(300);
    expect(all[0].i).toBe(299);
  });

  test('a leading $sort/$skip/$limit keeps BSON order across numeric types', async () => {
    const c = t.db.collection('aggsort');
    await c.insertMany([{ v: 10 }, { v: 2.5 }, { v: 'x' }, { v: 7 }]);
    const r = await c
      .aggregate([
        { $match: { v: { $type: 'number' } } },
        { $sort: { v: -1 } },
        { $skip: 1 },
        { $limit: 2 },
        { $project: { _id: 0, v: 1 } },
      ])
      .toArray();
    expect(r).toEqual([{ v: 7 }, { v: 2.5 }]);
  });

  test('$out writes the result to a collection', async () => {
    await t.db
      .collection('lots')
      .aggregate([{ $group: { _id: '$farm', kg: { $sum: '$kg' } } }, { $out: 'farmTotals' }])
      .toArray();
    expect(await t.db.collection('farmTotals').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'f1', kg: 15 },
      { _id: 'f2', kg: 7 },
    ]);
  });
});
