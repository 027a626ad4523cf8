/**
 * A profiling harness, not a benchmark: runs one query shape many times against the embedded
 * server in this process so that `node --cpu-prof` shows where the server spends its time.
 *
 *   npx tsx bench/profile-db.ts --op range --out /tmp/range.cpuprofile
 *   node bench/lib/cpuprofile-top.mjs /tmp/range.cpuprofile
 *
 * Only the timed loop is profiled (not the load).
 *
 * Ops: range (1,000 documents sorted by an indexed field), lots (200 of 1,000 lot-shaped
 * documents by status and expiresAt, sorted by expiresAt then _id), fam (conditional
 * findOneAndUpdate by _id), insert (insertOne). Options: --op, --n (iterations), --docs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { MongoClient, ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../server/embedded-mongo';

const { values: args } = parseArgs({
  options: {
    op: { type: 'string', default: 'range' },
    n: { type: 'string', default: '200' },
    docs: { type: 'string', default: '20000' },
    out: { type: 'string' },
  },
});
const N = Number(args.n);
const DOCS = Number(args.docs);
const randomInt = (below: number): number => Math.floor(Math.random() * below);

async function main(): Promise<void> {
  const dbPath = mkdtempSync(join(tmpdir(), 'freshlink-profile-'));
  const server = await startEmbeddedMongo({ dbPath, port: 0 });
  const client = new MongoClient(server.uri, { retryWrites: false });
  try {
    const db = client.db('profile');
    const items = db.collection<{ _id: number; sku: string; price: number; qty: number; name: string }>('items');
    const lots = db.collection<{ _id: string } & Record<string, unknown>>('lots');
    const now = Date.now();
    if (args.op === 'lots') {
      await lots.createIndex({ status: 1, expiresAt: 1 });
      await lots.createIndex({ productCode: 1, status: 1, expiresAt: 1 });
      const docs = Array.from({ length: 1000 }, (_, i) => ({
        _id: new ObjectId().toHexString(),
        sellerOrgId: `org-${i % 7}`,
        createdBy: `user-${i % 7}`,
        productCode: `p${i % 10}`,
        quantityGrams: 200_000,
        remainingGrams: 200_000,
        harvestedAt: new Date(now - 3_600_000),
        storage: 'cold',
        reservePriceFenPerKg: 1000,
        askPriceFenPerKg: 1400,
        expiresAt: new Date(now + 86_400_000 + (i % 40) * 60_000),
        status: 'open',
        reservations: [],
        fencedOrderIds: [],
        createdAt: new Date(now),
        updatedAt: new Date(now),
      }));
      await lots.insertMany(docs);
    } else {
      for (let start = 0; start < DOCS; start += 1000) {
        const batch = Array.from({ length: Math.min(1000, DOCS - start) }, (_, k) => {
          const i = start + k;
          return {
            _id: i,
            sku: `SKU-${String(i).padStart(7, '0')}`,
            price: (i * 7919) % DOCS,
            qty: 1_000_000,
            name: `大白菜 lot ${i}`,
          };
        });
        await items.insertMany(batch);
      }
      await items.createIndex({ sku: 1 }, { unique: true });
      await items.createIndex({ price: 1 });
    }
    const ops: Record<string, () => Promise<unknown>> = {
      range: () =>
        items
          .find({ price: { $gte: randomInt(DOCS - 1000) } })
          .sort({ price: 1 })
          .limit(1000)
          .toArray(),
      lots: () =>
        lots
          .find({ status: 'open', expiresAt: { $gt: new Date(now) } })
          .sort({ expiresAt: 1, _id: 1 })
          .limit(200)
          .toArray(),
      fam: () => items.findOneAndUpdate({ _id: randomInt(DOCS), qty: { $gte: 1 } }, { $inc: { qty: -1 } }),
      insert: () => db.collection('inserts').insertOne({ _id: new ObjectId(), sku: 'x', qty: 5, at: new Date() }),
    };
    const op = ops[args.op];
    if (!op) throw new Error(`unknown --op ${args.op}`);
    for (let i = 0; i < 20; i++) await op(); // warm-up
    const session = new Session();
    if (args.out) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < N; i++) await op();
    const cpu = process.cpuUsage(cpuBefore);
    const ms = (performance.now() - started) / N;
    const cpuMs = (cpu.user + cpu.system) / 1000 / N;
    if (args.out) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(args.out, JSON.stringify(profile));
      session.disconnect();
    }
    console.log(
      `${args.op}: ${N} sequential runs, mean ${ms.toFixed(3)} ms wall, ${cpuMs.toFixed(3)} ms CPU (client and server, this process)`,
    );
  } finally {
    await client.close();
    await server.close();
    rmSync(dbPath, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
