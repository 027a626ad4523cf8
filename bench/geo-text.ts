/**
 * Text and geo indexes of the embedded server against a scan (`npm run bench:geo-text`).
 * Starts the server in this process on a temporary dbPath, loads lot-like documents (a pickup
 * Point in a 45 km district around Shouguang and a Chinese name), builds a 2dsphere and a text
 * index over them, then times the board's two questions with the index and without it (the
 * same query with hint {$natural: 1}, in the same run): the first 20 lots by distance, and a
 * search's 20 best by textScore; and the board's distance page as the app asks it ($geoNear,
 * $sort, $limit), against the same lots loaded into a second collection without indexes.
 * Prints the median time, documents examined (from explain) and the ratio.
 *
 * Options: --docs N (default 100000), --queries N (indexed queries per row, default 30),
 * --scan-queries N (scan queries per row, default 3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../server/embedded-mongo';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '30' },
    'scan-queries': { type: 'string', default: '3' },
  },
});
const DOCS = Number(args.docs);
const QUERIES = Number(args.queries);
const SCAN_QUERIES = Number(args['scan-queries']);

const PRODUCE = ['西红柿', '黄瓜', '大白菜', '土豆', '大葱', '茄子', '辣椒', '芹菜', '菠菜', '韭菜', '萝卜', '南瓜'];
const FARMS = ['寿光', '青州', '潍坊', '昌乐', '临朐', '安丘', '高密', '诸城'];
const QUALITY = ['有机', '新鲜', '精品', '绿色', '特级', '大棚', '露天', '头茬'];

let seed = 14;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];

function aLot(i: number): Document {
  return {
    _id: i,
    name: `${pick(FARMS)}${pick(QUALITY)}${pick(PRODUCE)} 第${i % 500}批`,
    grams: 1000 * (1 + Math.floor(rnd() * 500)),
    pickup: { type: 'Point', coordinates: [118.5 + rnd() * 0.5, 36.6 + rnd() * 0.4] },
  };
}

interface Row {
  name: string;
  indexedMs: number;
  indexedExamined: number;
  scanMs: number;
  scanExamined: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(n: number, run: (q: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let q = 0; q < n; q++) {
    const start = performance.now();
    await run(q);
    times.push(performance.now() - start);
  }
  return median(times);
}

async function main(): Promise<void> {
  const dbPath = mkdtempSync(join(tmpdir(), 'bench-geo-text-'));
  const server = await startEmbeddedMongo({ dbPath, port: 0 });
  const client = await MongoClient.connect(server.uri);
  try {
    const lots = client.db('bench').collection('lots');
    let start = performance.now();
    for (let i = 0; i < DOCS; i += 2000) {
      await lots.insertMany(Array.from({ length: Math.min(2000, DOCS - i) }, (_, k) => aLot(i + k)));
    }
    const loadMs = performance.now() - start;
    // The same lots without indexes: the scan baseline for $geoNear, which takes no hint.
    const plain = client.db('bench').collection('lotsPlain');
    seed = 14;
    for (let i = 0; i < DOCS; i += 2000) {
      await plain.insertMany(Array.from({ length: Math.min(2000, DOCS - i) }, (_, k) => aLot(i + k)));
    }
    start = performance.now();
    await lots.createIndex({ pickup: '2dsphere' });
    const geoBuildMs = performance.now() - start;
    start = performance.now();
    await lots.createIndex({ name: 'text' });
    const textBuildMs = performance.now() - start;

    const points = Array.from({ length: QUERIES }, () => [118.5 + rnd() * 0.5, 36.6 + rnd() * 0.4]);
    const nearFilter = (q: number): Document => ({
      pickup: { $near: { $geometry: { type: 'Point', coordinates: points[q % points.length] } } },
    });
    const searches = Array.from({ length: QUERIES }, () => pick(PRODUCE));
    const textFilter = (q: number): Document => ({ $text: { $search: searches[q % searches.length] } });
    const byScore = { score: { $meta: 'textScore' } } as const;

    const examined = async (filter: Document, natural: boolean, sort?: Document): Promise<number> => {
      let cursor = lots.find<Document>(filter).limit(20);
      if (sort) cursor = cursor.project(sort).sort(sort);
      if (natural) cursor = cursor.hint({ $natural: 1 });
      const plan = await cursor.explain('executionStats');
      return Number(plan.executionStats.totalDocsExamined);
    };
    const rows: Row[] = [];
    rows.push({
      name: '$near, first 20 by distance',
      indexedMs: await timed(QUERIES, (q) => lots.find(nearFilter(q)).limit(20).toArray()),
      indexedExamined: await examined(nearFilter(0), false),
      scanMs: await timed(SCAN_QUERIES, (q) => lots.find(nearFilter(q)).limit(20).hint({ $natural: 1 }).toArray()),
      scanExamined: await examined(nearFilter(0), true),
    });
    const boardPage = (q: number): Document[] => [
      {
        $geoNear: {
          near: { type: 'Point', coordinates: points[q % points.length] },
          key: 'pickup',
          spherical: true,
          distanceField: 'distanceMeters',
        },
      },
      { $sort: { distanceMeters: 1, _id: 1 } },
      { $limit: 20 },
    ];
    rows.push({
      name: '$geoNear + $sort + $limit 20 (the board by distance)',
      indexedMs: await timed(QUERIES, (q) => lots.aggregate(boardPage(q)).toArray()),
      indexedExamined: NaN,
      scanMs: await timed(SCAN_QUERIES, (q) => plain.aggregate(boardPage(q)).toArray()),
      scanExamined: DOCS,
    });
    rows.push({
      name: '$text, 20 best by textScore',
      indexedMs: await timed(QUERIES, (q) =>
        lots.find(textFilter(q)).project(byScore).sort(byScore).limit(20).toArray(),
      ),
      indexedExamined: await examined(textFilter(0), false, byScore),
      scanMs: await timed(SCAN_QUERIES, (q) =>
        lots.find(textFilter(q)).project(byScore).sort(byScore).limit(20).hint({ $natural: 1 }).toArray(),
      ),
      scanExamined: await examined(textFilter(0), true, byScore),
    });

    const [l1, l5] = loadavg();
    console.log(
      `bench:geo-text — ${DOCS.toLocaleString('en')} lots, ${cpus().length} cores, load ${l1.toFixed(2)} / ${l5.toFixed(2)} (1/5 min)`,
    );
    console.log(
      `load ${(loadMs / 1000).toFixed(1)} s; build 2dsphere ${(geoBuildMs / 1000).toFixed(1)} s, text ${(textBuildMs / 1000).toFixed(1)} s`,
    );
    console.log('| query | indexed (median) | docs examined | scan (median) | docs examined | scan / indexed |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${r.indexedMs.toFixed(1)} ms | ${Number.isNaN(r.indexedExamined) ? '–' : r.indexedExamined.toLocaleString('en')} | ${r.scanMs.toFixed(0)} ms | ${r.scanExamined.toLocaleString('en')} | ${(r.scanMs / r.indexedMs).toFixed(0)}× |`,
      );
    }
  } finally {
    await client.close();
    await server.close();
    rmSync(dbPath, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
