/**
 * Lot management (issue 12 item 3): the farm edits prices and its minimum take, reduces the quantity (never
 * below what is sold or reserved), withdraws, stops a clock sale; every change reaches watchers with the lot.
 * Minimum takes hold for bids and clock takes, except a take of the whole remainder.
 */
import { aChamberUser, aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type ClientSocket, type TestApp } from '../fixtures/test-app';
import type { MarketUpdate } from '../../shared/schemas/market';
import { lotSchema } from '../../shared/schemas/market-views';

let app: TestApp;
let farm: Member;
let otherFarm: Member;
let buyer: Member;

beforeAll(async () => {
  app = await startTestApp();
  [farm, otherFarm, buyer] = await Promise.all([aFarm(app), aFarm(app), aRestaurant(app)]);
});
afterAll(async () => {
  await app.close();
});

type Lot = ReturnType<typeof lotSchema.parse>;
type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

async function postLot(over: Record<string, unknown> = {}, by: Member = farm): Promise<Lot> {
  const posted = await by.agent.post('/api/lots', {
    productCode: 'bok_choy',
    quantityGrams: 20_000,
    harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 500,
    askPriceFenPerKg: 800,
    ...over,
  });
  expect(posted.status).toBe(201);
  return lotSchema.parse(posted.body);
}

const take = (lot: Lot, quantityGrams: number, key = `take-${Math.random().toString(36).slice(2)}`) =>
  buyer.agent.post<ErrorBody & { lot?: Lot }>(
    `/api/lots/${lot.id}/clock/take`,
    { quantityGrams },
    {
      headers: { 'idempotency-key': key },
    },
  );

const startClock = (lot: Lot, over: Record<string, unknown> = {}) =>
  farm.agent.post(`/api/lots/${lot.id}/clock`, { startPriceFenPerKg: 1000, floorHoursBeforeExpiry: 1, ...over });

/** The first market:update that matches, within 5 s. */
function heard(socket: ClientSocket, matches: (u: MarketUpdate) => boolean): Promise<MarketUpdate> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching market:update within 5 s')), 5000);
    const listener = (u: MarketUpdate) => {
      if (!matches(u)) return;
      clearTimeout(timer);
      socket.off('market:update', listener);
      resolve(u);
    };
    socket.on('market:update', listener);
  });
}

describe('minimum take', () => {
  it('defaults per product and can be set by the farm; the lot shows it', async () => {
    expect((await postLot()).minTakeGrams).toBe(2_500);
    expect((await postLot({ productCode: 'rice', quantityGrams: 500_000 })).minTakeGrams).toBe(25_000);
    expect((await postLot({ minTakeGrams: 5_000 })).minTakeGrams).toBe(5_000);
    const bad = await farm.agent.post<ErrorBody>('/api/lots', {
      productCode: 'bok_choy',
      quantityGrams: 20_000,
      harvestedAt: new Date().toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 500,
      askPriceFenPerKg: 800,
      minTakeGrams: 0,
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {})).toEqual(['minTakeGrams']);
  });

  it('refuses a bid below the minimum, naming quantityGrams, and accepts one at it', async () => {
    const lot = await postLot({ minTakeGrams: 5_000 });
    const small = await buyer.agent.post<ErrorBody>(`/api/lots/${lot.id}/bids`, {
      quantityGrams: 4_999,
      priceFenPerKg: 800,
    });
    expect(small.status).toBe(422);
    expect(small.body.error.code).toBe('BELOW_MIN_TAKE');
    expect(Object.keys(small.body.error.fields ?? {})).toEqual(['quantityGrams']);
    const enough = await buyer.agent.post(`/api/lots/${lot.id}/bids`, { quantityGrams: 5_000, priceFenPerKg: 800 });
    expect(enough.status).toBe(201);
  });

  it('refuses a 1-gram clock take, and lets the last remainder below the minimum be taken whole', async () => {
    const lot = await postLot({ quantityGrams: 7_000, minTakeGrams: 5_000 });
    expect((await startClock(lot)).status).toBe(200);
    const tiny = await take(lot, 1);
    expect(tiny.status).toBe(422);
    expect(tiny.body.error.code).toBe('BELOW_MIN_TAKE');
    expect(Object.keys(tiny.body.error.fields ?? {})).toEqual(['quantityGrams']);
    expect((await take(lot, 5_000)).status).toBe(201);
    // 2 000 g remain, below the 5 000 g minimum: part of it is refused, all of it is allowed.
    expect((await take(lot, 1_000)).status).toBe(422);
    const rest = await take(lot, 2_000);
    expect(rest.status).toBe(201);
    expect(rest.body.lot?.status).toBe('sold_out');
  });

  it('a clock set with a smaller minimum than the lot still honours the lot’s', async () => {
    const lot = await postLot({ minTakeGrams: 3_000 });
    expect((await startClock(lot, { minTakeGrams: 1 })).status).toBe(200);
    expect((await take(lot, 1)).status).toBe(422);
  });
});

describe('editing a lot', () => {
  it('changes ask, reserve and minimum; watchers on the board hear lot:edited with the lot', async () => {
    const lot = await postLot();
    const socket = await app.socket(buyer.agent);
    try {
      const event = heard(socket, (u) => u.type === 'lot:edited' && u.lotId === lot.id);
      const edited = await farm.agent.patch(`/api/lots/${lot.id}`, {
        askPriceFenPerKg: 950,
        reservePriceFenPerKg: 600,
        minTakeGrams: 4_000,
      });
      expect(edited.status).toBe(200);
      const after = lotSchema.parse(edited.body);
      expect([after.askPriceFenPerKg, after.reservePriceFenPerKg, after.minTakeGrams]).toEqual([950, 600, 4_000]);
      const update = await event;
      expect(lotSchema.parse(update.data.lot).askPriceFenPerKg).toBe(950);
    } finally {
      socket.disconnect();
    }
  });

  it('refuses an ask below the reserve and an empty edit, naming the field', async () => {
    const lot = await postLot();
    const below = await farm.agent.patch<ErrorBody>(`/api/lots/${lot.id}`, { askPriceFenPerKg: 400 });
    expect(below.status).toBe(422);
    expect(Object.keys(below.body.error.fields ?? {})).toEqual(['askPriceFenPerKg']);
    const typo = await farm.agent.patch<ErrorBody>(`/api/lots/${lot.id}`, { askPrice: 400 });
    expect(typo.status).toBe(400);
  });

  it('reduces the quantity but never below what is sold or reserved', async () => {
    const lot = await postLot({ quantityGrams: 20_000 });
    expect((await startClock(lot)).status).toBe(200);
    expect((await take(lot, 8_000)).status).toBe(201);
    const below = await farm.agent.patch<ErrorBody>(`/api/lots/${lot.id}`, { quantityGrams: 7_999 });
    expect(below.status).toBe(409);
    expect(below.body.error.code).toBe('BELOW_SOLD');
    expect(Object.keys(below.body.error.fields ?? {})).toEqual(['quantityGrams']);
    const up = await farm.agent.patch<ErrorBody>(`/api/lots/${lot.id}`, { quantityGrams: 30_000 });
    expect(up.status).toBe(422);
    const reduced = await farm.agent.patch(`/api/lots/${lot.id}`, { quantityGrams: 12_000 });
    expect(reduced.status).toBe(200);
    const after = lotSchema.parse(reduced.body);
    expect([after.quantityGrams, after.remainingGrams, after.soldGrams]).toEqual([12_000, 4_000, 8_000]);
    // Down to exactly what is sold: nothing left, so the lot is sold out and takes fail.
    const all = lotSchema.parse((await farm.agent.patch(`/api/lots/${lot.id}`, { quantityGrams: 8_000 })).body);
    expect([all.remainingGrams, all.status]).toEqual([0, 'sold_out']);
    expect((await take(lot, 1_000)).status).toBe(409);
  });

  it('only the lot’s farm (or chamber staff acting for it) may edit, withdraw or stop its clock', async () => {
    const lot = await postLot();
    for (const reply of [
      await otherFarm.agent.patch(`/api/lots/${lot.id}`, { askPriceFenPerKg: 900 }),
      await buyer.agent.post(`/api/lots/${lot.id}/withdraw`, {}),
      await otherFarm.agent.post(`/api/lots/${lot.id}/clock/stop`, {}),
    ])
      expect(reply.status).toBe(403);
    const desk = await aChamberUser(app, { admin: false });
    const brokered = await desk.agent.patch(
      `/api/lots/${lot.id}`,
      { askPriceFenPerKg: 900 },
      {
        headers: { 'on-behalf-of': farm.organisationId },
      },
    );
    expect(brokered.status).toBe(200);
  });
});

describe('withdraw and stop clock', () => {
  it('withdrawing takes the lot off the market: bids then fail, watchers hear lot:withdrawn', async () => {
    const lot = await postLot();
    const socket = await app.socket(buyer.agent);
    try {
      const event = heard(socket, (u) => u.type === 'lot:withdrawn' && u.lotId === lot.id);
      const withdrawn = await farm.agent.post(`/api/lots/${lot.id}/withdraw`, {});
      expect(withdrawn.status).toBe(200);
      expect(lotSchema.parse((await event).data.lot).status).toBe('withdrawn');
    } finally {
      socket.disconnect();
    }
    const bid = await buyer.agent.post(`/api/lots/${lot.id}/bids`, { quantityGrams: 5_000, priceFenPerKg: 800 });
    expect(bid.status).toBe(409);
    expect((await farm.agent.patch(`/api/lots/${lot.id}`, { askPriceFenPerKg: 900 })).status).toBe(409);
  });

  it('stopping the clock ends clock takes; the lot stays open at its ask', async () => {
    const lot = await postLot();
    expect((await startClock(lot)).status).toBe(200);
    const socket = await app.socket(buyer.agent);
    try {
      const event = heard(socket, (u) => u.type === 'lot:clock' && u.lotId === lot.id);
      const stopped = await farm.agent.post(`/api/lots/${lot.id}/clock/stop`, {});
      expect(stopped.status).toBe(200);
      const after = lotSchema.parse(stopped.body);
      expect([after.status, after.clock]).toEqual(['open', undefined]);
      expect(lotSchema.parse((await event).data.lot).clock).toBeUndefined();
    } finally {
      socket.disconnect();
    }
    const takeAfter = await take(lot, 5_000);
    expect(takeAfter.status).toBe(409);
    expect(takeAfter.body.error.code).toBe('NO_CLOCK');
    expect((await farm.agent.post(`/api/lots/${lot.id}/clock/stop`, {})).status).toBe(409);
  });
});
