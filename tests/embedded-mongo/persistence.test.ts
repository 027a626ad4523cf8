import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal128, Long, MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { rejection } from './harness';

/** A clean restart on the same dbPath brings back documents, types, indexes and collection options. */
const dbPath = mkdtempSync(join(tmpdir(), 'embedded-persist-'));
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

test('documents, BSON types, unique indexes, views and deletions survive a restart', async () => {
  await withServer(async (client) => {
    const db = client.db('persist');
    await db.collection('lots').createIndex({ code: 1 }, { unique: true });
    await db.collection('lots').insertMany([
      { _id: 1, code: 'a', big: Long.fromString('9007199254740993'), price: Decimal128.fromString('1.10') },
      { _id: 2, code: 'b' },
      { _id: 3, code: 'c' },
    ] as never[]);
    await db.collection('lots').deleteOne({ _id: 3 } as never);
    await db.collection('lots').updateOne({ _id: 2 } as never, { $set: { kg: 4 } });
    await db.createCollection('bView', { viewOn: 'lots', pipeline: [{ $match: { code: 'b' } }] });
  });
  await withServer(async (client) => {
    const db = client.db('persist');
    const docs = await db.collection('lots').find({}, { promoteLongs: false }).sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual([1, 2]);
    expect((docs[0].big as Long).toString()).toBe('9007199254740993');
    expect((docs[0].price as Decimal128).toString()).toBe('1.10');
    expect(docs[1].kg).toBe(4);
    expect((await rejection(db.collection('lots').insertOne({ code: 'a' }))).code).toBe(11000);
    expect(await db.collection('bView').countDocuments()).toBe(1);
  });
});

test('a port already in use fails the start and releases the dbPath for a retry', async () => {
  const first = await startEmbeddedMongo({ dbPath: mkdtempSync(join(tmpdir(), 'embedded-port-')), port: 0 });
  try {
    await expect(startEmbeddedMongo({ dbPath, port: first.port })).rejects.toThrow(/EADDRINUSE/);
    const retry = await startEmbeddedMongo({ dbPath, port: 0 });
    await retry.close();
  } finally {
    await first.close();
  }
});
