/**
 * Market events carry state: every `market:update` carries the lot, offer or order that changed as the REST
 * API shows it (parsed here with the same strict view schemas, shared/schemas/market-views.ts), so a watching
 * page applies it and asks nothing again; and a trade's answer carries the lot after it.
 * The clock is frozen, so the lot an event carries equals what GET /api/lots/:id answers.
 */
import type { z } from 'zod';
import type { MarketUpdate } from '../../shared/schemas/market';
import {
  acceptResult,
  lotSchema,
  marketUpdateData,
  offerSchema,
  orderSchema,
  takeResult,
} from '../../shared/schemas/market-views';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type ClientSocket, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;
let watcher: Member;
const sockets: ClientSocket[] = [];
const now = new Date();
const hoursFromNow = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();

beforeAll(async () => {
  app = await startTestApp({ now: () => now });
  [farm, cook, watcher] = await Promise.all([aFarm(app), aRestaurant(app), aRestaurant(app)]);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await app.close();
});

async function listen(member: Member): Promise<MarketUpdate[]> {
  const socket = await app.socket(member.agent);
  sockets.push(socket);
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

/** Parses with the strict schema; fails listing every issue (path and message). */
function parsed<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  return result.data as z.infer<S>;
}

const heardOf = (heard: MarketUpdate[], type: string, id: string) =>
  heard.find((u) => u.type === type && (u.lotId === id || u.offerId === id || u.orderId === id));

async function lotNow(lotId: string) {
  return parsed(lotSchema, (await watcher.agent.get(`/api/lots/${lotId}`)).body);
}

const postLot = async () => {
  const posted = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: 300_000,
    harvestedAt: hoursFromNow(-2),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
  });
  expect(posted.status).toBe(201);
  return posted.body.id;
};

describe('market events carry the state REST returns', () => {
  it('every event to the parties and the board parses against the view schemas; lots equal a fresh GET', async () => {
    const [farmHeard, cookHeard, boardHeard] = await Promise.all([listen(farm), listen(cook), listen(watcher)]);
    const lotId = await postLot();

    const bid = await cook.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
      quantityGrams: 100_000,
      priceFenPerKg: 1200,
    });
    expect(bid.status).toBe(201);
    const accepted = await farm.agent.post(
      `/api/bids/${bid.body.id}/accept`,
      {},
      { headers: { 'idempotency-key': `accept-${bid.body.id}` } },
    );
    const answer = parsed(acceptResult, accepted.body);
    // The answer carries the lot after the order took its stock: the page reads it no more.
    expect(answer.lot).toEqual(await lotNow(lotId));
    expect(answer.lot).toMatchObject({ remainingGrams: 200_000, soldGrams: 100_000 });

    const cancelled = await farm.agent.post(`/api/orders/${answer.order.id}/cancel`, { reason: 'truck broke down' });
    expect(cancelled.status).toBe(200);
    const withdrawn = await farm.agent.post(`/api/lots/${lotId}/withdraw`);
    expect(withdrawn.status).toBe(200);

    await until(() => Boolean(heardOf(farmHeard, 'lot:withdrawn', lotId)), 'lot:withdrawn for the farm');
    await until(() => Boolean(heardOf(boardHeard, 'lot:withdrawn', lotId)), 'lot:withdrawn on the board');
    await until(() => Boolean(heardOf(cookHeard, 'order:updated', answer.order.id)), 'order:updated for the buyer');

    for (const update of [...farmHeard, ...cookHeard, ...boardHeard]) parsed(marketUpdateData, update.data);

    // The parties: the offer, the order, and the lot whenever its stock moved.
    const made = heardOf(farmHeard, 'offer:made', bid.body.id);
    expect(parsed(offerSchema, made?.data.offer)).toMatchObject({ id: bid.body.id, status: 'open' });
    const confirmed = heardOf(cookHeard, 'order:confirmed', answer.order.id);
    expect(parsed(orderSchema, confirmed?.data.order)).toEqual(answer.order);
    expect(confirmed?.data.lot).toEqual(answer.lot);
    const updated = heardOf(farmHeard, 'order:updated', answer.order.id);
    expect(parsed(orderSchema, updated?.data.order)).toMatchObject({ status: 'cancelled' });
    expect(parsed(lotSchema, updated?.data.lot)).toMatchObject({ remainingGrams: 300_000, soldGrams: 0 });

    // The board: each lot change with the lot only (no order, no offer, no buyer).
    const board = boardHeard.filter((u) => u.lotId === lotId);
    expect(board.map((u) => u.type)).toEqual(['lot:posted', 'lot:updated', 'lot:updated', 'lot:withdrawn']);
    for (const u of board) expect(Object.keys(u.data)).toEqual(['lot']);
    expect(board.map((u) => parsed(lotSchema, u.data.lot).remainingGrams)).toEqual([
      300_000, 200_000, 300_000, 300_000,
    ]);
    expect(board[3].data.lot).toEqual(await lotNow(lotId));
    expect(JSON.stringify(board)).not.toContain(cook.organisationId);
  }, 60_000);

  it('a clock sale: the start carries the lot with its clock, the take answers and announces the lot after it', async () => {
    const [boardHeard] = await Promise.all([listen(watcher)]);
    const lotId = await postLot();
    const clocked = await farm.agent.post(`/api/lots/${lotId}/clock`, {
      startPriceFenPerKg: 2000,
      floorPriceFenPerKg: 1000,
      floorHoursBeforeExpiry: 12,
      stepMinutes: 30,
    });
    expect(clocked.status).toBe(200);
    await until(() => Boolean(heardOf(boardHeard, 'lot:clock', lotId)), 'lot:clock on the board');
    const started = parsed(lotSchema, heardOf(boardHeard, 'lot:clock', lotId)?.data.lot);
    expect(started).toEqual(clocked.body);
    expect(started.clock).toMatchObject({ phase: 'falling', priceFenPerKg: 2000 });

    const take = await cook.agent.post(
      `/api/lots/${lotId}/clock/take`,
      { quantityGrams: 10_000 },
      { headers: { 'idempotency-key': `take-${lotId}` } },
    );
    expect(take.status).toBe(201);
    const answer = parsed(takeResult, take.body);
    expect(answer.lot).toEqual(await lotNow(lotId));
    expect(answer.lot?.remainingGrams).toBe(290_000);
    // A replay of the key answers the same order and the lot as it stands.
    const again = await cook.agent.post(
      `/api/lots/${lotId}/clock/take`,
      { quantityGrams: 10_000 },
      { headers: { 'idempotency-key': `take-${lotId}` } },
    );
    expect(again.status).toBe(200);
    expect(parsed(takeResult, again.body)).toEqual(answer);

    await until(() => Boolean(heardOf(boardHeard, 'lot:updated', lotId)), 'lot:updated on the board');
    expect(heardOf(boardHeard, 'lot:updated', lotId)?.data).toEqual({ lot: answer.lot });
  }, 60_000);
});
