/**
 * Keyset paging (shared/domain/paging.ts) on GET /api/lots and GET /api/orders: `{ items, nextCursor }`,
 * nextCursor null on the last page, and paging through never repeats or skips a row while others post and
 * trade between pages. A cursor that is not ours, or belongs to another sort, and a limit out of range are
 * 400s naming the field.
 */
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { lotList, orderList } from '../../shared/schemas/market-views';

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

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** Tofu keeps a few days cold: an older harvest expires sooner, so harvest times order the board. */
async function postLot(productCode: string, harvestedHoursAgo: number, askPriceFenPerKg = 700) {
  const posted = await farm.agent.post<{ id: string; expiresAt: string }>('/api/lots', {
    productCode,
    quantityGrams: 20_000,
    harvestedAt: hoursAgo(harvestedHoursAgo),
    storage: 'cold',
    reservePriceFenPerKg: 400,
    askPriceFenPerKg,
  });
  expect(posted.status).toBe(201);
  return posted.body;
}

/** The restaurant bids for the whole lot and the farm accepts: the lot sells out, an order is confirmed. */
async function buyOut(lotId: string, priceFenPerKg = 700) {
  const bid = await cook.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
    quantityGrams: 20_000,
    priceFenPerKg,
  });
  expect(bid.status).toBe(201);
  const accepted = await farm.agent.post<{ order: { id: string } }>(`/api/bids/${bid.body.id}/accept`, {});
  expect(accepted.status).toBe(200);
  return accepted.body.order.id;
}

async function lotsPage(query: string) {
  const reply = await cook.agent.get(`/api/lots?${query}`);
  expect(reply.status).toBe(200);
  return lotList.parse(reply.body);
}

describe('GET /api/lots pages', () => {
  it('pages through by expiry: every lot once, in order, while lots are posted and sold between pages', async () => {
    const posted = [];
    for (let i = 0; i < 11; i++) posted.push(await postLot('tofu', 1 + i * 2));
    // Two lots harvested in the same millisecond expire together: the id breaks the tie.
    const twinsAt = hoursAgo(7);
    for (let i = 0; i < 2; i++) {
      const twin = await farm.agent.post<{ id: string; expiresAt: string }>('/api/lots', {
        productCode: 'tofu',
        quantityGrams: 20_000,
        harvestedAt: twinsAt,
        storage: 'cold',
        reservePriceFenPerKg: 400,
        askPriceFenPerKg: 700,
      });
      posted.push(twin.body);
    }
    const seen: string[] = [];
    let page = await lotsPage('productCode=tofu&limit=4');
    seen.push(...page.items.map((l) => l.id));
    let turn = 0;
    const latecomers: string[] = [];
    const behind: string[] = [];
    while (page.nextCursor) {
      turn += 1;
      // Others trade meanwhile: a lot on a later page sells out, one already seen sells out, a new lot
      // lands after the cursor (it must appear) and one before it (it must not come back as a repeat).
      if (turn === 1) {
        await buyOut(posted[0].id);
        await buyOut(seen[seen.length - 1]);
        latecomers.push((await postLot('tofu', 0)).id); // expires last
        behind.push((await postLot('tofu', 30)).id); // expires before anything seen so far: behind the cursor
      }
      page = await lotsPage(`productCode=tofu&limit=4&cursor=${encodeURIComponent(page.nextCursor)}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((l) => l.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([...posted.map((l) => l.id), ...latecomers]));
    expect(seen).not.toContain(behind[0]);
    const expiries = (
      await Promise.all(seen.map((id) => cook.agent.get<{ expiresAt: string }>(`/api/lots/${id}`)))
    ).map((r) => Date.parse(r.body.expiresAt));
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
  });

  it('open lots only: a lot sold before its page is reached is gone, every other open lot comes once', async () => {
    const posted = [];
    for (let i = 0; i < 6; i++) posted.push(await postLot('lotus_root', 1 + i));
    const first = await lotsPage('productCode=lotus_root&status=open&limit=2');
    expect(first.items.map((l) => l.id)).toEqual([posted[5].id, posted[4].id]);
    await buyOut(posted[1].id);
    const seen = first.items.map((l) => l.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await lotsPage(`productCode=lotus_root&status=open&limit=2&cursor=${encodeURIComponent(cursor)}`);
      seen.push(...next.items.map((l) => l.id));
      cursor = next.nextCursor;
    }
    expect(seen).toEqual([posted[5].id, posted[4].id, posted[3].id, posted[2].id, posted[0].id]);
  });

  it('sorts by price, cheapest first, across pages', async () => {
    const prices = [900, 500, 700, 650, 800];
    for (const price of prices) await postLot('bok_choy', 2, price);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await lotsPage(
        `productCode=bok_choy&sort=price&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.items.map((l) => l.askPriceFenPerKg));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([500, 650, 700, 800, 900]);
  });

  it('by price, a lot repriced between pages is shown once, where the walk saw it: no repeat, no skip', async () => {
    const posted = [];
    for (const price of [500, 600, 700, 800, 900, 1000]) posted.push(await postLot('lettuce', 2, price));
    const [, at600, , at800, , at1000] = posted;
    const first = await lotsPage('productCode=lettuce&sort=price&limit=2');
    expect(first.items.map((l) => l.askPriceFenPerKg)).toEqual([500, 600]);
    // Between pages: a lot already seen goes dearest (it would repeat), an unseen one goes cheapest (it would
    // be skipped), and another unseen one is repriced within the rest.
    const reprice = async (id: string, askPriceFenPerKg: number) => {
      const edited = await farm.agent.patch(`/api/lots/${id}`, { askPriceFenPerKg });
      expect(edited.status).toBe(200);
    };
    await reprice(at600.id, 1200);
    await reprice(at800.id, 450);
    await reprice(at1000.id, 650);
    const seen = first.items.map((l) => l.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await lotsPage(`productCode=lettuce&sort=price&limit=2&cursor=${encodeURIComponent(cursor)}`);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(posted.map((l) => l.id));
    // A new walk orders by the asks as they are now.
    const fresh = await lotsPage('productCode=lettuce&sort=price&limit=10');
    expect(fresh.items.map((l) => l.askPriceFenPerKg)).toEqual([450, 500, 650, 700, 900, 1200]);
  });

  it('answers nextCursor null on the last page and on an empty list', async () => {
    expect(await lotsPage('productCode=eggplant')).toEqual({ items: [], nextCursor: null });
    await postLot('eggplant', 1);
    const only = await lotsPage('productCode=eggplant&limit=1');
    expect(only.items).toHaveLength(1);
    expect(only.nextCursor).toBeNull();
  });

  it('refuses a cursor that is not one of ours, or was made for another sort, naming cursor', async () => {
    for (let i = 0; i < 3; i++) await postLot('cucumber', 1 + i);
    const byPrice = await lotsPage('productCode=cucumber&sort=price&limit=1');
    expect(byPrice.nextCursor).toEqual(expect.any(String));
    const bad = [
      'not-a-cursor!',
      'eyJzIjoiZXhwaXJ5In0', // {"s":"expiry"}: no keys, no id
      Buffer.from('{"s":"expiry","k":[{"$gt":1}],"i":"x"}').toString('base64url'),
      'x'.repeat(600),
      encodeURIComponent(byPrice.nextCursor ?? ''), // a price cursor on the expiry order
    ];
    for (const cursor of bad) {
      const reply = await cook.agent.get<ErrorBody>(`/api/lots?productCode=cucumber&cursor=${cursor}`);
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.error.fields ?? {})).toEqual(['cursor']);
    }
  });

  it('refuses a limit out of 1–200, naming limit', async () => {
    for (const limit of ['0', '201', 'abc', '2.5', '-1']) {
      const reply = await cook.agent.get<ErrorBody>(`/api/lots?limit=${limit}`);
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.error.fields ?? {})).toEqual(['limit']);
    }
  });

  it('keeps the first page’s ETag (304 when unchanged), and the next page follows it', async () => {
    for (let i = 0; i < 3; i++) await postLot('tomato', 1 + i);
    const first = await cook.agent.get<{ nextCursor: string }>('/api/lots?productCode=tomato&limit=2');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\//);
    expect(
      (await cook.agent.get('/api/lots?productCode=tomato&limit=2', { headers: { 'if-none-match': etag ?? '' } }))
        .status,
    ).toBe(304);
    const second = await cook.agent.get(
      `/api/lots?productCode=tomato&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.status).toBe(200);
    expect(lotList.parse(second.body).items).toHaveLength(1);
  });
});

describe('GET /api/orders pages', () => {
  it('pages newest first: every order once while new orders are placed between pages', async () => {
    const orderIds: string[] = [];
    for (let i = 0; i < 5; i++) orderIds.push(await buyOut((await postLot('napa_cabbage', 2)).id));
    const first = await cook.agent.get('/api/orders?limit=2');
    expect(first.status).toBe(200);
    let page = orderList.parse(first.body);
    const seen = page.items.map((o) => o.id);
    const placedMeanwhile = await buyOut((await postLot('napa_cabbage', 2)).id); // newer than the cursor
    while (page.nextCursor) {
      const next = await cook.agent.get(`/api/orders?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`);
      page = orderList.parse(next.body);
      seen.push(...page.items.map((o) => o.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(orderIds));
    expect(seen).not.toContain(placedMeanwhile); // it sorts before the first page; a reload shows it
    const createdAt = await Promise.all(
      seen.map(async (id) =>
        Date.parse((await cook.agent.get<{ createdAt: string }>(`/api/orders/${id}`)).body.createdAt),
      ),
    );
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
  });

  it('searches by product name and sorts by price, and the farm sees the same orders', async () => {
    await buyOut((await postLot('chili_pepper', 2)).id, 900);
    await buyOut((await postLot('chili_pepper', 2)).id, 1200);
    const found = orderList.parse(
      (await cook.agent.get(`/api/orders?q=${encodeURIComponent('辣椒')}&sort=price&limit=10`)).body,
    );
    expect(found.items.map((o) => [o.productCode, o.priceFenPerKg])).toEqual([
      ['chili_pepper', 1200],
      ['chili_pepper', 900],
    ]);
    const farmSide = orderList.parse((await farm.agent.get('/api/orders?q=chili&limit=10')).body);
    expect(farmSide.items.map((o) => o.id).sort()).toEqual(found.items.map((o) => o.id).sort());
  });

  it('refuses a bad cursor and a bad limit, naming the field', async () => {
    const badCursor = await cook.agent.get<ErrorBody>('/api/orders?cursor=%7B%7D');
    expect(badCursor.status).toBe(400);
    expect(Object.keys(badCursor.body.error.fields ?? {})).toEqual(['cursor']);
    const badLimit = await cook.agent.get<ErrorBody>('/api/orders?limit=1000');
    expect(badLimit.status).toBe(400);
    expect(Object.keys(badLimit.body.error.fields ?? {})).toEqual(['limit']);
  });
});
