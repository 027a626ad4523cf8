/**
 * Over real HTTP, one lot on a clock sale: the farm accepts a pile of bids while restaurants
 * take from the clock, all at the same moment, and half the requests are sent twice with the
 * same Idempotency-Key (a phone retrying on a flaky network). The lot never oversells, each
 * success carries exactly one order, each refusal is a 409 with a code, and a replay of any key
 * afterwards returns what the first attempt got — never a second order.
 * (Accepts alone are covered by market-http-concurrency.test.ts; this one is about the mix.)
 */
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type Reply, type TestApp } from '../fixtures/test-app';

jest.setTimeout(240_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

interface OrderBody {
  id: string;
  lotId: string;
  quantityGrams: number;
  status: string;
}
interface Outcome {
  order?: OrderBody;
  error?: { code: string };
}

const LOT_GRAMS = 600_000;
const PIECE = 5_000;
const BIDS = 80;
const TAKES = 120;

/** One logical request (an accept of a bid, or a take) identified by its Idempotency-Key. */
interface Attempt {
  key: string;
  send(): Promise<Reply<Outcome>>;
}

it('when 80 accepts and 120 clock takes (plus 100 same-key retries) hit a 600 kg lot at once, it sells exactly 600 kg, one order per success', async () => {
  const farm = await aFarm(app);
  const bidders = await Promise.all([aRestaurant(app), aRestaurant(app)]);
  const takers = await Promise.all([aRestaurant(app), aRestaurant(app), aRestaurant(app)]);

  const harvestedAt = new Date(Date.now() - 3_600_000).toISOString();
  const lot = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: LOT_GRAMS,
    harvestedAt,
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
  });
  expect(lot.status).toBe(201);
  const lotId = lot.body.id;
  const clock = await farm.agent.post(`/api/lots/${lotId}/clock`, {
    startPriceFenPerKg: 1600,
    floorHoursBeforeExpiry: 12,
    minTakeGrams: 1_000,
  });
  expect(clock.status).toBe(200);

  // 400 kg of bids and 600 kg of takes: 1 t of demand for 600 kg
  const bids = await Promise.all(
    Array.from({ length: BIDS }, (_, i) =>
      bidders[i % 2].agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
        quantityGrams: PIECE,
        priceFenPerKg: 1100 + i,
      }),
    ),
  );
  expect(bids.map((b) => b.status)).toEqual(bids.map(() => 201));

  const accepts = bids.map((b): Attempt => {
    const key = `accept-${b.body.id}`;
    return {
      key,
      send: () =>
        farm.agent.post<Outcome>(`/api/bids/${b.body.id}/accept`, {}, { headers: { 'idempotency-key': key } }),
    };
  });
  const takes = Array.from({ length: TAKES }, (_, i): Attempt => {
    const taker: Member = takers[i % 3];
    const key = `take-${lotId}-${i}`;
    return {
      key,
      send: () =>
        taker.agent.post<Outcome>(
          `/api/lots/${lotId}/clock/take`,
          { quantityGrams: PIECE },
          { headers: { 'idempotency-key': key } },
        ),
    };
  });
  // interleaved (2 accepts, 3 takes, …) so neither kind gets a head start
  const attempts: Attempt[] = [];
  for (let i = 0; attempts.length < BIDS + TAKES; i++) {
    attempts.push(...accepts.slice(2 * i, 2 * i + 2), ...takes.slice(3 * i, 3 * i + 3));
  }

  // every attempt once, every other one twice, interleaved, all in flight together
  const fired: { key: string; reply: Promise<Reply<Outcome>> }[] = [];
  attempts.forEach((a, i) => {
    fired.push({ key: a.key, reply: a.send() });
    if (i % 2 === 0) fired.push({ key: a.key, reply: a.send() });
  });
  const replies = await Promise.all(fired.map(async (f) => ({ key: f.key, reply: await f.reply })));

  // every reply is a success with one order, or a 409 with a code that says why
  const orderIdsByKey = new Map<string, Set<string>>();
  const refusedCodes = new Map<string, number>();
  for (const { key, reply } of replies) {
    if (reply.status >= 200 && reply.status < 300) {
      expect(reply.body.order).toMatchObject({ lotId, status: 'confirmed', quantityGrams: PIECE });
      orderIdsByKey.set(key, (orderIdsByKey.get(key) ?? new Set()).add(reply.body.order?.id ?? ''));
    } else {
      expect({ key, status: reply.status }).toEqual({ key, status: 409 });
      const code = reply.body.error?.code ?? 'none';
      refusedCodes.set(code, (refusedCodes.get(code) ?? 0) + 1);
    }
  }
  expect(
    [...refusedCodes.keys()].filter((c) => !['NOT_ENOUGH_LEFT', 'LOT_NOT_OPEN', 'CONCURRENT_UPDATE'].includes(c)),
  ).toEqual([]);
  for (const ids of orderIdsByKey.values()) expect(ids.size).toBe(1);

  // the orders are exactly the successes; together they are the lot, and the lot agrees
  const orders = (await farm.agent.get<{ items: OrderBody[] }>(`/api/orders?lotId=${lotId}&limit=200`)).body.items;
  const successOrderIds = new Set([...orderIdsByKey.values()].flatMap((s) => [...s]));
  expect(new Set(orders.map((o) => o.id))).toEqual(successOrderIds);
  const soldGrams = orders.reduce((sum, o) => sum + o.quantityGrams, 0);
  expect(soldGrams).toBeLessThanOrEqual(LOT_GRAMS);
  expect(soldGrams).toBe(LOT_GRAMS); // demand was 1 t, so every piece went
  expect(orders.every((o) => o.status === 'confirmed')).toBe(true);
  const after = await farm.agent.get<{ remainingGrams: number; soldGrams: number; status: string }>(
    `/api/lots/${lotId}`,
  );
  expect(after.body).toMatchObject({ remainingGrams: LOT_GRAMS - soldGrams, status: 'sold_out' });

  // both kinds of sale got a share, and both kinds were refused (the mix really raced)
  const acceptOrders = [...orderIdsByKey.keys()].filter((k) => k.startsWith('accept-')).length;
  const takeOrders = [...orderIdsByKey.keys()].filter((k) => k.startsWith('take-')).length;
  expect(acceptOrders + takeOrders).toBe(LOT_GRAMS / PIECE);
  expect(acceptOrders).toBeGreaterThan(0);
  expect(takeOrders).toBeGreaterThan(0);

  // the lot's reservations are exactly these orders; nothing is left pending for the sweep
  const stored = await app.db.connection
    .collection<{ _id: string; reservations: { orderId: string; grams: number }[] }>('lots')
    .findOne({ _id: lotId });
  expect(new Set(stored?.reservations.map((r) => r.orderId))).toEqual(successOrderIds);
  expect(await app.db.connection.collection('orders').countDocuments({ lotId, status: 'pending' })).toBe(0);
  expect(await app.handle.market.jobs.runOnce()).toMatchObject({
    confirmedOrders: 0,
    failedOrders: 0,
    settledOffers: 0,
  });

  // a late retry of every key, all at once: the same order for a success, no order for a refusal
  const replays = await Promise.all(attempts.map(async (a) => ({ key: a.key, reply: await a.send() })));
  for (const { key, reply } of replays) {
    const first = orderIdsByKey.get(key);
    if (first) {
      expect({ key, status: reply.status, orderId: reply.body.order?.id }).toEqual({
        key,
        status: 200,
        orderId: [...first][0],
      });
    } else {
      expect({ key, status: reply.status }).toEqual({ key, status: 409 });
    }
  }
  const ordersAfterReplay = (await farm.agent.get<{ items: OrderBody[] }>(`/api/orders?lotId=${lotId}&limit=200`)).body
    .items;
  expect(ordersAfterReplay).toHaveLength(orders.length);
  process.stdout.write(
    `race: ${acceptOrders} accept orders, ${takeOrders} take orders, refusals ${JSON.stringify(Object.fromEntries(refusedCodes))}\n`,
  );
});
