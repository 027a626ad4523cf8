/**
 * Connection-state recovery through the Redis streams adapter (issue 11): a browser whose
 * connection drops for a moment reconnects as the same socket, in the same rooms, and receives
 * the events published while it was away — without asking for them again.
 */
import { io as connectSocket } from 'socket.io-client';
import { connectRedis, type RedisLink } from '../../server/realtime/redis-adapter';
import type { MarketUpdate } from '../../shared/schemas/market';
import { aFarm, aRestaurant } from '../fixtures/accounts';
import { startRedis, type RedisRun } from '../fixtures/redis-server';
import { startTestApp, type ClientSocket, type TestApp } from '../fixtures/test-app';

jest.setTimeout(60_000);
const silent = { warn: () => undefined, info: () => undefined };

let redis: RedisRun;
let link: RedisLink;
let app: TestApp;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  link = await connectRedis(redis.url, silent);
  app = await startTestApp({ redis: link });
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await app?.close();
  await link?.close();
  await redis?.stop();
});

const until = async (check: () => boolean, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const lotBody = (productCode: string) => ({
  productCode,
  quantityGrams: 100_000,
  harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
});

describe('connection-state recovery', () => {
  it('when a watching restaurant drops off and comes back, then it is recovered and hears the lot posted meanwhile', async () => {
    const farm = await aFarm(app);
    const restaurant = await aRestaurant(app);
    const socket: ClientSocket = connectSocket(app.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { cookie: restaurant.agent.cookie ?? '' },
      forceNew: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 300,
      randomizationFactor: 0,
    });
    sockets.push(socket);
    const heard: MarketUpdate[] = [];
    socket.on('market:update', (u) => heard.push(u));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    expect(socket.recovered).toBe(false);
    const before = await farm.agent.post<{ id: string }>('/api/lots', lotBody('shiitake'));
    await until(() => heard.some((u) => JSON.stringify(u).includes(before.body.id)), 'the first lot live');
    const firstId = socket.id;

    // The network drops: the transport closes and the client reconnects after 300 ms.
    const dropped = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    socket.io.engine.close();
    await dropped;
    const during = await farm.agent.post<{ id: string }>('/api/lots', lotBody('oyster_mushroom'));
    expect(during.status).toBe(201);
    expect(socket.connected).toBe(false);

    await until(() => socket.connected, 'the reconnect');
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(firstId);
    await until(() => heard.some((u) => JSON.stringify(u).includes(during.body.id)), 'the lot posted while away');

    // Still in its rooms after recovery: a lot posted now arrives live as before.
    const after = await farm.agent.post<{ id: string }>('/api/lots', lotBody('lotus_root'));
    await until(() => heard.some((u) => JSON.stringify(u).includes(after.body.id)), 'a lot after recovery');
  });
});
