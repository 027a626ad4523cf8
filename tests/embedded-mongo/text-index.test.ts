import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { Collection } from '../../server/embedded-mongo/engine/collection';
import { openEngineStore } from '../fixtures/engine-store';
import { rejection } from './harness';

/**
 * A text index keeps its postings in LMDB: built over existing documents, kept through
 * inserts, updates and deletes, still there after a restart, gone with dropIndex. An indexed
 * $text answers what a scan (hint $natural) answers, scores included, and reads fewer documents.
 */
const dbPath = mkdtempSync(join(tmpdir(), 'embedded-text-index-'));
afterAll(() => rmSync(dbPath, { recursive: true, force: true }));

async function withServer<T>(fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const server = await startEmbeddedMongo({ dbPath, port: 0 });
  const client = await MongoClient.connect(server.uri);
  try {
    return await fn(client);
  } finally {
    await client.close();
    await server.close();
  }
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(7);
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];

const words = ['新鲜', '蔬菜', '寿光', '西红柿', '黄瓜', '有机', '白菜', '大葱', '土豆'];
const english = ['fresh', 'tomatoes', 'cucumber', 'organic', 'Searching', 'Café', 'farms', 'the', 'green'];

function aLot(i: number): Document {
  const name = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(words)).join('');
  const note = Array.from({ length: Math.floor(rnd() * 4) }, () => pick(english)).join(' ');
  return rnd() < 0.1 ? { _id: i, name, note, language: 'none' } : { _id: i, name, note };
}

function aSearch(): string {
  const parts = [pick(words), pick(english)];
  if (rnd() < 0.3) parts.push(`-${pick(english)}`);
  if (rnd() < 0.2) parts.push(`"${pick(words)}"`);
  if (rnd() < 0.2) parts.push(`-${pick(words)}`);
  return parts.join(' ');
}

async function compare(client: MongoClient, search: string): Promise<void> {
  const lots = client.db('text').collection('lots');
  const filter = { $text: { $search: search } };
  const projection = { score: { $meta: 'textScore' } };
  const indexed = await lots.find(filter, { projection }).toArray();
  const scanned = await lots.find(filter, { projection }).hint({ $natural: 1 }).toArray();
  expect(indexed).toEqual(scanned);
}

test('postings are built, kept through writes, survive a restart and go with dropIndex', async () => {
  await withServer(async (client) => {
    const lots = client.db('text').collection('lots');
    await lots.insertMany(Array.from({ length: 300 }, (_, i) => aLot(i)));
    await lots.createIndex({ name: 'text', note: 'text' }, { weights: { name: 3 } });
    await lots.insertMany(Array.from({ length: 300 }, (_, i) => aLot(300 + i)));
    for (let i = 0; i < 600; i += 7) await lots.updateOne({ _id: i } as Document, { $set: aLot(i) });
    await lots.deleteMany({ _id: { $mod: [11, 0] } } as Document);
    for (let q = 0; q < 40; q++) await compare(client, aSearch());
    await compare(client, 'searches café');
    await compare(client, '"有机蔬菜"');

    const plan = await lots.find({ $text: { $search: '西红柿' } }).explain('executionStats');
    expect(plan.queryPlanner.winningPlan.stage).toBe('TEXT_MATCH');
    expect(plan.queryPlanner.winningPlan.indexName).toBe('name_text_note_text');
    const matched = await lots.countDocuments({ $text: { $search: '西红柿' } });
    // Only documents holding the term are read (the scan reads all 545).
    expect(plan.executionStats.totalDocsExamined).toBe(matched);
    expect(matched).toBeLessThan(400);
    // A case-sensitive search cannot use the folded postings: a scan answers it.
    const sensitive = await lots.find({ $text: { $search: 'Café', $caseSensitive: true } }).explain();
    expect(sensitive.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
  });
  await withServer(async (client) => {
    const lots = client.db('text').collection('lots');
    const plan = await lots.find({ $text: { $search: '黄瓜 fresh' } }).explain('executionStats');
    expect(plan.queryPlanner.winningPlan.stage).toBe('TEXT_MATCH');
    for (let q = 0; q < 10; q++) await compare(client, aSearch());
    await lots.insertOne({ _id: 'after', name: '大葱土豆', note: 'after restart' } as Document);
    expect((await lots.find({ $text: { $search: 'restart' } }).toArray()).map((d) => d._id)).toEqual(['after']);
    await lots.dropIndex('name_text_note_text');
    expect((await rejection(lots.find({ $text: { $search: '大葱' } }).toArray())).code).toBe(27);
  });
});

test('a 2dsphere index survives a restart and still answers $near from its cells', async () => {
  await withServer(async (client) => {
    const farms = client.db('text').collection('farms');
    await farms.createIndex({ loc: '2dsphere' });
    await farms.insertMany(
      Array.from({ length: 200 }, (_, i) => ({
        _id: i,
        loc: { type: 'Point', coordinates: [118 + (i % 20) * 0.05, 36 + Math.floor(i / 20) * 0.05] },
      })) as Document[],
    );
  });
  await withServer(async (client) => {
    const farms = client.db('text').collection('farms');
    const filter = { loc: { $near: { $geometry: { type: 'Point', coordinates: [118.5, 36.2] } } } };
    const plan = await farms.find(filter).limit(5).explain('executionStats');
    expect(plan.queryPlanner.winningPlan.stage).toBe('GEO_NEAR_2DSPHERE');
    expect(plan.executionStats.totalDocsExamined).toBeLessThan(50);
    const indexed = await farms.find(filter).limit(5).toArray();
    const scanned = await farms.find(filter).limit(5).hint({ $natural: 1 }).toArray();
    expect(indexed.map((d) => d._id)).toEqual(scanned.map((d) => d._id));
    expect(indexed[0]._id).toBe(90);
  });
});

test('a text index stored without postings (an older release) is scanned until createIndex asks for it again', async () => {
  const oldDir = mkdtempSync(join(tmpdir(), 'embedded-text-old-'));
  try {
    const store = await openEngineStore({ dir: oldDir });
    const lots = store.collection('lots', 'old');
    for (let i = 0; i < 50; i++)
      store.track(lots.put(Collection.keyOf({ _id: i }), { _id: i, name: i % 5 === 0 ? '寿光大葱' : '青州土豆' }));
    // The catalog as the release before postings wrote it: the spec, an id, no entries.
    const meta = lots.meta();
    store.ops.push({
      op: 'putMeta',
      meta: {
        ...meta,
        indexes: [...meta.indexes, { v: 2, key: { name: 'text' }, name: 'name_text' }],
        indexIds: { name_text: 900 },
      },
      index: [],
    });
    await store.close();
    const server = await startEmbeddedMongo({ dbPath: oldDir, port: 0 });
    const client = await MongoClient.connect(server.uri);
    try {
      const c = client.db('old').collection('lots');
      const search = { $text: { $search: '大葱' } };
      expect((await c.find(search).explain()).queryPlanner.winningPlan.stage).toBe('COLLSCAN');
      expect(await c.countDocuments(search)).toBe(10);
      await c.createIndex({ name: 'text' });
      expect((await c.find(search).explain()).queryPlanner.winningPlan.stage).toBe('TEXT_MATCH');
      expect(await c.countDocuments(search)).toBe(10);
    } finally {
      await client.close();
      await server.close();
    }
  } finally {
    rmSync(oldDir, { recursive: true, force: true });
  }
});
