/**
 * The market board: every signed-in user's socket hears public lot changes live (new lots,
 * withdrawals, remaining stock), while the terms of a deal stay with the organisations in it.
 */
import { io as connectSocket } from 'socket.io-client';
import { aFarm, aPendingFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type ClientSocket, type TestApp } from '../fixtures/test-app';
import type { MarketUpdate } from '../../shared/schemas/market';
import { lotSchema } from '../../shared/schemas/market-views';

let app: TestApp;
let farm: Member;
let buyer: Member;
let watcher: Member;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  app = await startTestApp();
  [farm, buyer, watcher] = await Promise.all([aFarm(app), aRestaurant(app), aRestaurant(app)]);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await app.close();
});

async function listen(member: Member | null): Promise<MarketUpdate[]> {
  const socket: ClientSocket = connectSocket(app.baseUrl, {
    transports: ['websocket'],
    extraHeaders: member ? { cookie: member.agent.cookie ?? '' } : {},
    forceNew: true,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const heard: MarketUpdate[] = [];
  socket.on('market:update', (u) => heard.push(u));
  return heard;
}

const until = async (check: () => boolean, what: string, timeoutMs = 8000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the live market board', () => {
  it('when a farm posts a lot, an unrelated restaurant and a pending farm see it live; an anonymous socket does not', async () => {
    const [watcherHeard, pendingHeard, anonymousHeard] = await Promise.all([
      listen(watcher),
      listen(await aPendingFarm(app)),
      listen(null),
    ]);
    const posted = await farm.agent.post<{ id: string }>('/api/lots', {
      productCode: 'oyster_mushroom',
      quantityGrams: 300_000,
      harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 800,
      askPriceFenPerKg: 1100,
    });
    expect(posted.status).toBe(201);
    const lotId = posted.body.id;
    await until(
      () => watcherHeard.some((u) => u.type === 'lot:posted' && u.lotId === lotId),
      'lot:posted on the board',
    );
    await until(
      () => pendingHeard.some((u) => u.type === 'lot:posted' && u.lotId === lotId),
      'lot:posted for a pending farm',
    );
    const seen = watcherHeard.find((u) => u.type === 'lot:posted' && u.lotId === lotId);
    expect(seen?.productCode).toBe('oyster_mushroom');
    expect((seen?.data.lot as { remainingGrams?: number } | undefined)?.remainingGrams).toBe(300_000);

    // A deal between the farm and another restaurant: the board hears the lot changed, not the terms.
    const bid = await buyer.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
      quantityGrams: 100_000,
      priceFenPerKg: 1000,
    });
    expect(bid.status).toBe(201);
    const accepted = await farm.agent.post(`/api/bids/${bid.body.id}/accept`, {});
    expect(accepted.status).toBe(200);
    await until(
      () => watcherHeard.some((u) => u.type === 'lot:updated' && u.lotId === lotId),
      'lot:updated on the board',
    );
    // It carries the lot as GET /api/lots/:id shows it, so no watcher reads it again.
    const updated = watcherHeard.find((u) => u.type === 'lot:updated' && u.lotId === lotId);
    expect(Object.keys(updated?.data ?? {})).toEqual(['lot']);
    expect(lotSchema.parse(updated?.data.lot)).toMatchObject({
      id: lotId,
      remainingGrams: 200_000,
      soldGrams: 100_000,
    });
    expect(watcherHeard.filter((u) => u.lotId === lotId).map((u) => u.type)).not.toContain('order:confirmed');
    expect(watcherHeard.filter((u) => u.lotId === lotId).map((u) => u.type)).not.toContain('offer:made');
    expect(JSON.stringify(watcherHeard)).not.toContain(buyer.organisationId);

    const after = await watcher.agent.get<{ remainingGrams: number }>(`/api/lots/${lotId}`);
    expect(after.body.remainingGrams).toBe(200_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(anonymousHeard).toEqual([]);
  }, 60_000);
});
