import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient, type Collection } from 'mongodb';
import { warmLikeTheServer } from './page-cache';

/**
 * The scale rows of `npm run bench:db`: the same operations against a collection of `docs`
 * documents (~300 bytes, two secondary indexes) and one of `smallDocs`, each served by a
 * freshly restarted server in a child process, so that RSS and restart time are the server's
 * own and nothing is warm from loading. The targets (issue 10) are printed beside the figures.
 */
export interface ScaleOptions {
  docs: number;
  smallDocs: number;
  sliceMs: number;
  /** Reuse (or create and keep) the large collection's data directory between runs. */
  keepDir?: string;
  cacheSizeMB?: number;
}

interface SeqMeasurement {
  p50Ms: number;
  p99Ms: number;
  ops: number;
}

export type Measure = (name: string, op: () => Promise<unknown>, sliceMs: number) => Promise<SeqMeasurement>;

interface Lot {
  _id: number;
  sku: string;
  price: number;
  qty: number;
  name: string;
  farm: string;
  note: string;
}

interface Child {
  proc: ChildProcess;
  uri: string;
  /** startEmbeddedMongo alone. */
  startMs: number;
  /** From spawn to the listening line (node and tsx start-up included). */
  wallMs: number;
  sinceProcessStartMs: number;
}

interface Figures {
  docs: number;
  restartWallMs: number;
  startMs: number;
  findById: SeqMeasurement;
  findBySku: SeqMeasurement;
  insertOne: SeqMeasurement;
  range: SeqMeasurement;
  rssMB: number;
  peakRssMB: number;
  anonMB: number;
  fileMB: number;
}

const skuOf = (i: number): string => `SKU-${String(i).padStart(8, '0')}`;
const randomInt = (below: number): number => Math.floor(Math.random() * below);
/** A permutation of 0..n-1 when n is not a multiple of 7919 (prime). */
const priceOf = (i: number, n: number): number => (i * 7919) % n;
const NOTE = '新鲜蔬菜 fresh vegetables, picked this morning; keep cool and sell within two days. '.repeat(2);

function lot(i: number, n: number): Lot {
  return {
    _id: i,
    sku: skuOf(i),
    price: priceOf(i, n),
    qty: 1_000_000,
    name: `大白菜 lot ${i}`,
    farm: `farm-${i % 997}`,
    note: NOTE.slice(0, 150 + (i % 20)),
  };
}

async function startChild(dbPath: string, cacheSizeMB?: number): Promise<Child> {
  const args = ['--import', 'tsx', 'bench/lib/db-server-child.ts', dbPath];
  if (cacheSizeMB !== undefined) args.push(String(cacheSizeMB));
  const t0 = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`server child exited with ${code} before listening`)));
  });
  const wallMs = performance.now() - t0;
  const info = JSON.parse(first) as { uri: string; startMs: number; sinceProcessStartMs: number };
  return { proc, uri: info.uri, startMs: info.startMs, sinceProcessStartMs: info.sinceProcessStartMs, wallMs };
}

async function stopChild(child: Child): Promise<void> {
  if (child.proc.exitCode !== null) return;
  const exited = new Promise((resolve) => child.proc.once('exit', resolve));
  child.proc.kill('SIGTERM');
  await exited;
}

/**
 * VmRSS, VmHWM (peak) and the split of RSS into anonymous memory (heap, buffers) and file pages
 * (LMDB's memory map: page cache the kernel can reclaim), in MB.
 */
function rssOf(pid: number): { rssMB: number; peakMB: number; anonMB: number; fileMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return {
    rssMB: kb('VmRSS') / 1024,
    peakMB: kb('VmHWM') / 1024,
    anonMB: kb('RssAnon') / 1024,
    fileMB: kb('RssFile') / 1024,
  };
}

async function withClient<T>(uri: string, fn: (lots: Collection<Lot>) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { maxPoolSize: 8, retryWrites: false });
  try {
    await client.connect();
    return await fn(client.db('bench').collection<Lot>('lots'));
  } finally {
    await client.close();
  }
}

/** Loads `n` documents with insertMany batches (4 in flight), indexes created first so no build is needed. */
async function load(dbPath: string, n: number, log: (line: string) => void): Promise<void> {
  const child = await startChild(dbPath);
  try {
    await withClient(child.uri, async (lots) => {
      await lots.createIndex({ sku: 1 }, { unique: true });
      await lots.createIndex({ price: 1 });
      const started = performance.now();
      const batch = 1000;
      let next = 0;
      let reported = 0;
      async function loader(): Promise<void> {
        for (;;) {
          const start = next++ * batch;
          if (start >= n) return;
          const docs: Lot[] = [];
          for (let i = start; i < Math.min(n, start + batch); i++) docs.push(lot(i, n));
          await lots.insertMany(docs, { ordered: false });
          const done = Math.min(n, start + batch);
          if (n >= 100_000 && done - reported >= n / 10) {
            reported = done;
            const rate = done / ((performance.now() - started) / 1000);
            log(`    loaded ${done} of ${n} (${rate.toFixed(0)} docs/s)`);
          }
        }
      }
      await Promise.all(Array.from({ length: 4 }, loader));
      log(`  loaded ${n} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
  } finally {
    await stopChild(child);
  }
}

/** Restarts the server on a loaded directory and measures it. */
async function measureAt(dbPath: string, n: number, options: ScaleOptions, measure: Measure): Promise<Figures> {
  const child = await startChild(dbPath, options.cacheSizeMB);
  try {
    const restart = { wallMs: child.wallMs, startMs: child.startMs };
    return await withClient(child.uri, async (lots) => {
      const count = await lots.estimatedDocumentCount();
      if (count < n) throw new Error(`expected ${n} documents in ${dbPath}, found ${count}`);
      const slice = options.sliceMs;
      const warm = (op: () => Promise<unknown>) => measure('warm-up', op, 300);
      const byId = () => lots.findOne({ _id: randomInt(n) });
      const bySku = () => lots.findOne({ sku: skuOf(randomInt(n)) });
      let nextId = n + 10_000_000 + randomInt(1_000_000) * 100;
      const insert = () => {
        const i = nextId++;
        return lots.insertOne({ ...lot(i, n), sku: `NEW-${i}-${randomInt(1e9)}` });
      };
      const size = Math.min(1000, n);
      const range = async () => {
        const found = await lots
          .find({ price: { $gte: randomInt(n - size + 1) } })
          .sort({ price: 1 })
          .limit(size)
          .toArray();
        if (found.length !== size) throw new Error(`range query returned ${found.length} documents`);
      };
      await warm(byId);
      const findById = await measure('findOne by _id', byId, slice);
      await warm(bySku);
      const findBySku = await measure('findOne by unique sku', bySku, slice);
      await warm(insert);
      const insertOne = await measure('insertOne (durable)', insert, slice);
      await warm(range);
      const rangeRow = await measure(`first ${size} of a sorted price range`, range, slice);
      const { rssMB, peakMB, anonMB, fileMB } = rssOf(child.proc.pid!);
      return {
        docs: n,
        restartWallMs: restart.wallMs,
        startMs: restart.startMs,
        findById,
        findBySku,
        insertOne,
        range: rangeRow,
        rssMB,
        peakRssMB: peakMB,
        anonMB,
        fileMB,
      };
    });
  } finally {
    await stopChild(child);
  }
}

function table(small: Figures, large: Figures): string {
  const ms = (x: number): string => `${x.toFixed(3)} ms`;
  const ratio = (a: number, b: number): string => `${(b / a).toFixed(2)}×`;
  const check = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const rows: string[][] = [
    ['measure', `${small.docs} docs`, `${large.docs} docs`, 'large ÷ small', 'target', ''],
    [
      'restart → listening (spawn, node+tsx incl.)',
      ms(small.restartWallMs),
      ms(large.restartWallMs),
      ratio(small.restartWallMs, large.restartWallMs),
      '≤ 2 s',
      check(large.restartWallMs <= 2000),
    ],
    ['startEmbeddedMongo alone', ms(small.startMs), ms(large.startMs), ratio(small.startMs, large.startMs), '', ''],
    [
      'RSS after the rows below',
      `${small.rssMB.toFixed(0)} MB`,
      `${large.rssMB.toFixed(0)} MB`,
      ratio(small.rssMB, large.rssMB),
      '≤ 350 MB',
      check(large.rssMB <= 350),
    ],
    [
      '… of which anonymous (heap) / file (LMDB map)',
      `${small.anonMB.toFixed(0)} / ${small.fileMB.toFixed(0)} MB`,
      `${large.anonMB.toFixed(0)} / ${large.fileMB.toFixed(0)} MB`,
      ratio(small.anonMB, large.anonMB),
      '',
      '',
    ],
    ['peak RSS since restart', `${small.peakRssMB.toFixed(0)} MB`, `${large.peakRssMB.toFixed(0)} MB`, '', '', ''],
  ];
  const p50 = (name: string, a: SeqMeasurement, b: SeqMeasurement, target: string, ok: boolean): string[] => [
    `${name} p50 (p99)`,
    `${ms(a.p50Ms)} (${a.p99Ms.toFixed(2)})`,
    `${ms(b.p50Ms)} (${b.p99Ms.toFixed(2)})`,
    ratio(a.p50Ms, b.p50Ms),
    target,
    check(ok),
  ];
  rows.push(
    p50('findOne by _id', small.findById, large.findById, '≤ 1.5×', large.findById.p50Ms <= 1.5 * small.findById.p50Ms),
  );
  rows.push(
    p50(
      'findOne by unique sku',
      small.findBySku,
      large.findBySku,
      '≤ 1.5×',
      large.findBySku.p50Ms <= 1.5 * small.findBySku.p50Ms,
    ),
  );
  rows.push(
    p50(
      'insertOne, durable',
      small.insertOne,
      large.insertOne,
      '≤ 1.5×',
      large.insertOne.p50Ms <= 1.5 * small.insertOne.p50Ms,
    ),
  );
  rows.push(p50('first 1000 of sorted range', small.range, large.range, '≤ 20 ms', large.range.p50Ms <= 20));
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export async function runScale(options: ScaleOptions, measure: Measure, log: (line: string) => void): Promise<void> {
  const smallDir = mkdtempSync(join(tmpdir(), 'freshlink-bench-small-'));
  const largeDir = options.keepDir ?? mkdtempSync(join(tmpdir(), 'freshlink-bench-large-'));
  try {
    log(`scale rows: ${options.smallDocs} vs ${options.docs} documents of ~300 bytes, indexes sku (unique) and price`);
    await load(smallDir, options.smallDocs, log);
    if (options.keepDir && existsSync(join(largeDir, 'data.mdb'))) log(`  reusing the loaded directory ${largeDir}`);
    else {
      mkdirSync(largeDir, { recursive: true });
      await load(largeDir, options.docs, log);
    }
    for (const dir of [smallDir, largeDir]) {
      const started = performance.now();
      const state = warmLikeTheServer(join(dir, 'data.mdb'));
      log(`  page cache of ${dir}/data.mdb: ${state} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    const small = await measureAt(smallDir, options.smallDocs, options, measure);
    const large = await measureAt(largeDir, options.docs, options, measure);
    log('');
    log(table(small, large));
    log(
      `Each column is measured after a restart of the server in a child process (cache ${options.cacheSizeMB ?? 64} MB); p50 over ${options.sliceMs / 1000} s, one request at a time.`,
    );
  } finally {
    rmSync(smallDir, { recursive: true, force: true });
    if (!options.keepDir) rmSync(largeDir, { recursive: true, force: true });
  }
}
