/**
 * The market's actions go over the socket while it is connected and fall back to REST — carrying the
 * same Idempotency-Key, so that a retry of a bid, an accept or a take can never make a second offer or order.
 */
import type { Ack } from '../../shared/events';
import type { ActionChannel } from '../../client/src/socket';
import { ACTION_ACK_TIMEOUT_MS, createMarketApi, newIdempotencyKey } from '../../client/src/state/market-api';

interface Sent {
  event: string;
  payload: Record<string, unknown>;
  timeoutMs: number;
}

/** A socket that answers each action with `reply` (or throws it: an ack timeout or a drop). */
function fakeChannel(connected: boolean, reply: (sent: Sent) => Ack<unknown>) {
  const sent: Sent[] = [];
  const channel: ActionChannel = {
    connected,
    send: (async (event: string, payload: Record<string, unknown>, timeoutMs: number) => {
      const s = { event, payload, timeoutMs };
      sent.push(s);
      return reply(s);
    }) as ActionChannel['send'],
  };
  return { channel, sent };
}

const timedOut = (): never => {
  throw new Error('operation has timed out');
};

/** A fetch that records requests and answers 200 with `body`. */
function fakeFetch(body: unknown) {
  const calls: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetchImpl = async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: String(init.method),
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    return new Response(JSON.stringify(body), { status: 200 });
  };
  return { fetchImpl, calls };
}

const ORDER = { id: 'o1', quantityGrams: 5000 };
const OFFER = { id: 'b1', status: 'accepted' };
let keys = 0;
const newKey = () => `test-key-${++keys}`;

describe('market actions over the socket, with REST as the fallback', () => {
  it('accepts over a connected socket with an idempotency key, and makes no HTTP request', async () => {
    const { channel, sent } = fakeChannel(true, () => ({ ok: true, data: { order: ORDER, offer: OFFER } }));
    const { fetchImpl, calls } = fakeFetch({});
    const api = createMarketApi(fetchImpl, { actions: () => channel, newKey });
    const r = await api.accept('b1', 5000);
    expect(r).toEqual({ ok: true, data: { order: ORDER, offer: OFFER } });
    expect(sent).toEqual([
      {
        event: 'market:accept',
        payload: { offerId: 'b1', quantityGrams: 5000, idempotencyKey: expect.stringMatching(/^test-key-/) },
        timeoutMs: ACTION_ACK_TIMEOUT_MS,
      },
    ]);
    expect(calls).toEqual([]);
  });

  it('accepts over REST, with an Idempotency-Key, while the socket is disconnected', async () => {
    const { channel, sent } = fakeChannel(false, () => ({ ok: true, data: {} }));
    const { fetchImpl, calls } = fakeFetch({ order: ORDER, offer: OFFER });
    const r = await createMarketApi(fetchImpl, { actions: () => channel, newKey }).accept('b1');
    expect(r).toEqual({ ok: true, data: { order: ORDER, offer: OFFER } });
    expect(sent).toEqual([]);
    expect(calls).toEqual([
      {
        url: '/api/bids/b1/accept',
        method: 'POST',
        headers: expect.objectContaining({ 'idempotency-key': expect.stringMatching(/^test-key-/) }),
        body: {},
      },
    ]);
  });

  it('when the accept’s ack never comes, sends it again over REST with the same key', async () => {
    const { channel, sent } = fakeChannel(true, timedOut);
    const { fetchImpl, calls } = fakeFetch({ order: ORDER, offer: OFFER });
    const r = await createMarketApi(fetchImpl, { actions: () => channel, newKey }).accept('b1');
    expect(r.ok).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0].headers['idempotency-key']).toBe(sent[0].payload.idempotencyKey);
  });

  it('when a clock take’s ack never comes, takes over REST with the same key and the same body', async () => {
    const { channel, sent } = fakeChannel(true, timedOut);
    const { fetchImpl, calls } = fakeFetch({ order: ORDER });
    await createMarketApi(fetchImpl, { actions: () => channel, newKey }).take('l1', {
      quantityGrams: 5000,
      maxPriceFenPerKg: 1800,
    });
    expect(sent[0]).toMatchObject({
      event: 'market:clockTake',
      payload: { lotId: 'l1', quantityGrams: 5000, maxPriceFenPerKg: 1800 },
    });
    expect(calls).toEqual([
      {
        url: '/api/lots/l1/clock/take',
        method: 'POST',
        headers: expect.objectContaining({ 'idempotency-key': sent[0].payload.idempotencyKey }),
        body: { quantityGrams: 5000, maxPriceFenPerKg: 1800 },
      },
    ]);
  });

  it('bids over a connected socket with a fresh idempotency key per bid, and makes no HTTP request', async () => {
    const { channel, sent } = fakeChannel(true, () => ({ ok: true, data: { id: 'b2' } }));
    const { fetchImpl, calls } = fakeFetch({});
    const api = createMarketApi(fetchImpl, { actions: () => channel, newKey });
    await api.bid('l1', { quantityGrams: 5000, priceFenPerKg: 1200 });
    await api.bid('l1', { quantityGrams: 5000, priceFenPerKg: 1200 });
    expect(sent.map((s) => s.payload)).toEqual([
      { lotId: 'l1', quantityGrams: 5000, priceFenPerKg: 1200, idempotencyKey: expect.stringMatching(/^test-key-/) },
      { lotId: 'l1', quantityGrams: 5000, priceFenPerKg: 1200, idempotencyKey: expect.stringMatching(/^test-key-/) },
    ]);
    expect(sent[0].payload.idempotencyKey).not.toBe(sent[1].payload.idempotencyKey);
    expect(calls).toEqual([]);
  });

  it('when a bid’s ack never comes, bids again over REST with the same key and the same body', async () => {
    const { channel, sent } = fakeChannel(true, timedOut);
    const { fetchImpl, calls } = fakeFetch({ id: 'b2' });
    const r = await createMarketApi(fetchImpl, { actions: () => channel, newKey }).bid('l1', {
      quantityGrams: 5000,
      priceFenPerKg: 1200,
      validUntil: '2030-01-01T00:00:00.000Z',
    });
    expect(r).toEqual({ ok: true, data: { id: 'b2' } });
    expect(sent).toHaveLength(1);
    expect(calls).toEqual([
      {
        url: '/api/lots/l1/bids',
        method: 'POST',
        headers: expect.objectContaining({ 'idempotency-key': sent[0].payload.idempotencyKey }),
        body: { quantityGrams: 5000, priceFenPerKg: 1200, validUntil: '2030-01-01T00:00:00.000Z' },
      },
    ]);
  });

  it('bids over REST, with an Idempotency-Key, when there is no socket at all', async () => {
    const { fetchImpl, calls } = fakeFetch({ id: 'b2' });
    const r = await createMarketApi(fetchImpl, { actions: () => null, newKey }).bid('l1', {
      quantityGrams: 5000,
      priceFenPerKg: 1200,
    });
    expect(r).toEqual({ ok: true, data: { id: 'b2' } });
    expect(calls).toEqual([
      {
        url: '/api/lots/l1/bids',
        method: 'POST',
        headers: expect.objectContaining({ 'idempotency-key': expect.stringMatching(/^test-key-/) }),
        body: { quantityGrams: 5000, priceFenPerKg: 1200 },
      },
    ]);
  });

  it('offers to demand over REST with a fresh Idempotency-Key per offer, so a retried request makes no second offer', async () => {
    const { fetchImpl, calls } = fakeFetch({ id: 's1' });
    const api = createMarketApi(fetchImpl, { actions: () => null, newKey });
    const body = { lotId: 'l1', quantityGrams: 5000, priceFenPerKg: 1200 };
    expect(await api.offerToDemand('d1', body)).toEqual({ ok: true, data: { id: 's1' } });
    await api.offerToDemand('d1', body);
    expect(calls).toEqual([
      {
        url: '/api/demand/d1/offers',
        method: 'POST',
        headers: expect.objectContaining({ 'idempotency-key': expect.stringMatching(/^test-key-/) }),
        body,
      },
      {
        url: '/api/demand/d1/offers',
        method: 'POST',
        headers: expect.objectContaining({ 'idempotency-key': expect.stringMatching(/^test-key-/) }),
        body,
      },
    ]);
    expect(calls[0].headers['idempotency-key']).not.toBe(calls[1].headers['idempotency-key']);
  });

  it('counters over REST when the counter’s ack never comes (a repeat is refused by the offer’s state)', async () => {
    const { channel } = fakeChannel(true, timedOut);
    const { fetchImpl, calls } = fakeFetch({ id: 'b1', status: 'countered' });
    const r = await createMarketApi(fetchImpl, { actions: () => channel, newKey }).counter('b1', {
      priceFenPerKg: 1300,
    });
    expect(r.ok).toBe(true);
    expect(calls.map((c) => [c.url, c.body])).toEqual([['/api/bids/b1/counter', { priceFenPerKg: 1300 }]]);
  });

  it('turns a refusal answered over the socket into the same failure shape as REST’s, fields named, without retrying', async () => {
    const { channel } = fakeChannel(true, () => ({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Invalid request: quantityGrams',
        details: { fields: { quantityGrams: 'must be whole grams' } },
      },
    }));
    const { fetchImpl, calls } = fakeFetch({});
    const r = await createMarketApi(fetchImpl, { actions: () => channel, newKey }).bid('l1', {
      quantityGrams: 1.5,
      priceFenPerKg: 1200,
    });
    expect(r).toEqual({
      ok: false,
      error: {
        status: 0,
        code: 'VALIDATION',
        message: 'Invalid request: quantityGrams',
        fields: { quantityGrams: 'must be whole grams' },
      },
    });
    expect(calls).toEqual([]);
  });

  it('makes a fresh key for each action, valid for the server’s Idempotency-Key rule', () => {
    const [a, b] = [newIdempotencyKey(), newIdempotencyKey()];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[\w.:-]{8,128}$/);
  });
});
