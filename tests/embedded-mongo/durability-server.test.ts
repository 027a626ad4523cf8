import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { killAllChildren, spawnTypeScript, type CrashChild } from '../fixtures/crash-child';

/**
 * kill -9 of the embedded server while the official driver has many writes in flight: every
 * insert and every conditional decrement the server acknowledged must be there after a
 * restart on the same dbPath. Writes whose outcome we never learned (in flight at the kill)
 * may or may not have landed, and the checks allow exactly that much.
 *
 * The kill is sent from the reply handler itself, so the writes acknowledged just before it
 * are as fresh as they can be. A server that replied before its commit was durable is caught
 * in most single rounds (checked by hand with a storage that resolved early), so the test
 * runs three crash rounds on the same dbPath.
 */

interface StockItem {
  _id: string;
  qty: number;
}
interface Order {
  _id: string;
  worker: number;
}

const ITEMS = 20;
/** Low enough that items run out during the rounds, so the $gte guard is exercised. */
const INITIAL_QTY = 30;
const ROUNDS = 3;
/** Acknowledged writes per round before the kill. */
const KILL_AT = 700;
const WORKERS = 24;

const dirs: string[] = [];
const clients: MongoClient[] = [];

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await killAllChildren();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startServer(dbPath: string, port: number): Promise<{ child: CrashChild; client: MongoClient }> {
  const child = spawnTypeScript('server/embedded-mongo/cli.ts', ['--port', String(port), '--dbpath', dbPath]);
  // cli.ts prints one JSON line with msg "embedded MongoDB listening" once the port is open.
  await child.waitForLine((line) => line.includes('listening'), 30_000);
  // Over TCP it asks for the user it generated into <dbpath>/credentials.
  const credentials = readFileSync(join(dbPath, 'credentials'), 'utf8');
  const user = /DB_USERNAME=(.*)/.exec(credentials)?.[1] ?? '';
  const password = /DB_PASSWORD=(.*)/.exec(credentials)?.[1] ?? '';
  const client = new MongoClient(
    `mongodb://${user}:${password}@127.0.0.1:${port}/?directConnection=true&authSource=admin`,
    {
      retryWrites: false,
      retryReads: false,
      maxPoolSize: WORKERS + 4,
      serverSelectionTimeoutMS: 5_000,
    },
  );
  clients.push(client);
  await client.db('admin').command({ ping: 1 });
  return { child, client };
}

const itemId = (i: number): string => `item-${i}`;

/** What the test knows about the writes it sent, over all rounds. */
interface Ledger {
  insertedAcked: Set<string>;
  insertedUnknown: Set<string>;
  decrementsAcked: Map<string, number>;
  decrementsUnknown: Map<string, number>;
  soldOut: number;
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** 24 workers alternate inserts and conditional decrements; the KILL_AT-th reply kills the server. */
async function writeUntilKilled(
  round: number,
  server: { child: CrashChild; client: MongoClient },
  ledger: Ledger,
): Promise<void> {
  const market = server.client.db('market');
  const stock = market.collection<StockItem>('stock');
  const orders = market.collection<Order>('orders');
  let acknowledged = 0;
  let killing: Promise<void> | undefined;
  const acknowledge = (): void => {
    acknowledged++;
    if (acknowledged === KILL_AT) killing = server.child.killHard();
  };

  async function worker(w: number): Promise<void> {
    for (let seq = 0; killing === undefined; seq++) {
      if (seq % 2 === 0) {
        const _id = `order-${round}-${w}-${seq}`;
        try {
          await orders.insertOne({ _id, worker: w });
          ledger.insertedAcked.add(_id);
          acknowledge();
        } catch {
          ledger.insertedUnknown.add(_id);
          return;
        }
      } else {
        const item = itemId((w * 7 + seq + round) % ITEMS);
        try {
          const before = await stock.findOneAndUpdate({ _id: item, qty: { $gte: 1 } }, { $inc: { qty: -1 } });
          if (before !== null) bump(ledger.decrementsAcked, item);
          else ledger.soldOut++;
          acknowledge();
        } catch {
          bump(ledger.decrementsUnknown, item);
          return;
        }
      }
    }
  }

  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  if (killing === undefined)
    throw new Error(`round ${round}: the server stopped answering before ${KILL_AT} acknowledged writes`);
  await killing;
  await server.client.close().catch(() => undefined);
}

async function expectEveryAcknowledgedWrite(client: MongoClient, ledger: Ledger): Promise<void> {
  const market = client.db('market');
  const present = new Set(
    (
      await market
        .collection<Order>('orders')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((o) => o._id),
  );
  expect([...ledger.insertedAcked].filter((id) => !present.has(id))).toEqual([]);
  expect([...present].filter((id) => !ledger.insertedAcked.has(id) && !ledger.insertedUnknown.has(id))).toEqual([]);

  const items = await market.collection<StockItem>('stock').find({}).toArray();
  expect(items).toHaveLength(ITEMS);
  for (const item of items) {
    const acked = ledger.decrementsAcked.get(item._id) ?? 0;
    const unknown = ledger.decrementsUnknown.get(item._id) ?? 0;
    // Every acknowledged decrement is there; at most the unknown ones on top; never below zero.
    expect({
      item: item._id,
      atMost: item.qty <= INITIAL_QTY - acked,
      atLeast: item.qty >= INITIAL_QTY - acked - unknown,
      nonNegative: item.qty >= 0,
    }).toEqual({
      item: item._id,
      atMost: true,
      atLeast: true,
      nonNegative: true,
    });
  }
}

describe('embedded server under kill -9', () => {
  it('when the server is killed during concurrent inserts and conditional decrements, then every acknowledged write survives each restart', async () => {
    const dbPath = mkdtempSync(join(tmpdir(), 'freshlink-server-crash-'));
    dirs.push(dbPath);
    const port = await freePort();
    const ledger: Ledger = {
      insertedAcked: new Set(),
      insertedUnknown: new Set(),
      decrementsAcked: new Map(),
      decrementsUnknown: new Map(),
      soldOut: 0,
    };

    let server = await startServer(dbPath, port);
    await server.client
      .db('market')
      .collection<StockItem>('stock')
      .insertMany(Array.from({ length: ITEMS }, (_, i) => ({ _id: itemId(i), qty: INITIAL_QTY })));
    for (let round = 0; round < ROUNDS; round++) {
      await writeUntilKilled(round, server, ledger);
      server = await startServer(dbPath, port);
      await expectEveryAcknowledgedWrite(server.client, ledger);
    }
    await server.client.close();
    await server.child.killHard();

    expect(ledger.insertedAcked.size).toBeGreaterThan((ROUNDS * KILL_AT) / 4);
    // The $gte guard turned decrements away: the conditional path was covered.
    expect(ledger.soldOut).toBeGreaterThan(0);
  }, 120_000);
});
