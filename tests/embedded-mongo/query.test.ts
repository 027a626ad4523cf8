import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'mongodb';
import { startTestServer, type TestServer } from './harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('query');
});
afterAll(async () => {
  await t.close();
});

async function ids(coll: string, filter: object, sort: object = { _id: 1 }): Promise<unknown[]> {
  return (
    await t.db
      .collection(coll)
      .find(filter)
      .sort(sort as never)
      .toArray()
  ).map((d) => d._id);
}

describe('comparison across numeric BSON types', () => {
  beforeAll(async () => {
    await t.db.collection('nums').insertMany([
      { _id: 1, v: new Int32(5) },
      { _id: 2, v: new Double(5.5) },
      { _id: 3, v: Long.fromNumber(6) },
      { _id: 4, v: Decimal128.fromString('10.25') },
      { _id: 5, v: Decimal128.fromString('9.75') },
      { _id: 6, v: '7' },
    ] as never[]);
  });

  test('equality matches the same value whatever the stored type', async () => {
    expect(await ids('nums', { v: 6 })).toEqual([3]);
    expect(await ids('nums', { v: new Double(5) })).toEqual([1]);
    expect(await ids('nums', { v: Decimal128.fromString('6') })).toEqual([3]);
  });

  test('ranges compare numerically, Decimal128 included, and skip strings', async () => {
    expect(await ids('nums', { v: { $gt: 5 } })).toEqual([2, 3, 4, 5]);
    expect(await ids('nums', { v: { $gte: Decimal128.fromString('9.8') } })).toEqual([4]);
    expect(await ids('nums', { v: { $lt: Long.fromNumber(6) } })).toEqual([1, 2]);
  });

  test('Decimal128 compares exactly, beyond double precision', async () => {
    const c = t.db.collection('exact');
    await c.insertMany([
      { _id: 1, v: Decimal128.fromString('0.1000000000000000000001') },
      { _id: 2, v: Decimal128.fromString('0.1') },
    ] as never[]);
    expect(await ids('exact', { v: { $gt: Decimal128.fromString('0.1') } })).toEqual([1]);
    expect(await ids('exact', { v: Decimal128.fromString('0.10') })).toEqual([2]);
  });

  test('Decimal128 values sort numerically, not as strings', async () => {
    expect(await ids('nums', { _id: { $in: [4, 5, 1] } }, { v: 1 })).toEqual([1, 5, 4]);
  });
});

describe('query operators', () => {
  beforeAll(async () => {
    await t.db.collection('ops').insertMany([
      {
        _id: 1,
        name: 'Apple',
        tags: ['red', 'fruit'],
        qty: 10,
        items: [
          { sku: 'a', n: 1 },
          { sku: 'b', n: 5 },
        ],
        meta: { origin: 'CN' },
      },
      { _id: 2, name: 'banana', tags: ['yellow', 'fruit'], qty: 0, items: [{ sku: 'a', n: 7 }] },
      { _id: 3, name: 'Carrot', tags: [], qty: null, items: [], meta: { origin: 'US' } },
      { _id: 4, name: 'durian', qty: '12' },
    ] as never[]);
  });

  test('$in, $nin (missing fields satisfy $nin), $ne', async () => {
    expect(await ids('ops', { qty: { $in: [0, 10] } })).toEqual([1, 2]);
    expect(await ids('ops', { qty: { $nin: [0, 10] } })).toEqual([3, 4]);
    expect(await ids('ops', { tags: { $in: ['fruit'] } })).toEqual([1, 2]);
    expect(await ids('ops', { 'meta.origin': { $ne: 'CN' } })).toEqual([2, 3, 4]);
  });

  test('$exists and null equality (null matches missing)', async () => {
    expect(await ids('ops', { meta: { $exists: true } })).toEqual([1, 3]);
    expect(await ids('ops', { meta: { $exists: false } })).toEqual([2, 4]);
    expect(await ids('ops', { qty: null })).toEqual([3]);
    expect(await ids('ops', { meta: null })).toEqual([2, 4]);
  });

  test('$type by name, number and "number"', async () => {
    expect(await ids('ops', { qty: { $type: 'string' } })).toEqual([4]);
    expect(await ids('ops', { qty: { $type: 'number' } })).toEqual([1, 2]);
    expect(await ids('ops', { qty: { $type: 10 } })).toEqual([3]);
    expect(await ids('ops', { tags: { $type: 'array' } })).toEqual([1, 2, 3]);
  });

  test('$regex with options, and regex literals', async () => {
    expect(await ids('ops', { name: { $regex: '^[a-c]', $options: 'i' } })).toEqual([1, 2, 3]);
    expect(await ids('ops', { name: /nan/ })).toEqual([2]);
    expect(await ids('ops', { name: new BSONRegExp('^d') })).toEqual([4]);
  });

  test('$elemMatch on documents and on values; dotted paths reach into arrays', async () => {
    expect(await ids('ops', { items: { $elemMatch: { sku: 'a', n: { $gt: 3 } } } })).toEqual([2]);
    // Without $elemMatch the two conditions may hold on different elements.
    expect(await ids('ops', { 'items.sku': 'a', 'items.n': { $gt: 3 } })).toEqual([1, 2]);
    expect(await ids('ops', { 'items.n': 5 })).toEqual([1]);
    expect(await ids('ops', { 'items.1.sku': 'b' })).toEqual([1]);
  });

  test('$size, $all, $not, $or, $nor, $and, $mod', async () => {
    expect(await ids('ops', { tags: { $size: 0 } })).toEqual([3]);
    expect(await ids('ops', { tags: { $all: ['fruit', 'red'] } })).toEqual([1]);
    expect(await ids('ops', { qty: { $not: { $gt: 5 } } })).toEqual([2, 3, 4]);
    expect(await ids('ops', { $or: [{ qty: 0 }, { name: 'Carrot' }] })).toEqual([2, 3]);
    expect(await ids('ops', { $nor: [{ qty: 0 }, { name: 'Carrot' }] })).toEqual([1, 4]);
    expect(await ids('ops', { $and: [{ tags: 'fruit' }, { qty: { $gte: 10 } }] })).toEqual([1]);
    expect(await ids('ops', { qty: { $mod: [5, 0] } })).toEqual([1, 2]);
  });

  test('$expr compares fields of the same document', async () => {
    expect(await ids('ops', { $expr: { $gt: [{ $size: { $ifNull: ['$items', []] } }, 1] } })).toEqual([1]);
  });

  test('an unknown operator is a BadValue error', async () => {
    await expect(
      t.db
        .collection('ops')
        .find({ qty: { $bogus: 1 } })
        .toArray(),
    ).rejects.toMatchObject({ code: 2 });
    // Even when the collection does not exist, as mongod validates before looking.
    await expect(t.db.collection('absent').find({ $bogus: 1 }).toArray()).rejects.toMatchObject({
      code: 2,
      message: 'unknown top level operator: $bogus',
    });
  });
});

describe('sort order', () => {
  test('values of different BSON types sort in mongod order', async () => {
    const c = t.db.collection('mixed');
    const docs = [
      { _id: 'maxkey', v: new MaxKey() },
      { _id: 'regex', v: /x/ },
      { _id: 'ts', v: new Timestamp({ t: 1, i: 1 }) },
      { _id: 'date', v: new Date(0) },
      { _id: 'bool', v: true },
      { _id: 'oid', v: new ObjectId() },
      { _id: 'bin', v: new Binary(Buffer.from('a')) },
      { _id: 'array', v: [[1]] },
      { _id: 'object', v: { a: 1 } },
      { _id: 'string', v: 'a' },
      { _id: 'number', v: 1 },
      { _id: 'null', v: null },
      { _id: 'minkey', v: new MinKey() },
    ];
    await c.insertMany(docs as never[]);
    expect(await ids('mixed', {}, { v: 1 })).toEqual([
      'minkey',
      'null',
      'number',
      'string',
      'object',
      'array',
      'bin',
      'oid',
      'bool',
      'date',
      'ts',
      'regex',
      'maxkey',
    ]);
  });

  test('arrays sort by their smallest element ascending and largest descending', async () => {
    const c = t.db.collection('arrsort');
    await c.insertMany([
      { _id: 'a', v: [1, 10] },
      { _id: 'b', v: [5] },
      { _id: 'c', v: [3, 7] },
    ] as never[]);
    expect(await ids('arrsort', {}, { v: 1 })).toEqual(['a', 'c', 'b']);
    expect(await ids('arrsort', {}, { v: -1 })).toEqual(['a', 'c', 'b']);
    await c.insertOne({ _id: 'd', v: 8 } as never);
    expect(await ids('arrsort', {}, { v: -1 })).toEqual(['a', 'd', 'c', 'b']);
  });

  test('missing fields sort with null, compound sorts break ties', async () => {
    const c = t.db.collection('compound');
    await c.insertMany([
      { _id: 1, a: 1, b: 2 },
      { _id: 2, a: 1, b: 1 },
      { _id: 3, b: 5 },
      { _id: 4, a: 0 },
    ] as never[]);
    expect(await ids('compound', {}, { a: 1, b: -1 })).toEqual([3, 4, 1, 2]);
  });
});
