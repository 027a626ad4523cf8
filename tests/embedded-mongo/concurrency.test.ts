import { MongoClient } from 'mongodb';
import { startTestServer, type TestServer } from './harness';

let t: TestServer;
const clients: MongoClient[] = [];
beforeAll(async () => {
  t = await startTestServer('race');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await t.close();
});

test('200 clients racing a conditional decrement never drive stock below zero', async () => {
  const INITIAL = 37;
  await t.db.collection('stock').insertOne({ _id: 'lot-1', qty: INITIAL } as never);
  for (let i = 0; i < 200; i++) clients.push(new MongoClient(t.server.uri, { maxPoolSize: 1 }));
  await Promise.all(clients.map((c) => c.connect()));
  const outcomes = await Promise.all(
    clients.map((c) =>
      c
        .db('race')
        .collection('stock')
        .findOneAndUpdate(
          { _id: 'lot-1', qty: { $gte: 1 } } as never,
          { $inc: { qty: -1 } },
          { returnDocument: 'after' },
        ),
    ),
  );
  const successes = outcomes.filter((o) => o !== null);
  expect(successes).toHaveLength(INITIAL);
  expect(successes.map((s) => s?.qty).sort((a, b) => a - b)).toEqual(Array.from({ length: INITIAL }, (_, i) => i));
  expect((await t.db.collection('stock').findOne({ _id: 'lot-1' } as never))?.qty).toBe(0);
});

test('concurrent unique inserts: exactly one wins', async () => {
  const c = t.db.collection('claims');
  await c.createIndex({ slot: 1 }, { unique: true });
  const results = await Promise.allSettled(
    clients.slice(0, 50).map((client, i) => client.db('race').collection('claims').insertOne({ slot: 'A', by: i })),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect(await c.countDocuments()).toBe(1);
});
