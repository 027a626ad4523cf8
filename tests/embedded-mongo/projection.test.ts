import { DBRef, type Document } from 'mongodb';
import { rejection, startTestServer, type TestServer } from './harness';

/** find projections as mongod 7.0 evaluates them (projection_ast rules), through the driver. */
let t: TestServer;
const doc = {
  _id: 1,
  name: 'bok choy',
  account: { amount: 5, currency: 'CNY' },
  arr: [1, 2, 3, 4],
  items: [
    { name: 'a', qty: 1 },
    { name: 'b', qty: 2 },
  ],
  tags: ['fresh', 'leafy', 'local'],
};

beforeAll(async () => {
  t = await startTestServer('projection');
  await t.db.collection('p').insertOne(doc as Document);
});
afterAll(async () => {
  await t.close();
});

async function project(projection: Document, filter: Document = {}): Promise<Document | null> {
  return t.db.collection('p').findOne(filter, { projection });
}

describe('inclusion, exclusion and _id', () => {
  test('{_id: 1} alone returns only _id', async () => {
    expect(await project({ _id: 1 })).toEqual({ _id: 1 });
  });

  test('{_id: 0} alone returns everything else', async () => {
    const { _id: _omit, ...rest } = doc;
    expect(await project({ _id: 0 })).toEqual(rest);
  });

  test('inclusion keeps the document order and _id unless excluded', async () => {
    expect(await project({ tags: 1, name: 1 })).toEqual({ _id: 1, name: 'bok choy', tags: doc.tags });
    expect(await project({ name: 1, _id: 0 })).toEqual({ name: 'bok choy' });
  });

  test('mixing inclusion and exclusion fails with mongod codes', async () => {
    expect((await rejection(project({ name: 1, arr: 0 }))).code).toBe(31254);
    expect((await rejection(project({ arr: 0, name: 1 }))).code).toBe(31253);
    expect((await rejection(project({ 'account.amount': 1, account: 1 }))).code).toBe(31250);
  });

  test('the nested form equals the dotted form', async () => {
    expect(await project({ account: { amount: 1 } })).toEqual({ _id: 1, account: { amount: 5 } });
    expect(await project({ 'account.amount': 1 })).toEqual({ _id: 1, account: { amount: 5 } });
    expect(await project({ account: { amount: 0 }, _id: 0, arr: 0, items: 0, tags: 0, name: 0 })).toEqual({
      account: { currency: 'CNY' },
    });
  });

  test('a dotted inclusion reaches into arrays of documents', async () => {
    expect(await project({ 'items.name': 1, _id: 0 })).toEqual({ items: [{ name: 'a' }, { name: 'b' }] });
  });

  test('literals and field paths are computed fields (an inclusion)', async () => {
    expect(await project({ n: '$name', k: 'literal', _id: 0 })).toEqual({ n: 'bok choy', k: 'literal' });
    expect((await rejection(project({ arr: 0, k: 'literal' }))).code).toBe(31310);
  });
});

describe('$slice, $elemMatch and positional', () => {
  test('$slice alone keeps every other field', async () => {
    const { arr: _arr, ...rest } = doc;
    expect(await project({ arr: { $slice: 2 } })).toEqual({ ...rest, arr: [1, 2] });
    expect((await project({ arr: { $slice: -1 } }))?.arr).toEqual([4]);
    expect((await project({ arr: { $slice: [1, 2] } }))?.arr).toEqual([2, 3]);
    expect((await project({ arr: { $slice: [-3, 1] } }))?.arr).toEqual([2]);
  });

  test('$slice with _id: 1 or another inclusion is an inclusion', async () => {
    expect(await project({ _id: 1, arr: { $slice: 1 } })).toEqual({ _id: 1, arr: [1] });
    expect(await project({ name: 1, arr: { $slice: 1 } })).toEqual({ _id: 1, name: 'bok choy', arr: [1] });
  });

  test('$slice argument errors', async () => {
    expect((await rejection(project({ arr: { $slice: [1, 0] } }))).code).toBe(31259);
    expect((await rejection(project({ arr: { $slice: [1] } }))).code).toBe(31272);
  });

  test('$elemMatch with only an operator on an array of scalars', async () => {
    expect(await project({ tags: { $elemMatch: { $in: ['leafy', 'local'] } } })).toEqual({ _id: 1, tags: ['leafy'] });
  });

  test('$elemMatch on documents returns the first match after the other fields', async () => {
    expect(await project({ items: { $elemMatch: { qty: { $gt: 1 } } }, name: 1 })).toEqual({
      _id: 1,
      name: 'bok choy',
      items: [{ name: 'b', qty: 2 }],
    });
    expect(await project({ items: { $elemMatch: { qty: 9 } } })).toEqual({ _id: 1 });
    expect((await rejection(project({ 'items.x': { $elemMatch: { a: 1 } } }))).code).toBe(31275);
  });

  test('positional $ returns the element the query matched', async () => {
    expect(await project({ 'items.$': 1 }, { 'items.qty': 2 })).toEqual({ _id: 1, items: [{ name: 'b', qty: 2 }] });
    expect((await rejection(project({ 'items.$': 0 }, { 'items.qty': 2 }))).code).toBe(31395);
    expect(
      (await rejection(project({ 'items.$': 1, tags: { $elemMatch: { $eq: 'x' } } }, { 'items.qty': 2 }))).code,
    ).toBe(31255);
  });
});

describe('$elemMatch with DBRef fields', () => {
  test('a query $elemMatch on {$ref, $id} matches DBRefs', async () => {
    const c = t.db.collection('refs');
    await c.insertOne({ _id: 1 as never, owners: [new DBRef('users', 7 as never), new DBRef('users', 8 as never)] });
    expect(await c.countDocuments({ owners: { $elemMatch: { $ref: 'users', $id: 8 } } })).toBe(1);
    expect(await c.countDocuments({ owners: { $elemMatch: { $ref: 'users', $id: 9 } } })).toBe(0);
  });
});
