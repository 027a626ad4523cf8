/**
 * Bidding, countering, accepting and clock takes over socket.io: the same rules, answers and
 * idempotency as the REST routes, with the session of the socket's handshake re-checked per event.
 */
import { aChamberUser, aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { emitWithAck, startTestApp, type ClientSocket, type TestApp } from '../fixtures/test-app';
import { actionChannel, type AppSocket } from '../../client/src/socket';
import { createMarketApi } from '../../client/src/state/market-api';

type AckReply<T = Record<string, unknown>> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: { code: string; message: string; details?: { fields?: Record<string, string> } & Record<string, unknown> };
    };
type OfferData = {
  id: string;
  status: string;
  priceFenPerKg: number;
  quantityGrams: number;
  history: { viaBroker?: boolean }[];
};
type OrderData = { id: string; quantityGrams: number; priceFenPerKg: number; offerId?: string };

let app: TestApp;
let farm: Member;
let restaurant: Member;
let otherFarm: Member;
let farmSocket: ClientSocket;
let restaurantSocket: ClientSocket;
let otherFarmSocket: ClientSocket;

const HOUR = 3_600_000;
const aLot = (quantityGrams = 100_000) => ({
  productCode: 'shiitake',
  quantityGrams,
  harvestedAt: new Date(Date.now() - HOUR).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1500,
});

async function postLot(owner: Member = farm, quantityGrams?: number): Promise<string> {
  const reply = await owner.agent.post<{ id: string }>('/api/lots', aLot(quantityGrams));
  expect(reply.status).toBe(201);
  return reply.body.id;
}

function act<T = Record<string, unknown>>(socket: ClientSocket, event: string, payload: unknown): Promise<AckReply<T>> {
  return emitWithAck<AckReply<T>>(socket, event, payload);
}

function data<T>(reply: AckReply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const ordersOf = async (member: Member, lotId: string) =>
  (await member.agent.get<{ items: OrderData[] }>(`/api/orders?lotId=${lotId}&limit=200`)).body.items;

beforeAll(async () => {
  app = await startTestApp();
  [farm, restaurant, otherFarm] = [await aFarm(app), await aRestaurant(app), await aFarm(app)];
  [farmSocket, restaurantSocket, otherFarmSocket] = [
    await app.socket(farm.agent),
    await app.socket(restaurant.agent),
    await app.socket(otherFarm.agent),
  ];
}, 60_000);
afterAll(async () => {
  await app.close();
});

describe('market actions over socket.io', () => {
  it('a restaurant bids, the farm counters, the restaurant accepts: one order, and the REST view agrees', async () => {
    const lotId = await postLot();
    const bid = data(
      await act<OfferData>(restaurantSocket, 'market:bid', { lotId, quantityGrams: 20_000, priceFenPerKg: 1200 }),
    );
    expect(bid).toMatchObject({ status: 'open', quantityGrams: 20_000, priceFenPerKg: 1200 });

    const countered = data(
      await act<OfferData>(farmSocket, 'market:counter', { offerId: bid.id, priceFenPerKg: 1400 }),
    );
    expect(countered).toMatchObject({ id: bid.id, status: 'countered', priceFenPerKg: 1400 });

    const accepted = data(
      await act<{ order: OrderData; offer: OfferData }>(restaurantSocket, 'market:accept', {
        offerId: bid.id,
        idempotencyKey: `accept-${bid.id}`,
      }),
    );
    expect(accepted.offer.status).toBe('accepted');
    expect(accepted.order).toMatchObject({ quantityGrams: 20_000, priceFenPerKg: 1400, offerId: bid.id });

    const restOffer = await restaurant.agent.get<{ status: string; orderId?: string }>(`/api/bids/${bid.id}`);
    expect(restOffer.body).toMatchObject({ status: 'accepted', orderId: accepted.order.id });
    expect((await ordersOf(farm, lotId)).map((o) => o.id)).toEqual([accepted.order.id]);
    expect((await ordersOf(restaurant, lotId)).map((o) => o.id)).toEqual([accepted.order.id]);
    expect((await restaurant.agent.get<{ remainingGrams: number }>(`/api/lots/${lotId}`)).body.remainingGrams).toBe(
      80_000,
    );
  });

  it('a bad payload is refused with the field named, exactly as REST refuses the same body', async () => {
    const lotId = await postLot();
    const body = { quantityGrams: 1500.5, priceFenPerKg: 1200 };
    const viaSocket = await act(restaurantSocket, 'market:bid', { lotId, ...body });
    const viaRest = await restaurant.agent.post<{
      error: { code: string; message: string; fields: Record<string, string>; fieldIssues: Record<string, unknown> };
    }>(`/api/lots/${lotId}/bids`, body);
    expect(viaRest.status).toBe(400);
    expect(viaSocket).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: viaRest.body.error.message,
        details: { fields: viaRest.body.error.fields, fieldIssues: viaRest.body.error.fieldIssues },
      },
    });
    expect(viaRest.body.error.fields).toHaveProperty('quantityGrams');
    expect(viaRest.body.error.fieldIssues).toEqual({ quantityGrams: { code: 'not_integer' } });

    const noLot = await act(restaurantSocket, 'market:bid', body);
    expect(noLot).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: { lotId: expect.any(String) } } },
    });
    const noKey = await act(farmSocket, 'market:accept', { offerId: 'whatever-offer' });
    expect(noKey).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: { idempotencyKey: expect.any(String) } } },
    });
    const notAnObject = await act(restaurantSocket, 'market:bid', 'bid please');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await restaurant.agent.get<{ items: unknown[] }>(`/api/offers?lotId=${lotId}`)).body.items).toEqual([]);
  });

  it('another farm cannot accept a bid on this farm’s lot, and the bid stays open', async () => {
    const lotId = await postLot();
    const bid = data(
      await act<OfferData>(restaurantSocket, 'market:bid', { lotId, quantityGrams: 10_000, priceFenPerKg: 1200 }),
    );
    const refused = await act(otherFarmSocket, 'market:accept', {
      offerId: bid.id,
      idempotencyKey: 'foreign-accept-1',
    });
    const rest = await otherFarm.agent.post<{ error: { code: string; message: string } }>(
      `/api/bids/${bid.id}/accept`,
      {},
    );
    expect(rest.status).toBe(403);
    expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: rest.body.error.message } });
    expect((await restaurant.agent.get<{ status: string }>(`/api/bids/${bid.id}`)).body.status).toBe('open');
    expect(await ordersOf(farm, lotId)).toEqual([]);
  });

  it('an accept sent over the socket and retried over REST with the same idempotency key makes one order', async () => {
    const lotId = await postLot();
    const bid = data(
      await act<OfferData>(restaurantSocket, 'market:bid', { lotId, quantityGrams: 30_000, priceFenPerKg: 1100 }),
    );
    const key = `retry-${bid.id}`;
    const viaSocket = data(
      await act<{ order: OrderData }>(farmSocket, 'market:accept', { offerId: bid.id, idempotencyKey: key }),
    );
    const viaRest = await farm.agent.post<{ order: OrderData }>(
      `/api/bids/${bid.id}/accept`,
      {},
      { headers: { 'idempotency-key': key } },
    );
    expect(viaRest.status).toBe(200);
    expect(viaRest.body.order.id).toBe(viaSocket.order.id);
    expect((await ordersOf(farm, lotId)).map((o) => o.id)).toEqual([viaSocket.order.id]);
    expect((await farm.agent.get<{ remainingGrams: number }>(`/api/lots/${lotId}`)).body.remainingGrams).toBe(70_000);
  });

  it('a bid sent over the socket with a key and retried over REST with the same key makes one offer; other terms under the key are refused', async () => {
    const lotId = await postLot();
    const key = `bid-${lotId}`;
    const viaSocket = data(
      await act<OfferData>(restaurantSocket, 'market:bid', {
        lotId,
        quantityGrams: 10_000,
        priceFenPerKg: 1200,
        idempotencyKey: key,
      }),
    );
    const viaRest = await restaurant.agent.post<OfferData>(
      `/api/lots/${lotId}/bids`,
      { quantityGrams: 10_000, priceFenPerKg: 1200 },
      { headers: { 'idempotency-key': key } },
    );
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(viaSocket);
    const againViaSocket = data(
      await act<OfferData>(restaurantSocket, 'market:bid', {
        lotId,
        quantityGrams: 10_000,
        priceFenPerKg: 1200,
        idempotencyKey: key,
      }),
    );
    expect(againViaSocket.id).toBe(viaSocket.id);

    const reused = await act(restaurantSocket, 'market:bid', {
      lotId,
      quantityGrams: 10_000,
      priceFenPerKg: 1300,
      idempotencyKey: key,
    });
    expect(reused).toMatchObject({
      ok: false,
      error: {
        code: 'IDEMPOTENCY_KEY_REUSED',
        details: { fields: { idempotencyKey: expect.any(String) }, offerId: viaSocket.id },
      },
    });
    const malformed = await act(restaurantSocket, 'market:bid', {
      lotId,
      quantityGrams: 10_000,
      priceFenPerKg: 1200,
      idempotencyKey: 'no',
    });
    expect(malformed).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: { idempotencyKey: expect.any(String) } } },
    });
    const offers = (await restaurant.agent.get<{ items: OfferData[] }>(`/api/offers?lotId=${lotId}`)).body.items;
    expect(offers.map((o) => o.id)).toEqual([viaSocket.id]);
  });

  it('a clock take over the socket and its REST retry with the same key make one order; a take beyond the stock is refused', async () => {
    const lotId = await postLot(farm, 20_000);
    expect(
      (
        await farm.agent.post(`/api/lots/${lotId}/clock`, {
          startPriceFenPerKg: 2000,
          floorHoursBeforeExpiry: 24,
          minTakeGrams: 1000,
        })
      ).status,
    ).toBe(200);
    const key = `take-${lotId}`;
    const taken = data(
      await act<{ order: OrderData }>(restaurantSocket, 'market:clockTake', {
        lotId,
        quantityGrams: 5_000,
        idempotencyKey: key,
      }),
    );
    const retried = await restaurant.agent.post<{ order: OrderData }>(
      `/api/lots/${lotId}/clock/take`,
      { quantityGrams: 5_000 },
      { headers: { 'idempotency-key': key } },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.order.id).toBe(taken.order.id);
    const tooMuch = await act(restaurantSocket, 'market:clockTake', {
      lotId,
      quantityGrams: 50_000,
      idempotencyKey: `take-more-${lotId}`,
    });
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_LEFT' } });
    expect((await ordersOf(restaurant, lotId)).map((o) => o.id)).toEqual([taken.order.id]);
    expect((await farm.agent.get<{ remainingGrams: number }>(`/api/lots/${lotId}`)).body.remainingGrams).toBe(15_000);
  });

  it('the restaurant rejects a counter and withdraws its other bid over the socket', async () => {
    const lotId = await postLot();
    const first = data(
      await act<OfferData>(restaurantSocket, 'market:bid', { lotId, quantityGrams: 10_000, priceFenPerKg: 1200 }),
    );
    data(await act(farmSocket, 'market:counter', { offerId: first.id, priceFenPerKg: 1600 }));
    expect(
      data(await act<OfferData>(restaurantSocket, 'market:reject', { offerId: first.id, reason: '太贵了' })).status,
    ).toBe('rejected');
    const second = data(
      await act<OfferData>(restaurantSocket, 'market:bid', { lotId, quantityGrams: 10_000, priceFenPerKg: 1300 }),
    );
    expect(data(await act<OfferData>(restaurantSocket, 'market:withdraw', { offerId: second.id })).status).toBe(
      'withdrawn',
    );
    expect(await act(restaurantSocket, 'market:withdraw', { offerId: second.id })).toMatchObject({
      ok: false,
      error: { code: 'OFFER_CLOSED' },
    });
  });

  it('the browser’s market API bids and accepts over the real socket without an HTTP request', async () => {
    const lotId = await postLot();
    const noHttp = async (): Promise<Response> => {
      throw new Error('the action went over HTTP');
    };
    const restaurantApi = createMarketApi(noHttp, {
      actions: () => actionChannel(restaurantSocket as unknown as AppSocket),
    });
    const farmApi = createMarketApi(noHttp, { actions: () => actionChannel(farmSocket as unknown as AppSocket) });
    const bid = await restaurantApi.bid(lotId, { quantityGrams: 10_000, priceFenPerKg: 1300 });
    if (!bid.ok) throw new Error(JSON.stringify(bid.error));
    const accepted = await farmApi.accept(bid.data.id);
    expect(accepted).toMatchObject({
      ok: true,
      data: { offer: { id: bid.data.id, status: 'accepted' }, order: { quantityGrams: 10_000 } },
    });
    const refused = await farmApi.accept(bid.data.id, 1.5);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { quantityGrams: expect.any(String) } },
    });
  });

  it('an anonymous socket gets UNAUTHENTICATED, and an event without an ack callback is ignored', async () => {
    const lotId = await postLot();
    const anonymous = await app.socket();
    expect(await act(anonymous, 'market:bid', { lotId, quantityGrams: 10_000, priceFenPerKg: 1200 })).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' },
    });

    restaurantSocket.emit(
      'market:bid' as 'session:whoami',
      { lotId, quantityGrams: 10_000, priceFenPerKg: 1200 } as never,
    );
    // Events are handled in order: by the time whoami answers, the ack-less bid has been seen (and dropped).
    expect(await emitWithAck(restaurantSocket, 'session:whoami')).toMatchObject({ ok: true });
    expect((await restaurant.agent.get<{ items: unknown[] }>(`/api/offers?lotId=${lotId}`)).body.items).toEqual([]);
  });

  it('a restaurant suspended while its socket is open cannot bid on it any more', async () => {
    const lotId = await postLot();
    const admin = await aChamberUser(app, { admin: true });
    const suspended = await aRestaurant(app);
    const socket = await app.socket(suspended.agent);
    data(await act(socket, 'market:bid', { lotId, quantityGrams: 10_000, priceFenPerKg: 1200 }));
    expect(
      (await admin.agent.post(`/api/admin/organisations/${suspended.organisationId}/suspend`, { reason: '投诉' }))
        .status,
    ).toBe(200);
    expect(await act(socket, 'market:bid', { lotId, quantityGrams: 10_000, priceFenPerKg: 1200 })).toMatchObject({
      ok: false,
      error: { code: 'ORGANISATION_SUSPENDED' },
    });
    expect((await farm.agent.get<{ items: unknown[] }>(`/api/offers?lotId=${lotId}`)).body.items).toHaveLength(1);
  });

  it('chamber staff bid on behalf of a restaurant; a restaurant cannot act on behalf of anyone', async () => {
    const lotId = await postLot();
    const staff = await aChamberUser(app, { admin: false });
    const staffSocket = await app.socket(staff.agent);
    const brokered = data(
      await act<OfferData & { buyerOrgId: string }>(staffSocket, 'market:bid', {
        lotId,
        onBehalfOf: restaurant.organisationId,
        quantityGrams: 10_000,
        priceFenPerKg: 1250,
      }),
    );
    expect(brokered.buyerOrgId).toBe(restaurant.organisationId);
    expect(brokered.history[0]?.viaBroker).toBe(true);
    // Without On-Behalf-Of the chamber bids for itself (direct procurement, docs/programme.md).
    const own = data(
      await act<OfferData & { buyerOrgId: string }>(staffSocket, 'market:bid', {
        lotId,
        quantityGrams: 10_000,
        priceFenPerKg: 1250,
      }),
    );
    expect(own.buyerOrgId).toBe(staff.organisationId);
    expect(own.history[0]?.viaBroker).toBeUndefined();
    expect(
      await act(staffSocket, 'market:bid', {
        lotId,
        onBehalfOf: farm.userId,
        quantityGrams: 10_000,
        priceFenPerKg: 1250,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: { onBehalfOf: 'is not a farm or restaurant' } } },
    });
    expect(
      await act(restaurantSocket, 'market:bid', {
        lotId,
        onBehalfOf: restaurant.organisationId,
        quantityGrams: 10_000,
        priceFenPerKg: 1250,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
