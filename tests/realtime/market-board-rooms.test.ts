/**
 * The board by product and region: each socket chooses with `market:watch` which lot updates it hears —
 * products, regions, or those products from those regions — and hears exactly those, once each; a socket that
 * chose nothing hears the whole market. No sleeps: a socket has heard everything sent to it once a later ack
 * (a round trip on the same connection) has come back.
 */
import { Types } from 'mongoose';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { emitWithAck, startTestApp, type ClientSocket, type TestApp } from '../fixtures/test-app';
import type { MarketUpdate } from '../../shared/schemas/market';
import { MARKET_BOARD_ROOM, boardPairRoom, boardProductRoom } from '../../server/features/market';

const XINGAN = '吉安市新干县';
const XUNWU = '赣州市寻乌县';

let app: TestApp;
let farmXingan: Member;
let farmXunwu: Member;
let buyer: Member;

beforeAll(async () => {
  app = await startTestApp();
  [farmXingan, farmXunwu, buyer] = await Promise.all([aFarm(app), aFarm(app), aRestaurant(app)]);
  await movedTo(farmXingan, '吉安市', '新干县');
  await movedTo(farmXunwu, '赣州市', '寻乌县');
});
afterAll(async () => {
  await app.close();
});

async function movedTo(farm: Member, city: string, county: string) {
  await app.db.connection
    .collection('organisations')
    .updateOne(
      { _id: new Types.ObjectId(farm.organisationId) },
      { $set: { 'address.city': city, 'address.county': county } },
    );
}

interface Watcher {
  socket: ClientSocket;
  heard: MarketUpdate[];
}

async function watcher(watch?: Record<string, unknown>): Promise<Watcher> {
  const member = await aRestaurant(app);
  const socket = await app.socket(member.agent);
  const heard: MarketUpdate[] = [];
  socket.on('market:update', (u) => heard.push(u));
  if (watch) expect(await emitWithAck(socket, 'market:watch', watch)).toMatchObject({ ok: true });
  return { socket, heard };
}

const postLot = async (farm: Member, productCode: string) => {
  const posted = await farm.agent.post<{ id: string; region?: string }>('/api/lots', {
    productCode,
    quantityGrams: 200_000,
    harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 800,
    askPriceFenPerKg: 1100,
  });
  expect(posted.status).toBe(201);
  return posted.body;
};

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; !check(); i++) {
    if (i > 400) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** After this ack, everything the server sent the socket before it has arrived (one ordered connection). */
const drained = (w: Watcher) => emitWithAck(w.socket, 'session:whoami');

const heardOf = (w: Watcher, lots: Record<string, string>) =>
  w.heard
    .filter((u) => u.lotId && Object.values(lots).includes(u.lotId))
    .map((u) => `${u.type} ${Object.keys(lots).find((k) => lots[k] === u.lotId)}`)
    .sort();

describe('the board by product and region', () => {
  it('each socket hears exactly the lots it chose, once each; the whole-market socket hears all', async () => {
    const whole = await watcher();
    const shiitake = await watcher({ productCodes: ['shiitake'] });
    const xunwu = await watcher({ regions: [XUNWU] });
    const orangesOfXingan = await watcher({ productCodes: ['navel_orange'], regions: [XINGAN] });
    const twoProducts = await watcher({ productCodes: ['shiitake', 'navel_orange', 'shiitake'] });
    // A later watch replaces the earlier one.
    const changedMind = await watcher({ regions: [XUNWU] });
    expect(await emitWithAck(changedMind.socket, 'market:watch', { productCodes: ['navel_orange'] })).toEqual({
      ok: true,
      data: { watching: { productCodes: ['navel_orange'], regions: [] } },
    });

    const a = await postLot(farmXingan, 'shiitake');
    const b = await postLot(farmXingan, 'navel_orange');
    const c = await postLot(farmXunwu, 'shiitake');
    const d = await postLot(farmXunwu, 'navel_orange');
    expect([a.region, b.region, c.region, d.region]).toEqual([XINGAN, XINGAN, XUNWU, XUNWU]);
    const lots = { a: a.id, b: b.id, c: c.id, d: d.id };

    // A sale from lot c: order events do not say where the lot is; the board update still finds its rooms.
    const bid = await buyer.agent.post<{ id: string }>(`/api/lots/${c.id}/bids`, {
      quantityGrams: 50_000,
      priceFenPerKg: 1000,
    });
    expect(bid.status).toBe(201);
    expect((await farmXunwu.agent.post(`/api/bids/${bid.body.id}/accept`, {})).status).toBe(200);

    await until(() => heardOf(whole, lots).length >= 5, 'the whole market hears the four lots and the sale');
    for (const w of [whole, shiitake, xunwu, orangesOfXingan, twoProducts, changedMind]) await drained(w);

    expect(heardOf(whole, lots)).toEqual([
      'lot:posted a',
      'lot:posted b',
      'lot:posted c',
      'lot:posted d',
      'lot:updated c',
    ]);
    expect(heardOf(shiitake, lots)).toEqual(['lot:posted a', 'lot:posted c', 'lot:updated c']);
    expect(heardOf(xunwu, lots)).toEqual(['lot:posted c', 'lot:posted d', 'lot:updated c']);
    expect(heardOf(orangesOfXingan, lots)).toEqual(['lot:posted b']);
    expect(heardOf(twoProducts, lots)).toEqual([
      'lot:posted a',
      'lot:posted b',
      'lot:posted c',
      'lot:posted d',
      'lot:updated c',
    ]);
    expect(heardOf(changedMind, lots)).toEqual(['lot:posted b', 'lot:posted d']);
    // The board's copy says where the lot is, so a client can file it without re-reading.
    expect(xunwu.heard.find((u) => u.type === 'lot:updated')).toMatchObject({ productCode: 'shiitake', region: XUNWU });
    expect(JSON.stringify(xunwu.heard)).not.toContain(buyer.organisationId);
  }, 60_000);

  it('an empty watch goes back to the whole market', async () => {
    const w = await watcher({ productCodes: ['enoki'] });
    expect(await emitWithAck(w.socket, 'market:watch', {})).toEqual({
      ok: true,
      data: { watching: { productCodes: [], regions: [] } },
    });
    const rooms = await roomsOf(w.socket.id!);
    expect(rooms).toContain(MARKET_BOARD_ROOM);
    expect(rooms).not.toContain(boardProductRoom('enoki'));
  });

  it('joins one room per product and region pair when both are named', async () => {
    const w = await watcher({ productCodes: ['enoki', 'tofu'], regions: [XINGAN] });
    const rooms = (await roomsOf(w.socket.id!)).filter((r) => r.startsWith('board:') || r === MARKET_BOARD_ROOM);
    expect(rooms).toEqual([boardPairRoom('enoki', XINGAN), boardPairRoom('tofu', XINGAN)].sort());
  });

  it.each([
    [{ productCodes: ['durian'] }, 'productCodes.0'],
    [{ regions: '吉安市新干县' }, 'regions'],
    [{ regions: Array.from({ length: 11 }, (_, i) => `市${i}县`) }, 'regions'],
    [{ regions: ['  '] }, 'regions.0'],
    [{ productCodes: Array.from({ length: 11 }, () => 'tofu') }, 'productCodes'],
  ])('refuses the watch %j, naming the field %s, and keeps the old one', async (payload, field) => {
    const w = await watcher({ productCodes: ['enoki'] });
    const ack = await emitWithAck<{
      ok: boolean;
      error?: { code: string; details?: { fields?: Record<string, string> } };
    }>(w.socket, 'market:watch', payload);
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(Object.keys(ack.error?.details?.fields ?? {})).toEqual([field]);
    expect(await roomsOf(w.socket.id!)).toContain(boardProductRoom('enoki'));
  });

  it('refuses an anonymous socket, which stays off the board', async () => {
    const socket = await app.socket();
    expect(await emitWithAck(socket, 'market:watch', { productCodes: ['shiitake'] })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect((await roomsOf(socket.id!)).filter((r) => r.startsWith('board:') || r === MARKET_BOARD_ROOM)).toEqual([]);
  });
});

async function roomsOf(socketId: string): Promise<string[]> {
  const sockets = await app.realtime.io.fetchSockets();
  return [...(sockets.find((s) => s.id === socketId)?.rooms ?? [])].filter((r) => r !== socketId).sort();
}
