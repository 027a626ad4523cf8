/**
 * Versions on replayed events: every write of a lot or an order bumps its `version`, views and events carry
 * it, so a page that reconnects — reloading fresh state while the missed events are replayed to it — keeps
 * the fresher of the two. Real socket.io clients (client/src/socket.ts's liveFeed, as the page uses it)
 * against an app on port 0 with the embedded database.
 */
import { liveFeed } from '../../client/src/socket';
import { MarketStore } from '../../client/src/state/market';
import type { MarketApi } from '../../client/src/state/market-api';
import type { SequencedEvent } from '../../shared/events';
import { lotSchema, orderSchema, type Lot, type Order } from '../../shared/schemas/market-views';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { reconnectingSocket, startTestApp, until, type ClientSocket, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;

beforeAll(async () => {
  app = await startTestApp();
  [farm, cook] = await Promise.all([aFarm(app), aRestaurant(app)]);
});
afterAll(async () => {
  await app.close();
});

const reconnectingFor = (member: Member): Promise<ClientSocket> => reconnectingSocket(app.baseUrl, member.agent.cookie);

const versionOf = (value: unknown): number | undefined =>
  typeof value === 'object' && value !== null && 'version' in value
    ? (value as { version: number }).version
    : undefined;

describe('events replayed after a reconnect carry versions', () => {
  it('each replayed lot and order has the version of its write; the older ones lose to a fresh read in the store', async () => {
    const socket = await reconnectingFor(farm);
    const feed = liveFeed(socket);
    const heard: SequencedEvent<'market:update'>[] = [];
    feed.on('market:update', (event) => heard.push(event));
    await until(() => feed.lastSeq().org !== null, 'the starting point', 8000);

    const posted = await farm.agent.post<Lot>('/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 300_000,
      harvestedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1400,
    });
    expect(posted.status).toBe(201);
    const lotId = posted.body.id;
    await until(() => heard.some((e) => e.type === 'lot:posted' && e.lotId === lotId), 'lot:posted live', 8000);
    expect(versionOf(heard.find((e) => e.lotId === lotId)?.data.lot)).toBe(posted.body.version);

    // Offline (a tunnel): the restaurant bids, the farm accepts and dispatches from another device.
    socket.io.reconnection(false);
    socket.io.engine.close();
    await until(() => !socket.connected, 'the disconnect', 8000);
    const bid = await cook.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
      quantityGrams: 100_000,
      priceFenPerKg: 1200,
    });
    expect(bid.status).toBe(201);
    const accepted = await farm.agent.post<{ order: Order; lot: Lot }>(
      `/api/bids/${bid.body.id}/accept`,
      {},
      { headers: { 'idempotency-key': `accept-${bid.body.id}` } },
    );
    expect(accepted.status).toBe(200);
    const orderId = accepted.body.order.id;
    const dispatched = await farm.agent.post<Order>(`/api/orders/${orderId}/dispatch`, {});
    expect(dispatched.status).toBe(200);
    await app.handle.notificationsIdle();

    // What a reloading page reads now (as market.load does beside the replay).
    const lotNow = lotSchema.parse((await farm.agent.get(`/api/lots/${lotId}`)).body);
    const orderNow = orderSchema.parse((await farm.agent.get(`/api/orders/${orderId}`)).body);

    socket.io.reconnection(true);
    socket.connect();
    const confirmedEvent = () => heard.find((e) => e.type === 'order:confirmed' && e.orderId === orderId);
    const updatedEvent = () => heard.find((e) => e.type === 'order:updated' && e.orderId === orderId);
    await until(
      () => confirmedEvent() !== undefined && updatedEvent() !== undefined,
      'the replayed order events',
      8000,
    );

    // The replayed events carry versions, rising in the order of the writes; the last is what a read shows now.
    const confirmed = confirmedEvent()!;
    const updated = updatedEvent()!;
    const confirmedOrder = orderSchema.parse(confirmed.data.order);
    const updatedOrder = orderSchema.parse(updated.data.order);
    expect(confirmedOrder).toMatchObject({ status: 'confirmed', version: accepted.body.order.version });
    expect(updatedOrder).toMatchObject({ status: 'dispatched', version: orderNow.version });
    expect(confirmedOrder.version).toBeLessThan(updatedOrder.version);
    const replayedLot = lotSchema.parse(confirmed.data.lot);
    expect(replayedLot.version).toBe(accepted.body.lot.version);
    expect(replayedLot.version).toBeGreaterThan(posted.body.version);
    expect(lotNow.version).toBeGreaterThanOrEqual(replayedLot.version);

    // A store that read the fresh state keeps it when the older replayed events arrive after it.
    const store = new MarketStore(
      {
        catalogue: async () => ({ ok: true, data: { items: [] } }),
        lots: async () => ({ ok: true, data: { items: [lotNow], nextCursor: null } }),
        offers: async () => ({ ok: true, data: { items: [] } }),
        orders: async () => ({ ok: true, data: { items: [orderNow], nextCursor: null } }),
      } as unknown as MarketApi,
      Date.now(),
    );
    await store.load('farm', farm.organisationId);
    store.applyUpdate(confirmed);
    expect(store.state.orders.map((o) => [o.status, o.version])).toEqual([['dispatched', orderNow.version]]);
    expect(store.lot(lotId)?.version).toBe(lotNow.version);
    await feed.catchUp(); // the reconnect's own catch-up has answered too (acks come in order): nothing left in flight
    socket.disconnect();
  });
});
