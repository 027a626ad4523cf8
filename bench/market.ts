/**
 * Benchmark of the market over real HTTP and real sockets (`npm run bench:market`). The app runs
 * as its own process (`server/main.ts` with its embedded database, as `npm start` does); this
 * process is only the clients. Three measurements, each with its baseline or check in the same run:
 *
 *  (a) GET /api/lots?status=open&limit=200 with 1,000 open lots, autocannon (20 connections),
 *      beside a bare Express process serving the same JSON page: req/s, p50/p99, the ratio.
 *  (b) 1,000 restaurant sockets (session cookie, as the realtime layer requires): the time from a
 *      market update's publication (`at`, stamped by the server) to each socket receiving it,
 *      over ~20 accepted bids. There is no "all restaurants" room yet (docs/market.md), so the
 *      1,000 sockets are the buyer restaurant's: the room the update is really sent to.
 *  (c) a bid storm on one lot: 500 restaurants' bids, each accepted by the farm the moment it
 *      exists, all concurrent; throughput, p99, and oversold grams (must be 0).
 *
 * Options: --seconds N (autocannon per target, default 8), --lots N (1000), --sockets N (1000),
 * --updates N (20), --storm N (500). The machine is shared: the load average is printed too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { MarketUpdate } from '../shared/schemas/market';
import {
  aVerifiedTrader,
  freePort,
  killAllCrashChildren,
  openDirect,
  spawnTs,
  startAppProcess,
  tempDir,
  type Trader,
} from '../tests/fixtures/market-crash';
import { flood } from './lib/flood';
import { fmt, loadAverage, percentile, pool } from './lib/market-stats';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    lots: { type: 'string', default: '1000' },
    sockets: { type: 'string', default: '1000' },
    updates: { type: 'string', default: '20' },
    storm: { type: 'string', default: '500' },
    'flood-seconds': { type: 'string', default: '10' },
  },
});
const SECONDS = Number(args.seconds);
const LOTS = Number(args.lots);
const SOCKETS = Number(args.sockets);
const UPDATES = Number(args.updates);
const STORM = Number(args.storm);
const PRODUCTS = [
  'shiitake',
  'enoki',
  'king_oyster',
  'bok_choy',
  'lettuce',
  'tomato',
  'cucumber',
  'chili_pepper',
  'eggplant',
  'lotus_root',
];
const PIECE = 5_000;

const log = (line: string) => process.stdout.write(`${line}\n`);
const lotBody = (i: number, quantityGrams = 200_000) => ({
  productCode: PRODUCTS[i % PRODUCTS.length],
  quantityGrams,
  // spread the expiries so the listing's sort has work to do
  harvestedAt: new Date(Date.now() - 3_600_000 - (i % 40) * 60_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
});

interface CannonResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function cannon(url: string, headers: Record<string, string>): Promise<CannonResult> {
  const r = await autocannon({ url, connections: 20, duration: SECONDS, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}; load average at start ${loadAverage()}`);
  const dataDir = tempDir('freshlink-bench-');
  const app = await startAppProcess({ dataDir, port: await freePort() });
  const direct = await openDirect(app.dbUri);
  try {
    const farm = await aVerifiedTrader(app.baseUrl, direct.db, 'farm');
    const restaurants: Trader[] = [];
    for (let i = 0; i < 10; i++) restaurants.push(await aVerifiedTrader(app.baseUrl, direct.db, 'restaurant'));
    const cook = restaurants[0];

    // ── (a) the listing ──────────────────────────────────────────────────────────────────────
    const seedStart = Date.now();
    await pool(LOTS, 64, async (i) => {
      const r = await farm.agent.post('/api/lots', lotBody(i));
      if (r.status !== 201) throw new Error(`seeding lot ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    });
    log(`seeded ${LOTS} open lots over HTTP in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const listPath = '/api/lots?status=open&limit=200';
    const page = await cook.agent.get<{ items: unknown[] }>(listPath);
    if (page.status !== 200 || page.body.items.length !== Math.min(200, LOTS))
      throw new Error(`listing: ${page.status}, ${page.body.items?.length} items`);
    const payloadFile = path.join(dataDir, 'lots-page.json');
    fs.writeFileSync(payloadFile, JSON.stringify(page.body));
    const payloadBytes = fs.statSync(payloadFile).size;
    const bare = spawnTs('bench/lib/market-bare.ts', [payloadFile], {});
    const barePort = Number((await bare.waitFor(/bare listening on (\d+)/))[1]);
    const headers = { cookie: cook.agent.cookie ?? '', accept: 'application/json' };
    const listing = await cannon(app.baseUrl + listPath, headers);
    const baseline = await cannon(`http://127.0.0.1:${barePort}/lots`, {});
    await bare.killHard();
    log(
      `(a) GET ${listPath} (${payloadBytes} B): ${fmt(listing.rps)} req/s, p50 ${listing.p50} ms, p99 ${listing.p99} ms, non-2xx ${listing.non2xx}, errors ${listing.errors}`,
    );
    log(
      `    bare Express, same payload: ${fmt(baseline.rps)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms; app/bare = ${fmt(listing.rps / baseline.rps, 3)} (target ≥ 0.5: ${listing.rps / baseline.rps >= 0.5 ? 'met' : 'NOT met'})`,
    );
    // ── (a2) identifying the caller: /api/me against /healthz, same process ─────────────────────
    const me = await cannon(`${app.baseUrl}/api/me`, headers);
    const health = await cannon(`${app.baseUrl}/healthz`, {});
    log(
      `(a2) GET /api/me: ${fmt(me.rps)} req/s, p99 ${me.p99} ms, non-2xx ${me.non2xx}; GET /healthz: ${fmt(health.rps)} req/s, p99 ${health.p99} ms; ` +
        `me/healthz = ${fmt(me.rps / health.rps, 3)} (target ≥ 0.5: ${me.rps / health.rps >= 0.5 ? 'met' : 'NOT met'})`,
    );
    // Baseline for (b)'s connections: a bare socket.io server, connected to the same way.
    const raw = spawnTs('bench/lib/raw-socketio.ts', [], {});
    const rawPort = Number((await raw.waitFor(/raw socket.io listening on (\d+)/))[1]);
    const rawSockets: Socket[] = [];
    const rawStart = Date.now();
    await pool(SOCKETS, 200, async () => {
      const socket = connectSocket(`http://127.0.0.1:${rawPort}`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      rawSockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
    });
    const rawSeconds = (Date.now() - rawStart) / 1000;
    rawSockets.forEach((s) => s.disconnect());
    await raw.killHard();

    // ── (b) 1,000 sockets ────────────────────────────────────────────────────────────────────
    const fanLot = await farm.agent.post<{ id: string }>('/api/lots', lotBody(0, 2_000_000));
    const fanBids: string[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const b = await cook.agent.post<{ id: string }>(`/api/lots/${fanLot.body.id}/bids`, {
        quantityGrams: PIECE,
        priceFenPerKg: 1100 + i,
      });
      if (b.status !== 201) throw new Error(`bid: ${b.status} ${JSON.stringify(b.body)}`);
      fanBids.push(b.body.id);
    }
    const sockets: Socket[] = [];
    const received = new Map<string, number[]>(); // orderId → receive instants
    const connectStart = Date.now();
    await pool(SOCKETS, 200, async () => {
      const socket = connectSocket(app.baseUrl, {
        transports: ['websocket'],
        extraHeaders: { cookie: cook.agent.cookie ?? '' },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      socket.on('market:update', (u: MarketUpdate) => {
        if (u.type !== 'order:confirmed' || !u.orderId) return;
        const now = Date.now();
        const list = received.get(u.orderId) ?? [];
        list.push(now - Date.parse(u.at));
        received.set(u.orderId, list);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
    });
    const appSeconds = (Date.now() - connectStart) / 1000;
    log(
      `connected ${sockets.length} sockets in ${fmt(appSeconds)} s; a raw socket.io server: ${fmt(rawSeconds)} s; ` +
        `app/raw = ${fmt(appSeconds / rawSeconds, 2)} (target ≤ 1.5: ${appSeconds / rawSeconds <= 1.5 ? 'met' : 'NOT met'})`,
    );
    const deliveries: number[] = [];
    const lastSocket: number[] = [];
    let missed = 0;
    for (const bidId of fanBids) {
      const accepted = await farm.agent.post<{ order: { id: string } }>(
        `/api/bids/${bidId}/accept`,
        {},
        { headers: { 'idempotency-key': `fan-${bidId}` } },
      );
      if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      const orderId = accepted.body.order.id;
      const until = Date.now() + 10_000;
      while ((received.get(orderId)?.length ?? 0) < SOCKETS && Date.now() < until)
        await new Promise((r) => setTimeout(r, 5));
      const got = received.get(orderId) ?? [];
      missed += SOCKETS - got.length;
      deliveries.push(...got);
      lastSocket.push(Math.max(...got));
    }
    for (const s of sockets) s.disconnect();
    log(
      `(b) ${SOCKETS} sockets × ${UPDATES} updates: publish → socket p50 ${fmt(percentile(deliveries, 50), 0)} ms, p99 ${fmt(percentile(deliveries, 99), 0)} ms; ` +
        `publish → last socket p50 ${fmt(percentile(lastSocket, 50), 0)} ms, p99 ${fmt(percentile(lastSocket, 99), 0)} ms; missed ${missed}`,
    );

    // ── (c) the bid storm ────────────────────────────────────────────────────────────────────
    const stormGrams = Math.floor((STORM * PIECE * 0.6) / PIECE) * PIECE; // room for 60 % of the bids
    const stormLot = await farm.agent.post<{ id: string }>('/api/lots', lotBody(1, stormGrams));
    const lotId = stormLot.body.id;
    const latencies: number[] = [];
    const statuses = new Map<string, number>();
    const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
    /** Times one request; a failed connection is counted (by its cause) rather than ending the run. */
    const timed = async <T>(send: () => Promise<T>): Promise<T | undefined> => {
      const t = performance.now();
      try {
        const r = await send();
        latencies.push(performance.now() - t);
        return r;
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        count(`network error ${cause?.code ?? cause?.message ?? String(err)}`);
        return undefined;
      }
    };
    const stormStart = performance.now();
    await Promise.all(
      Array.from({ length: STORM }, async (_, i) => {
        const bid = await timed(() =>
          restaurants[i % restaurants.length].agent.post<{ id?: string; error?: { code: string } }>(
            `/api/lots/${lotId}/bids`,
            { quantityGrams: PIECE, priceFenPerKg: 1100 + (i % 300) },
          ),
        );
        if (!bid) return;
        count(`bid ${bid.status}${bid.body.error ? ` ${bid.body.error.code}` : ''}`);
        const bidId = bid.body.id;
        if (bid.status !== 201 || !bidId) return;
        const acc = await timed(() =>
          farm.agent.post<{ error?: { code: string } }>(
            `/api/bids/${bidId}/accept`,
            {},
            { headers: { 'idempotency-key': `storm-${bidId}` } },
          ),
        );
        if (acc) count(`accept ${acc.status}${acc.body.error ? ` ${acc.body.error.code}` : ''}`);
      }),
    );
    const stormSeconds = (performance.now() - stormStart) / 1000;
    const lot = await direct.db
      .collection<{ _id: string; quantityGrams: number; remainingGrams: number }>('lots')
      .findOne({ _id: lotId });
    const orders = await direct.db
      .collection<{ quantityGrams: number }>('orders')
      .find({ lotId, status: 'confirmed' })
      .toArray();
    const soldGrams = orders.reduce((s, o) => s + o.quantityGrams, 0);
    const oversold = Math.max(0, soldGrams - (lot?.quantityGrams ?? 0));
    const mismatch = (lot?.quantityGrams ?? 0) - soldGrams - (lot?.remainingGrams ?? 0);
    log(
      `(c) storm of ${STORM} bids + their accepts on a ${stormGrams / 1000} kg lot: ${latencies.length} requests in ${fmt(stormSeconds)} s = ${fmt(latencies.length / stormSeconds)} req/s, ` +
        `p50 ${fmt(percentile(latencies, 50), 0)} ms, p99 ${fmt(percentile(latencies, 99), 0)} ms; ${orders.length} orders, ${soldGrams / 1000} kg sold`,
    );
    log(`    replies: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    log(`    oversold grams: ${oversold}; remaining − (quantity − sold): ${mismatch}`);

    // ── (d) the flood: one user, 4 sockets, ~2,000 events/s; another user's /api/me meanwhile ──────
    const flooded = await flood({
      baseUrl: app.baseUrl,
      pid: app.child.pid,
      flooder: restaurants[1].agent,
      other: restaurants[2].agent,
      seconds: Number(args['flood-seconds']),
      eventsPerSecond: 2_000,
    });
    const slowdown = flooded.floodP99 / flooded.idleP99;
    const growth = flooded.rssPeak - flooded.rssBefore;
    log(
      `(d) flood of ${flooded.sent} events in ${args['flood-seconds']} s from 4 sockets of one user: answered ${flooded.answered}, RATE_LIMITED ${flooded.refused}, sockets cut ${flooded.disconnected}`,
    );
    log(
      `    other user's /api/me p99: idle ${fmt(flooded.idleP99, 0)} ms, during ${fmt(flooded.floodP99, 0)} ms = ${fmt(slowdown, 2)}× (target ≤ 5: ${slowdown <= 5 ? 'met' : 'NOT met'}); ` +
        `RSS ${fmt(flooded.rssBefore, 0)} → peak ${fmt(flooded.rssPeak, 0)} MB (+${fmt(growth, 0)}; target < 100: ${growth < 100 ? 'met' : 'NOT met'}); ` +
        `last reply ${fmt(flooded.drainMs, 0)} ms after the flood stopped (target ≤ 2000: ${flooded.drainMs <= 2000 ? 'met' : 'NOT met'})`,
    );
    log(`load average at end ${loadAverage()}; whole run ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (oversold !== 0 || mismatch !== 0) process.exitCode = 1;
  } finally {
    await direct.close();
    await app.child.killHard();
    await killAllCrashChildren();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch(async (err: unknown) => {
  process.stderr.write(`bench:market failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await killAllCrashChildren();
  process.exit(1);
});
