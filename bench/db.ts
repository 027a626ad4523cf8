/**
 * Benchmark of the embedded MongoDB-compatible server through the official driver
 * (`npm run bench:db`). Starts the server in this process on a temporary dbPath, loads
 * 100,000 documents, then times each operation for a fixed wall-clock slice, one request at a
 * time (seq) and with 16 in flight (c16). The baseline is the `ping` command measured in the
 * same run: the cost of one wire round trip with no database work.
 *
 * Then the scale rows (bench/lib/db-scale.ts): restart time, RSS and latencies of a server
 * restarted on 2,000,000 documents against the same on 1,000, with the targets beside them.
 *
 * Options: --seconds N (per measurement, default 2), --docs N (default 100000),
 * --scale-docs N (default 2000000), --small-docs N (default 1000), --scale-only, --no-scale,
 * --keep-dir DIR (load the large collection there once and reuse it in later runs),
 * --cache-mb N (the server's document cache for the scale rows, default 64).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId, type Collection } from 'mongodb';
import { Int32 } from 'bson';
import { startEmbeddedMongo } from '../server/embedded-mongo';
import { openStorage } from '../server/embedded-mongo/storage/lmdb';
import { runScale } from './lib/db-scale';

interface Lot {
  _id: number;
  sku: string;
  price: number;
  qty: number;
  name: string;
}

interface Measurement {
  name: string;
  mode: string;
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    docs: { type: 'string', default: '100000' },
    'scale-docs': { type: 'string', default: '2000000' },
    'small-docs': { type: 'string', default: '1000' },
    'scale-only': { type: 'boolean', default: false },
    'no-scale': { type: 'boolean', default: false },
    'keep-dir': { type: 'string' },
    'cache-mb': { type: 'string' },
  },
});
const SLICE_MS = Number(args.seconds) * 1000;
const DOCS = Number(args.docs);
const CONCURRENCY = 16;
const RANGE_SIZE = 1000;
/** The whole run stays under 2 minutes: measurements that would start after this are skipped. */
const RUN_BUDGET_MS = 105_000;
/** Keeps latency arrays bounded whatever the speed. */
const MAX_OPS_PER_SLICE = 500_000;

const skuOf = (i: number): string => `SKU-${String(i).padStart(7, '0')}`;
/** A permutation of 0..DOCS-1 when DOCS is not a multiple of 7919 (prime), so prices are unique. */
const priceOf = (i: number): number => (i * 7919) % DOCS;
const randomInt = (below: number): number => Math.floor(Math.random() * below);

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `op` from `inFlight` loops for SLICE_MS and reports throughput and latency percentiles. */
async function measure(
  name: string,
  inFlight: number,
  op: () => Promise<unknown>,
  sliceMs = SLICE_MS,
): Promise<Measurement> {
  const latencies = new Float64Array(MAX_OPS_PER_SLICE);
  let count = 0;
  const started = performance.now();
  const deadline = started + sliceMs;
  async function loop(): Promise<void> {
    while (performance.now() < deadline && count < MAX_OPS_PER_SLICE) {
      const t0 = performance.now();
      await op();
      latencies[count++] = performance.now() - t0;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, loop));
  const elapsedSeconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, count).sort();
  return {
    name,
    mode: inFlight === 1 ? 'seq' : `c${inFlight}`,
    ops: count,
    opsPerSecond: count / elapsedSeconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

async function loadLots(lots: Collection<Lot>): Promise<number> {
  const started = performance.now();
  const batch = 1000;
  let nextBatch = 0;
  async function loader(): Promise<void> {
    for (;;) {
      const start = nextBatch++ * batch;
      if (start >= DOCS) return;
      const docs: Lot[] = [];
      for (let i = start; i < Math.min(DOCS, start + batch); i++) {
        docs.push({ _id: i, sku: skuOf(i), price: priceOf(i), qty: 1_000_000, name: `大白菜 lot ${i}` });
      }
      await lots.insertMany(docs, { ordered: false });
    }
  }
  await Promise.all(Array.from({ length: 4 }, loader));
  return DOCS / ((performance.now() - started) / 1000);
}

function formatTable(rows: Measurement[]): string {
  const ping = new Map(rows.filter((r) => r.name === 'ping (baseline)').map((r) => [r.mode, r]));
  const header = ['operation', 'mode', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'p50 vs ping', 'ops/s vs ping'];
  const body = rows.map((r) => {
    const base = ping.get(r.mode);
    return [
      r.name,
      r.mode,
      String(r.ops),
      r.opsPerSecond.toFixed(0),
      r.p50Ms.toFixed(3),
      r.p99Ms.toFixed(3),
      base ? `${(r.p50Ms / base.p50Ms).toFixed(2)}×` : '',
      base ? `${(r.opsPerSecond / base.opsPerSecond).toFixed(2)}×` : '',
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, c) => (c < 2 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

/**
 * The storage layer alone, no wire and no engine: one single-document commit (one LMDB write
 * transaction with fdatasync when alone, grouped when concurrent). Separates the disk's cost
 * from the server's.
 */
async function measureStorageAlone(): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'freshlink-bench-storage-'));
  const storage = await openStorage(dir);
  let n = 0;
  const commitOne = (): Promise<void> =>
    storage.commit([
      { op: 'put', db: 'bench', coll: 'direct', key: `k${n}`, doc: { _id: new Int32(n++), qty: new Int32(5) } },
    ]);
  try {
    return [
      await measure('storage.commit, 1 doc (no wire)', 1, commitOne),
      await measure('storage.commit, 1 doc (no wire)', CONCURRENCY, commitOne),
    ];
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Other processes on the machine skew every number: the run reports the 1-minute load average. */
const loadAverage = (): string => loadavg()[0].toFixed(1);

async function scaleRows(): Promise<void> {
  await runScale(
    {
      docs: Number(args['scale-docs']),
      smallDocs: Number(args['small-docs']),
      sliceMs: SLICE_MS,
      keepDir: args['keep-dir'],
      cacheSizeMB: args['cache-mb'] === undefined ? undefined : Number(args['cache-mb']),
    },
    (name, op, sliceMs) => measure(name, 1, op, sliceMs),
    (line) => console.log(line),
  );
}

async function main(): Promise<void> {
  if (!args['scale-only']) await fixedSizeRows();
  if (!args['no-scale']) {
    console.log('');
    await scaleRows();
  }
}

async function fixedSizeRows(): Promise<void> {
  const runStarted = performance.now();
  // First, while nothing else runs in this process.
  const storageAlone = await measureStorageAlone();
  const dbPath = mkdtempSync(join(tmpdir(), 'freshlink-bench-'));
  const server = await startEmbeddedMongo({ dbPath, host: '127.0.0.1', port: 0 });
  const client = new MongoClient(server.uri, { maxPoolSize: CONCURRENCY + 4, retryWrites: false });
  try {
    await client.connect();
    const db = client.db('bench');
    const admin = client.db('admin');
    const lots = db.collection<Lot>('lots');
    const inserts = db.collection<{ _id: ObjectId; sku: string; qty: number; at: Date }>('inserts');

    console.log(
      `FreshLink embedded MongoDB benchmark — node ${process.version}, ${cpus().length} CPUs, ${process.platform}/${process.arch}, load average ${loadAverage()}`,
    );
    console.log(
      `dbPath ${dbPath}; ${SLICE_MS / 1000} s per measurement; c${CONCURRENCY} = ${CONCURRENCY} requests in flight`,
    );
    const loadRate = await loadLots(lots);
    console.log(`loaded ${DOCS} documents with insertMany ×1000, 4 in flight: ${loadRate.toFixed(0)} docs/s`);
    // Built after the load, as for a bulk import, so load and index build are timed separately.
    const indexStarted = performance.now();
    await lots.createIndex({ sku: 1 }, { unique: true });
    await lots.createIndex({ price: 1 });
    console.log(`built indexes sku (unique) and price in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);

    const ops: { name: string; run: () => Promise<unknown> }[] = [
      { name: 'ping (baseline)', run: () => admin.command({ ping: 1 }) },
      {
        name: 'insertOne',
        run: () => inserts.insertOne({ _id: new ObjectId(), sku: skuOf(randomInt(DOCS)), qty: 5, at: new Date() }),
      },
      { name: 'findOne by _id', run: () => lots.findOne({ _id: randomInt(DOCS) }) },
      { name: 'findOne by unique sku', run: () => lots.findOne({ sku: skuOf(randomInt(DOCS)) }) },
      {
        name: 'findOneAndUpdate qty≥1 $inc -1',
        run: () => lots.findOneAndUpdate({ _id: randomInt(DOCS), qty: { $gte: 1 } }, { $inc: { qty: -1 } }),
      },
      {
        name: `range by price, sorted, ${RANGE_SIZE} docs`,
        run: async () => {
          const found = await lots
            .find({ price: { $gte: randomInt(DOCS - RANGE_SIZE) } })
            .sort({ price: 1 })
            .limit(RANGE_SIZE)
            .toArray();
          if (found.length !== RANGE_SIZE) throw new Error(`range query returned ${found.length} documents`);
        },
      },
    ];

    const results: Measurement[] = [];
    const skipped: string[] = [];
    for (const op of ops) {
      // One at a time: a warm-up of 16 slow queries would itself take seconds.
      await measure(`${op.name} warm-up`, 1, op.run, 300);
      let seqP50Ms = 0;
      for (const inFlight of [1, CONCURRENCY]) {
        // A slice overruns by about one request's latency, which grows with the number in flight.
        const expectedMs = SLICE_MS + seqP50Ms * inFlight;
        if (performance.now() - runStarted + expectedMs > RUN_BUDGET_MS) {
          skipped.push(`${op.name} ${inFlight === 1 ? 'seq' : `c${inFlight}`}`);
          continue;
        }
        const result = await measure(op.name, inFlight, op.run);
        if (inFlight === 1) seqP50Ms = result.p50Ms;
        results.push(result);
        console.log(
          `  ${op.name} ${result.mode}: ${result.opsPerSecond.toFixed(0)} ops/s, p50 ${result.p50Ms.toFixed(3)} ms`,
        );
      }
    }
    results.push(...storageAlone);
    console.log('');
    console.log(formatTable(results));
    console.log('');
    if (skipped.length > 0) console.log(`Skipped to stay within the time budget: ${skipped.join(', ')}.`);
    console.log(
      `"vs ping" compares with the ping row of the same mode. Total run ${((performance.now() - runStarted) / 1000).toFixed(1)} s; load average now ${loadAverage()}.`,
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
