import { Decimal128, Double, Int32, Long, Timestamp } from 'mongodb';
import { rejection, startTestServer, type TestServer } from './harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('update');
});
afterAll(async () => {
  await t.close();
});

let n = 0;
/** Inserts `doc` as _id 1 in a fresh collection, applies the update, returns the stored result. */
async function applied(doc: object, update: object, options: object = {}): Promise<Record<string, unknown> | null> {
  const c = t.db.collection(`u${n++}`);
  await c.insertOne({ _id: 1, ...doc } as never);
  await c.updateOne({ _id: 1 } as never, update as never, options);
  return c.findOne({ _id: 1 } as never, { promoteValues: false }) as Promise<Record<string, unknown> | null>;
}

async function updateError(doc: object, update: object, options: object = {}) {
  const c = t.db.collection(`u${n++}`);
  await c.insertOne({ _id: 1, ...doc } as never);
  return rejection(c.updateOne({ _id: 1 } as never, update as never, options));
}

describe('field operators', () => {
  test('$set creates nested objects along dotted paths; $unset removes', async () => {
    expect(await applied({ a: 1 }, { $set: { 'b.c.d': 'x' }, $unset: { a: '' } })).toEqual({
      _id: new Int32(1),
      b: { c: { d: 'x' } },
    });
  });

  test('$inc keeps int, widens to long on overflow and to double with a double', async () => {
    const r1 = await applied({ q: new Int32(2) }, { $inc: { q: new Int32(3) } });
    expect(r1?.q).toEqual(new Int32(5));
    const r2 = await applied({ q: new Int32(2147483647) }, { $inc: { q: new Int32(1) } });
    expect(r2?.q).toBeInstanceOf(Long);
    expect((r2?.q as Long).toString()).toBe('2147483648');
    const r3 = await applied({ q: new Int32(2) }, { $inc: { q: new Double(0.5) } });
    expect(r3?.q).toEqual(new Double(2.5));
    const r4 = await applied({}, { $inc: { fresh: 4 } });
    expect(r4?.fresh).toEqual(new Int32(4));
  });

  test('$inc and $mul on Decimal128 are exact (no binary-double rounding)', async () => {
    const r = await applied({ price: Decimal128.fromString('0.1') }, { $inc: { price: Decimal128.fromString('0.2') } });
    expect((r?.price as Decimal128).toString()).toBe('0.3');
    const m = await applied({ price: Decimal128.fromString('1.10') }, { $mul: { price: 3 } });
    expect((m?.price as Decimal128).toString()).toBe('3.30');
  });

  test('$mul, $min, $max, $rename, $currentDate', async () => {
    const r = await applied(
      { p: 3, lo: 5, hi: 5, old: 'v' },
      {
        $mul: { p: 2, missing: 3 },
        $min: { lo: 2 },
        $max: { hi: 4 },
        $rename: { old: 'renamed' },
        $currentDate: { at: true, ts: { $type: 'timestamp' } },
      },
    );
    expect(r).toMatchObject({
      p: new Int32(6),
      missing: new Int32(0),
      lo: new Int32(2),
      hi: new Int32(5),
      renamed: 'v',
    });
    expect(r?.old).toBeUndefined();
    expect(r?.at).toBeInstanceOf(Date);
    expect(r?.ts).toBeInstanceOf(Timestamp);
  });
});

describe('array operators', () => {
  test('$push with $each, $position, $sort and $slice', async () => {
    expect((await applied({ a: [5, 1] }, { $push: { a: { $each: [3, 9], $sort: 1, $slice: 3 } } }))?.a).toEqual(
      [1, 3, 5].map((x) => new Int32(x)),
    );
    expect((await applied({ a: [1, 2] }, { $push: { a: { $each: [0], $position: 0 } } }))?.a).toEqual(
      [0, 1, 2].map((x) => new Int32(x)),
    );
    expect((await applied({}, { $push: { a: 'x' } }))?.a).toEqual(['x']);
  });

  test('$addToSet treats numeric types as equal; $pull with a condition; $pullAll; $pop', async () => {
    expect((await applied({ a: [1, 2] }, { $addToSet: { a: { $each: [new Double(2), 3] } } }))?.a).toEqual(
      [1, 2, 3].map((x) => new Int32(x)),
    );
    expect((await applied({ a: [1, 5, 8, 2] }, { $pull: { a: { $gte: 5 } } }))?.a).toEqual(
      [1, 2].map((x) => new Int32(x)),
    );
    expect((await applied({ a: [{ k: 1 }, { k: 2 }] }, { $pull: { a: { k: 2 } } }))?.a).toEqual([{ k: new Int32(1) }]);
    expect((await applied({ a: [1, 2, 1, 3] }, { $pullAll: { a: [1, 3] } }))?.a).toEqual([new Int32(2)]);
    expect((await applied({ a: [1, 2, 3] }, { $pop: { a: -1 } }))?.a).toEqual([2, 3].map((x) => new Int32(x)));
  });

  test('positional $, $[] and $[id] with arrayFilters', async () => {
    const items = [
      { sku: 'a', n: 1 },
      { sku: 'b', n: 2 },
      { sku: 'c', n: 3 },
    ];
    const c = t.db.collection('positional');
    await c.insertOne({ _id: 1, items } as never);
    await c.updateOne({ _id: 1, 'items.sku': 'b' } as never, { $set: { 'items.$.n': 20 } });
    await c.updateOne({ _id: 1 } as never, { $inc: { 'items.$[].n': 100 } });
    await c.updateOne(
      { _id: 1 } as never,
      { $set: { 'items.$[big].flag': true } },
      { arrayFilters: [{ 'big.n': { $gt: 110 } }] },
    );
    expect((await c.findOne({ _id: 1 } as never))?.items).toEqual([
      { sku: 'a', n: 101 },
      { sku: 'b', n: 120, flag: true },
      { sku: 'c', n: 103 },
    ]);
  });
});

describe('update errors', () => {
  test('$inc on a non-number fails with 14 TypeMismatch and changes nothing', async () => {
    const c = t.db.collection('typemismatch');
    await c.insertOne({ _id: 1, q: 'ten', other: 1 } as never);
    const err = await rejection(c.updateOne({ _id: 1 } as never, { $inc: { q: 1, other: 1 } }));
    expect(err.code).toBe(14);
    expect(err.message).toMatch(/Cannot apply \$inc to a value of non-numeric type/);
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, q: 'ten', other: 1 });
    expect((await updateError({ q: 1 }, { $mul: { q: 'x' } })).code).toBe(14);
  });

  test('changing _id fails with 66 ImmutableField', async () => {
    const err = await updateError({}, { $set: { _id: 2 } });
    expect(err.code).toBe(66);
    expect(err.message).toBe("Performing an update on the path '_id' would modify the immutable field '_id'");
    const c = t.db.collection('immutable');
    await c.insertOne({ _id: 1, a: 1 } as never);
    expect((await rejection(c.replaceOne({ _id: 1 } as never, { _id: 2, a: 2 } as never))).code).toBe(66);
    // Setting _id to its current value is allowed.
    expect((await c.updateOne({ _id: 1 } as never, { $set: { _id: 1, a: 3 } } as never)).modifiedCount).toBe(1);
  });

  test('conflicting paths fail with 40', async () => {
    const err = await updateError({ a: { b: 1 } }, { $set: { a: 1 }, $inc: { 'a.b': 1 } });
    expect(err.code).toBe(40);
    expect(err.message).toMatch(/would create a conflict at 'a'/);
  });

  test('an unknown modifier is rejected, and a failed update in a batch reports its index', async () => {
    expect((await updateError({}, { $frobnicate: { a: 1 } })).code).toBe(9);
    const reply = await t.db.command({
      update: 'batch',
      ordered: false,
      updates: [
        { q: { _id: 1 }, u: { $set: { a: 1 } }, upsert: true },
        { q: { _id: 1 }, u: { $inc: { a: 'x' } } },
        { q: { _id: 2 }, u: { $set: { a: 2 } }, upsert: true },
      ],
    });
    expect(reply.n).toBe(2);
    expect(reply.writeErrors).toEqual([expect.objectContaining({ index: 1, code: 14 })]);
  });
});

describe('pipeline updates and replacement', () => {
  test('an aggregation-pipeline update computes from existing fields', async () => {
    const r = await applied({ price: 10, qty: 3 }, [{ $set: { total: { $multiply: ['$price', '$qty'] } } }]);
    expect(Number(r?.total)).toBe(30);
    expect(Number(r?._id)).toBe(1);
  });

  test('a replacement document keeps _id and drops other fields', async () => {
    const c = t.db.collection('replacement');
    await c.insertOne({ _id: 1, a: 1, b: 2 } as never);
    await c.replaceOne({ a: 1 }, { c: 3 });
    expect(await c.findOne({})).toEqual({ _id: 1, c: 3 });
  });
});
