/**
 * Two app processes, one database (`npm run db`), one redis-server (issue 11): what happens on A is heard
 * on B, and the expiry sweep, which runs on both, expires each due lot once.
 */
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { MarketUpdate } from '../../shared/schemas/market';
import { startCluster, type Cluster } from '../fixtures/cluster';
import { aVerifiedTrader, type Trader } from '../fixtures/market-crash';

jest.setTimeout(120_000);

let cluster: Cluster;
const sockets: Socket[] = [];

beforeAll(async () => {
  cluster = await startCluster({ apps: 2 });
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await cluster?.stop();
});

async function socketOn(baseUrl: string, trader: Trader): Promise<{ socket: Socket; updates: MarketUpdate[] }> {
  const socket = connectSocket(baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie: trader.agent.cookie ?? '' },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  const updates: MarketUpdate[] = [];
  socket.on('market:update', (u: MarketUpdate) => updates.push(u));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, updates };
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lotBody = (quantityGrams = 100_000) => ({
  productCode: 'shiitake',
  quantityGrams,
  harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
});

describe('two app processes with Redis', () => {
  it('when a farm posts a lot and sells from it on A, then sockets on B hear the board and organisation events, with the lot in them', async () => {
    const [a, b] = cluster.apps;
    const farm = await aVerifiedTrader(a.baseUrl, cluster.db, 'farm');
    const restaurant = await aVerifiedTrader(a.baseUrl, cluster.db, 'restaurant');
    const other = await aVerifiedTrader(a.baseUrl, cluster.db, 'restaurant');
    const farmOnB = await socketOn(b.baseUrl, farm);
    const buyerOnB = await socketOn(b.baseUrl, restaurant);
    const boardOnB = await socketOn(b.baseUrl, other);

    const posted = await farm.agent.post<{ id: string }>('/api/lots', lotBody());
    expect(posted.status).toBe(201);
    const lotId = posted.body.id;
    // Board: another restaurant, connected to B, sees the new lot and its state.
    const onBoard = await until('lot:posted on B', () =>
      boardOnB.updates.find((u) => u.type === 'lot:posted' && u.lotId === lotId),
    );
    expect(onBoard.data).toMatchObject({ lot: { id: lotId, remainingGrams: 100_000, status: 'open' } });
    // Organisation: the farm's own socket on B hears it in its organisation room.
    await until('lot:posted to the farm on B', () =>
      farmOnB.updates.find((u) => u.type === 'lot:posted' && u.lotId === lotId),
    );

    // A bid made on A and accepted on A: the buyer's organisation (on B) hears the order, the board the lot's change.
    const bid = await restaurant.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
      quantityGrams: 10_000,
      priceFenPerKg: 1200,
    });
    expect(bid.status).toBe(201);
    const accepted = await farm.agent.post<{ order: { id: string } }>(
      `/api/bids/${bid.body.id}/accept`,
      {},
      { headers: { 'idempotency-key': `cluster-${bid.body.id}` } },
    );
    expect(accepted.status).toBe(200);
    const confirmed = await until('order:confirmed for the buyer on B', () =>
      buyerOnB.updates.find((u) => u.type === 'order:confirmed' && u.orderId === accepted.body.order.id),
    );
    expect(confirmed.lotId).toBe(lotId);
    await until('lot:updated on the board on B', () =>
      boardOnB.updates.find((u) => u.type === 'lot:updated' && u.lotId === lotId),
    );
  });

  it('when a lot falls due, then the sweeps of both processes expire it once, and sockets on both hear it once', async () => {
    const [a, b] = cluster.apps;
    const farm = await aVerifiedTrader(a.baseUrl, cluster.db, 'farm');
    const watcher = await aVerifiedTrader(b.baseUrl, cluster.db, 'restaurant');
    const onA = await socketOn(a.baseUrl, watcher);
    const onB = await socketOn(b.baseUrl, watcher);
    const lots: string[] = [];
    for (let i = 0; i < 3; i++) {
      const posted = await farm.agent.post<{ id: string }>('/api/lots', lotBody(50_000 + i * 1000));
      expect(posted.status).toBe(201);
      lots.push(posted.body.id);
    }
    // Due now: both processes' sweeps (every 5 s) race for them.
    await cluster.db
      .collection<{ _id: string }>('lots')
      .updateMany({ _id: { $in: lots } }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    for (const socket of [onA, onB])
      await until('every lot:expired', () =>
        lots.every((id) => socket.updates.some((u) => u.type === 'lot:expired' && u.lotId === id)) ? true : undefined,
      );
    await new Promise((r) => setTimeout(r, 6_000)); // another round of both sweeps: nothing more may come
    for (const socket of [onA, onB]) {
      for (const id of lots) {
        const heard = socket.updates.filter((u) => u.type === 'lot:expired' && u.lotId === id);
        expect(heard).toHaveLength(1);
      }
    }
    const stored = await cluster.db
      .collection<{ _id: string; status: string; spoiledGrams?: number; quantityGrams: number }>('lots')
      .find({ _id: { $in: lots } })
      .toArray();
    for (const lot of stored) {
      expect(lot.status).toBe('expired');
      expect(lot.spoiledGrams).toBe(lot.quantityGrams);
    }
  });
});
