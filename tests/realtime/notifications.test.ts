/**
 * Persisted notifications and catch-up: real socket.io clients against an app on port 0 with the
 * embedded database; the client side is client/src/socket.ts's liveFeed, as the page uses it.
 */
import mongoose from 'mongoose';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import {
  emitWithAck,
  nextEvent,
  reconnectingSocket,
  startTestApp,
  until,
  type ClientSocket,
  type TestApp,
} from '../fixtures/test-app';
import { liveFeed, type LiveFeed } from '../../client/src/socket';
import { createNotificationsRepository } from '../../server/features/notifications/notifications.repository';
import { createNotificationsService } from '../../server/features/notifications/notifications.service';
import type { MarketUpdate } from '../../shared/schemas/market';
import type { NotificationsResponse } from '../../shared/schemas/notifications';
import type { Ack, SequencedEvent } from '../../shared/events';

let app: TestApp;
let farm: Member;
let cook: Member;

beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
  cook = await aRestaurant(app);
});
afterAll(async () => {
  await app.close();
});

const lotBody = () => ({
  productCode: 'shiitake',
  quantityGrams: 500_000,
  harvestedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
});

async function postLot(): Promise<string> {
  const r = await farm.agent.post<{ id: string }>('/api/lots', lotBody());
  expect(r.status).toBe(201);
  return r.body.id;
}

async function bid(lotId: string, priceFenPerKg: number): Promise<string> {
  const r = await cook.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, { quantityGrams: 10_000, priceFenPerKg });
  expect(r.status).toBe(201);
  return r.body.id;
}

const reconnectingFor = (member: Member): Promise<ClientSocket> => reconnectingSocket(app.baseUrl, member.agent.cookie);

const since = (socket: ClientSocket, query: unknown) =>
  emitWithAck<Ack<NotificationsResponse>>(socket, 'notifications:since', query);

describe('catch-up after a reconnect', () => {
  it('when a restaurant bids while the farm is offline, the farm gets each bid exactly once on reconnect, in seq order', async () => {
    const socket = await reconnectingFor(farm);
    const feed: LiveFeed = liveFeed(socket);
    const heard: SequencedEvent<'market:update'>[] = [];
    feed.on('market:update', (event) => heard.push(event));
    await until(() => feed.lastSeq().org !== null, 'the starting point');

    const lotId = await postLot();
    await until(() => heard.some((e) => e.type === 'lot:posted' && e.lotId === lotId), 'lot:posted live');
    const posted = heard.find((e) => e.lotId === lotId)!;
    expect(posted.seq).toBe(feed.lastSeq().org);
    expect(posted.channel).toBe('org');

    // Offline: the transport drops (as on a train through a tunnel), the bids land meanwhile.
    socket.io.reconnection(false);
    socket.io.engine.close();
    await until(() => !socket.connected, 'the disconnect');
    const bids = [await bid(lotId, 1100), await bid(lotId, 1200), await bid(lotId, 1300)];
    await app.handle.notificationsIdle();
    expect(heard.filter((e) => e.type === 'offer:made')).toHaveLength(0);

    socket.io.reconnection(true);
    socket.connect();
    await until(() => heard.filter((e) => e.type === 'offer:made').length === 3, 'three caught-up bids');

    // A live one after the reconnect, and a second catch-up for good measure: still once each.
    const fourth = await bid(lotId, 1400);
    await until(() => heard.filter((e) => e.type === 'offer:made').length === 4, 'the live bid');
    expect(await feed.catchUp({ org: posted.seq! })).toBe(0);

    const made = heard.filter((e) => e.type === 'offer:made');
    expect(made.map((e) => e.offerId)).toEqual([...bids, fourth]);
    const seqs = heard.map((e) => e.seq!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(made.map((e) => e.seq)).toEqual([posted.seq! + 1, posted.seq! + 2, posted.seq! + 3, posted.seq! + 4]);
    socket.disconnect();
  });

  it('answers notifications:since with the stored events, oldest first, and pages with hasMore', async () => {
    const lotId = await postLot();
    await bid(lotId, 1500);
    await bid(lotId, 1600);
    await app.handle.notificationsIdle();
    const socket = await app.socket(farm.agent);
    const head = await since(socket, { afterSeq: 0, limit: 0 });
    if (!head.ok) throw new Error(head.error.code);
    const latest = head.data.latestSeq;
    expect(head.data).toMatchObject({ channel: 'org', items: [], hasMore: true });

    const page = await since(socket, { afterSeq: latest - 3, limit: 2 });
    if (!page.ok) throw new Error(page.error.code);
    expect(page.data.items.map((i) => i.seq)).toEqual([latest - 2, latest - 1]);
    expect(page.data.hasMore).toBe(true);
    const rest = await since(socket, { afterSeq: latest - 1 });
    if (!rest.ok) throw new Error(rest.error.code);
    expect(rest.data.items).toHaveLength(1);
    expect(rest.data.items[0]).toMatchObject({
      seq: latest,
      type: 'market:update',
      channel: 'org',
      payload: { type: 'offer:made', lotId },
    });
    expect(rest.data.hasMore).toBe(false);
  });
});

describe('who may read', () => {
  it('gives another organisation none of the farm’s notifications, over the socket or HTTP', async () => {
    const lotId = await postLot();
    await bid(lotId, 1700);
    await app.handle.notificationsIdle();
    const other = await aFarm(app);
    const socket = await app.socket(other.agent);
    const mine = await since(socket, { afterSeq: 0 });
    expect(mine).toMatchObject({ ok: true, data: { items: [], latestSeq: 0 } });
    // There is no way to name someone else's room: unknown keys are refused.
    expect(await since(socket, { afterSeq: 0, organisationId: farm.organisationId })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await since(socket, { afterSeq: { $gt: 0 } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const http = await other.agent.get<NotificationsResponse>('/api/notifications?afterSeq=0');
    expect(http.status).toBe(200);
    expect(http.body.items).toEqual([]);
    const farmView = await farm.agent.get<NotificationsResponse>('/api/notifications?afterSeq=0&limit=500');
    expect(farmView.body.items.length).toBeGreaterThan(0);
    expect(farmView.body.items.every((i) => (i.payload as unknown as MarketUpdate).data && i.channel === 'org')).toBe(
      true,
    );

    // The restaurant sees its own side of the same bids, on its own sequence.
    const cookView = await cook.agent.get<NotificationsResponse>('/api/notifications?afterSeq=0&limit=500');
    expect(cookView.body.items.some((i) => (i.payload as unknown as MarketUpdate).lotId === lotId)).toBe(true);

    const anonymous = await app.socket();
    expect(await since(anonymous, { afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await app.agent().get('/api/notifications')).status).toBe(401);
  });

  it('stores a verification decision for the organisation, so a pending farm sees it after a reconnect', async () => {
    const { aChamberUser, aPendingFarm } = await import('../fixtures/accounts');
    const pending = await aPendingFarm(app);
    const staff = await aChamberUser(app, { admin: false });
    expect(
      (await staff.agent.post(`/api/admin/organisations/${pending.organisationId}/verify`, { note: '材料齐全' }))
        .status,
    ).toBe(200);
    await app.handle.notificationsIdle();
    const reply = await pending.agent.get<NotificationsResponse>('/api/notifications');
    expect(reply.body.items).toEqual([
      expect.objectContaining({
        seq: 1,
        type: 'organisation:verification',
        payload: expect.objectContaining({ verification: 'verified' }),
      }),
    ]);
  });
});

describe('read marker', () => {
  it('moves forward only, never past the latest seq, per user', async () => {
    const member = await aFarm(app);
    await member.agent.post('/api/lots', lotBody());
    await member.agent.post('/api/lots', lotBody());
    await app.handle.notificationsIdle();
    expect((await member.agent.post('/api/notifications/read', { upToSeq: 1 })).body).toEqual({
      channel: 'org',
      readUpToSeq: 1,
    });
    expect((await member.agent.post('/api/notifications/read', { upToSeq: 99 })).body).toEqual({
      channel: 'org',
      readUpToSeq: 2,
    });
    expect((await member.agent.post('/api/notifications/read', { upToSeq: 0 })).body).toEqual({
      channel: 'org',
      readUpToSeq: 2,
    });
    expect((await member.agent.get<NotificationsResponse>('/api/notifications')).body.readUpToSeq).toBe(2);
    const bad = await member.agent.post<{ error: { fields: Record<string, string> } }>('/api/notifications/read', {
      upToSeq: -1,
      channel: 'everyone',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['channel', 'upToSeq']);
  });
});

describe('seq allocation', () => {
  it('hands out 1…200 without duplicates or gaps when 200 publishes race from two app nodes', async () => {
    // A second connection to the same database stands in for a second app node.
    const second = mongoose.createConnection(app.db.uri, { dbName: app.db.connection.db!.databaseName });
    await second.asPromise();
    try {
      const silent = { error: () => undefined };
      const nodes = [app.db.connection, second].map((connection) =>
        createNotificationsService({
          notifications: createNotificationsRepository(connection),
          now: () => new Date(),
          logger: silent,
        }),
      );
      const recipient = `org:${new mongoose.Types.ObjectId().toHexString()}`;
      const seqs = await Promise.all(
        Array.from({ length: 200 }, (_, i) => nodes[i % 2].record(recipient, 'market:update', { n: i })),
      );
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const stored = await app.db.connection.collection('notifications').find({ recipient }).sort({ seq: 1 }).toArray();
      expect(stored.map((d) => d.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    } finally {
      await second.close();
    }
  });

  it('emits 200 concurrent publishes to one organisation live in seq order', async () => {
    const member = await aFarm(app);
    const socket = await app.socket(member.agent);
    const seqs: number[] = [];
    socket.on('organisation:members', (event) => seqs.push((event as SequencedEvent<'organisation:members'>).seq!));
    for (let i = 0; i < 200; i += 1)
      app.realtime.publish.toOrganisation(member.organisationId, 'organisation:members', {
        organisationId: member.organisationId,
        change: 'updated',
        userId: member.userId,
      });
    await until(() => seqs.length === 200, '200 events', 15_000);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    await nextEvent(socket, 'organisation:members', 100).catch(() => undefined);
  });
});
