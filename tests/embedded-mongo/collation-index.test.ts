import type { Document } from 'mongodb';
import { rejection, startTestServer, type TestServer } from './harness';

/**
 * Indexes with a collation: stored and listed as mongod lists them, the collection's default
 * applied, used for string equality only by a query with the same collation, and unique under
 * it (strength 2: 'ABC' after 'abc' is a duplicate).
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('collationindex');
});
afterAll(async () => {
  await t.close();
});

const en2 = { locale: 'en', strength: 2 };

async function winning(cursor: { explain(v: string): Promise<Document> }): Promise<Document> {
  const plan = await cursor.explain('executionStats');
  return plan.queryPlanner.winningPlan;
}

test('createIndex stores the collation, listIndexes shows it; the collection default applies unless simple', async () => {
  const lots = t.db.collection('lots');
  await lots.createIndex({ name: 1 }, { collation: en2 });
  const listed = (await lots.listIndexes().toArray()).find((i) => i.name === 'name_1');
  expect(listed?.collation).toMatchObject({ locale: 'en', strength: 2, caseLevel: false, numericOrdering: false });
  // Same key, another collation: another index (it needs its own name).
  await lots.createIndex({ name: 1 }, { name: 'name_binary' });
  expect((await lots.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'name_1', 'name_binary']);

  await t.db.createCollection('cities', { collation: { locale: 'fr', strength: 1 } });
  const cities = t.db.collection('cities');
  await cities.createIndex({ city: 1 });
  await cities.createIndex({ code: 1 }, { collation: { locale: 'simple' } });
  const byName = new Map((await cities.listIndexes().toArray()).map((i) => [i.name, i]));
  expect(byName.get('city_1')?.collation).toMatchObject({ locale: 'fr', strength: 1 });
  expect(byName.get('code_1')?.collation).toBeUndefined();
  expect((await rejection(cities.createIndex({ x: 1 }, { collation: { strength: 2 } as never }))).code).toBe(2);
});

test('a query with the index collation looks strings up by equality; another collation or none does not', async () => {
  const c = t.db.collection('names');
  await c.createIndex({ name: 1 }, { collation: en2 });
  await c.insertMany([
    { _id: 1, name: 'abc' },
    { _id: 2, name: 'ABC' },
    { _id: 3, name: 'Abc' },
    { _id: 4, name: 'ábc' },
    { _id: 5, name: 'abd' },
    { _id: 6, name: 7 },
  ] as Document[]);
  const same = c.find({ name: 'aBc' }).collation(en2);
  expect((await same.toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
  expect(await winning(c.find({ name: 'aBc' }).collation(en2))).toMatchObject({
    stage: 'FETCH',
    inputStage: { stage: 'IXSCAN', indexName: 'name_1' },
  });
  const inList = await c
    .find({ name: { $in: ['ABD', 'ÁBC'] } })
    .collation(en2)
    .toArray();
  // An $in comes in index order (as on mongod), not _id order.
  expect(inList.map((d) => d._id).sort()).toEqual([4, 5]);
  // Binary comparison: only the exact string, and not through the folded index.
  expect((await c.find({ name: 'abc' }).toArray()).map((d) => d._id)).toEqual([1]);
  expect((await winning(c.find({ name: 'abc' }))).stage).toBe('COLLSCAN');
  // Strength 1 also ignores accents: another collation, so a scan.
  const base = { locale: 'en', strength: 1 };
  expect((await c.find({ name: 'abc' }).collation(base).toArray()).map((d) => d._id)).toEqual([1, 2, 3, 4]);
  expect((await winning(c.find({ name: 'abc' }).collation(base))).stage).toBe('COLLSCAN');
  // Numbers are not folded: any collation may use the index for them.
  expect((await winning(c.find({ name: 7 }))).inputStage).toEqual({ stage: 'IXSCAN', indexName: 'name_1' });
  // String ranges: folded keys are not in the collation's order, so no index; the answer is still right.
  const range = await c
    .find({ name: { $gt: 'abc' } })
    .collation(en2)
    .toArray();
  expect(range.map((d) => d._id)).toEqual([4, 5]);
  expect((await winning(c.find({ name: { $gt: 'abc' } }).collation(en2))).stage).toBe('COLLSCAN');
});

test('the collection default collation lets a plain find use its index', async () => {
  const cities = t.db.collection('cities');
  await cities.insertMany([
    { _id: 1, city: 'Paris' },
    { _id: 2, city: 'PARÍS' },
    { _id: 3, city: 'Lyon' },
  ] as Document[]);
  expect((await cities.find({ city: 'paris' }).toArray()).map((d) => d._id)).toEqual([1, 2]);
  expect((await winning(cities.find({ city: 'paris' }))).inputStage).toEqual({ stage: 'IXSCAN', indexName: 'city_1' });
});

test('a unique index with strength 2 refuses a string equal to a stored one but for case', async () => {
  const users = t.db.collection('users');
  await users.createIndex({ login: 1 }, { unique: true, collation: en2 });
  await users.insertOne({ login: 'abc' });
  const dup = await rejection(users.insertOne({ login: 'ABC' }));
  expect(dup.code).toBe(11000);
  await users.insertOne({ login: 'ábc' });
  const other = t.db.collection('users2');
  await other.insertMany([{ login: 'Wang' }, { login: 'WANG' }]);
  expect((await rejection(other.createIndex({ login: 1 }, { unique: true, collation: en2 }))).code).toBe(11000);
  await other.createIndex({ login: 1 }, { unique: true });
});

test('indexed lookups under strength 1 and 2 equal a scan over mixed case and accents', async () => {
  const words = [
    'Cote',
    'côte',
    'coté',
    'Côté',
    'COTE',
    'cote',
    'Straße',
    'STRASSE',
    'strasse',
    'ｃｏｔｅ',
    'Éclair',
    'eclair',
    '鲜链',
  ];
  for (const strength of [1, 2]) {
    const collation = { locale: 'en', strength };
    const c = t.db.collection(`words${strength}`);
    await c.createIndex({ w: 1 }, { collation });
    await c.insertMany(words.map((w, i) => ({ _id: i, w })) as Document[]);
    for (const w of words) {
      const indexed = await c.find({ w }).collation(collation).toArray();
      const scanned = await c.find({ w }).collation(collation).hint({ $natural: 1 }).toArray();
      expect(indexed).toEqual(scanned);
    }
  }
});
