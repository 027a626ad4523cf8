/**
 * Cross-process delivery (`npm run bench:cluster`, issue 11). In one run, on this machine:
 *  (1) baseline: one app process (no Redis), N sockets of a restaurant on it;
 *  (2) two app processes + redis-server on one `npm run db`, the same N sockets spread over both.
 * In each, a farm accepts U bids through the first process; every socket of the buyer must receive
 * `order:confirmed`. Printed: publish → socket p50/p99 for both, and the ratio of the p99s (target ≤ 1.5).
 * Options: --sockets N (1000), --updates U (20).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { MarketUpdate } from '../shared/schemas/market';
import { startCluster } from '../tests/fixtures/cluster';
import { aVerifiedTrader, killAllCrashChildren } from '../tests/fixtures/market-crash';
import { fmt, loadAverage, percentile, pool } from './lib/market-stats';

const { values: args } = parseArgs({
  options: { sockets: { type: 'string', default: '1000' }, updates: { type: 'string', default: '20' } },
});
const SOCKETS = Number(args.sockets);
const UPDATES = Number(args.updates);
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Delivery {
  p50: number;
  p99: number;
  last99: number;
  missed: number;
  connectSeconds: number;
}

async function measure(apps: number, withRedis: boolean): Promise<Delivery> {
  const cluster = await startCluster({ apps, withRedis });
  const sockets: Socket[] = [];
  try {
    const [first] = cluster.apps;
    const farm = await aVerifiedTrader(first.baseUrl, cluster.db, 'farm');
    const cook = await aVerifiedTrader(first.baseUrl, cluster.db, 'restaurant');
    const lot = await farm.agent.post<{ id: string }>('/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 2_000_000,
      harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1400,
    });
    const bids: string[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const bid = await cook.agent.post<{ id: string }>(`/api/lots/${lot.body.id}/bids`, {
        quantityGrams: 5_000,
        priceFenPerKg: 1100 + i,
      });
      if (bid.status !== 201) throw new Error(`bid: ${bid.status} ${JSON.stringify(bid.body)}`);
      bids.push(bid.body.id);
    }
    const received = new Map<string, number[]>();
    const connectStart = Date.now();
    await pool(SOCKETS, 100, async (i) => {
      const socket = connectSocket(cluster.apps[i % cluster.apps.length].baseUrl, {
        transports: ['websocket'],
        extraHeaders: { cookie: cook.agent.cookie ?? '' },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      socket.on('market:update', (u: MarketUpdate) => {
        if (u.type !== 'order:confirmed' || !u.orderId) return;
        const list = received.get(u.orderId) ?? [];
        list.push(Date.now() - Date.parse(u.at));
        received.set(u.orderId, list);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
    });
    const connectSeconds = (Date.now() - connectStart) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // let the joins settle
    const deliveries: number[] = [];
    const last: number[] = [];
    let missed = 0;
    for (const bidId of bids) {
      const accepted = await farm.agent.post<{ order: { id: string } }>(
        `/api/bids/${bidId}/accept`,
        {},
        { headers: { 'idempotency-key': `bench-${bidId}` } },
      );
      if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      const orderId = accepted.body.order.id;
      const until = Date.now() + 10_000;
      while ((received.get(orderId)?.length ?? 0) < SOCKETS && Date.now() < until)
        await new Promise((r) => setTimeout(r, 5));
      const got = received.get(orderId) ?? [];
      missed += SOCKETS - got.length;
      deliveries.push(...got);
      last.push(Math.max(...got));
    }
    return {
      p50: percentile(deliveries, 50),
      p99: percentile(deliveries, 99),
      last99: percentile(last, 99),
      missed,
      connectSeconds,
    };
  } finally {
    sockets.forEach((s) => s.disconnect());
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}; load average at start ${loadAverage()}`);
  const single = await measure(1, false);
  log(
    `single process, ${SOCKETS} sockets × ${UPDATES} updates: publish → socket p50 ${fmt(single.p50, 0)} ms, p99 ${fmt(single.p99, 0)} ms, ` +
      `last socket p99 ${fmt(single.last99, 0)} ms; missed ${single.missed}; connected in ${fmt(single.connectSeconds)} s`,
  );
  const cluster = await measure(2, true);
  log(
    `2 processes + Redis, ${SOCKETS} sockets (half on each) × ${UPDATES} updates, actions on the first: publish → socket p50 ${fmt(cluster.p50, 0)} ms, ` +
      `p99 ${fmt(cluster.p99, 0)} ms, last socket p99 ${fmt(cluster.last99, 0)} ms; missed ${cluster.missed}; connected in ${fmt(cluster.connectSeconds)} s`,
  );
  const ratio = cluster.p99 / Math.max(1, single.p99);
  log(
    `cross-process p99 / single-process p99 = ${fmt(ratio, 2)} (target ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'}); missed must be 0: ${cluster.missed === 0 && single.missed === 0 ? 'met' : 'NOT met'}`,
  );
  log(`load average at end ${loadAverage()}; whole run ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch(async (err: unknown) => {
  process.stderr.write(`bench:cluster failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await killAllCrashChildren();
  process.exit(1);
});
