/**
 * The desk's lists page like every list (shared/domain/paging.ts): the at-risk board's lots (soonest
 * expiry first, searched by product or farm) and the deal log (brokered offers, newest or oldest first,
 * searched by party name). Paging through never repeats or skips a row while the market moves between
 * pages; a bad cursor or limit is a 400 naming the field; only chamber staff read them.
 */
import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };
interface BoardPage {
  items: { lotId: string; expiresAt: string; sellerName: string | null; productCode: string }[];
  nextCursor: string | null;
  surplusFarms: unknown[];
  unansweredDemand: unknown[];
}
interface DealsPage {
  items: { offerId: string; sentAt: string; sellerName: string | null; buyerName: string | null }[];
  nextCursor: string | null;
}

let app: DeskApp;
let green: Client;
let hill: Client;
let cook: Client;
let staff: Client;

beforeAll(async () => {
  app = await startDeskApp('desk_paging', T0, { realMarket: true });
  green = await app.signIn('farm', { orgId: (await app.org('farm', { name: '绿源食用菌合作社' })).id });
  hill = await app.signIn('farm', { orgId: (await app.org('farm', { name: '青山蔬菜农场' })).id });
  cook = await app.signIn('restaurant', { orgId: (await app.org('restaurant', { name: '赣味餐厅' })).id });
  staff = await app.signIn('chamber', { orgId: (await app.org('chamber')).id, displayName: '李明' });
});
afterAll(() => app.close());

/** A lot expiring `expiresInHours` from now (the desk's window is 48 h). */
async function postLot(farm: Client, productCode: string, expiresInHours: number): Promise<string> {
  const posted = await farm.post('/api/lots', {
    productCode,
    quantityGrams: 100_000,
    harvestedAt: new Date(app.time.now.getTime() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1300,
    expiresAt: new Date(app.time.now.getTime() + expiresInHours * 3_600_000).toISOString(),
  });
  expect(posted.status).toBe(201);
  return ((await posted.json()) as { id: string }).id;
}

async function board(query: string): Promise<BoardPage> {
  const res = await staff.get(`/api/desk/at-risk?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as BoardPage;
}

async function deals(query: string): Promise<DealsPage> {
  const res = await staff.get(`/api/desk/brokered-offers?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as DealsPage;
}

/** The broker bids for the restaurant (On-Behalf-Of): a brokered offer in the deal log. */
async function brokeredBid(lotId: string, grams = 10_000): Promise<string> {
  const made = await staff.post(
    `/api/lots/${lotId}/bids`,
    { quantityGrams: grams, priceFenPerKg: 1300 },
    { 'On-Behalf-Of': cook.orgId },
  );
  expect(made.status).toBe(201);
  return ((await made.json()) as { id: string }).id;
}

const after = (cursor: string | null) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

describe('the at-risk board pages', () => {
  it('soonest expiry first, every lot once, while lots are posted and sold out between pages', async () => {
    const lots: string[] = [];
    for (const h of [30, 5, 12, 40, 20, 8, 26]) lots.push(await postLot(green, 'shiitake', h));
    // expiry order: 5, 8, 12, 20, 26, 30, 40
    const byExpiry = [lots[1], lots[5], lots[2], lots[4], lots[6], lots[0], lots[3]];
    const seen: string[] = [];
    let page = await board('limit=2');
    seen.push(...page.items.map((l) => l.lotId));
    expect(seen).toEqual(byExpiry.slice(0, 2));
    // Between pages: a lot expiring sooner than the cursor (before it: not this walk's), one later (it comes),
    // and the lot at 20 h sells out (gone before its page).
    await postLot(hill, 'bok_choy', 1);
    const latecomer = await postLot(hill, 'bok_choy', 45);
    const bid = await cook.post(`/api/lots/${lots[4]}/bids`, { quantityGrams: 100_000, priceFenPerKg: 1300 });
    expect((await green.post(`/api/bids/${((await bid.json()) as { id: string }).id}/accept`, {})).status).toBe(200);
    while (page.nextCursor) {
      page = await board(`limit=2${after(page.nextCursor)}`);
      seen.push(...page.items.map((l) => l.lotId));
    }
    expect(seen).toEqual([...byExpiry.filter((id) => id !== lots[4]), latecomer]);
    expect(page.nextCursor).toBeNull();
    // Every page still carries the farms' outlook and unanswered demand.
    expect(page.surplusFarms).toEqual(expect.any(Array));
    expect(page.unansweredDemand).toEqual(expect.any(Array));
  });

  it('searches by product name or farm name', async () => {
    const byProduct = await board(`q=${encodeURIComponent('上海青')}&limit=200`);
    expect(byProduct.items.length).toBeGreaterThan(0);
    expect(byProduct.items.every((l) => l.productCode === 'bok_choy')).toBe(true);
    const byFarm = await board(`q=${encodeURIComponent('绿源')}&limit=200`);
    expect(byFarm.items.length).toBeGreaterThan(0);
    expect(byFarm.items.every((l) => l.sellerName === '绿源食用菌合作社')).toBe(true);
    expect((await board(`q=${encodeURIComponent('榴莲')}`)).items).toEqual([]);
  });
});

describe('the deal log pages', () => {
  it('newest first, every brokered offer once, while offers are made and answered between pages', async () => {
    const lotId = await postLot(hill, 'tomato', 40);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      app.time.now = new Date(app.time.now.getTime() + 60_000);
      made.push(await brokeredBid(lotId));
    }
    const seen: string[] = [];
    let page = await deals('limit=2');
    seen.push(...page.items.map((d) => d.offerId));
    // Between pages: a newer brokered offer (before the cursor) and the farm accepts an older one.
    app.time.now = new Date(app.time.now.getTime() + 60_000);
    const newer = await brokeredBid(lotId);
    expect((await hill.post(`/api/bids/${made[1]}/accept`, {})).status).toBe(200);
    while (page.nextCursor) {
      page = await deals(`limit=2${after(page.nextCursor)}`);
      seen.push(...page.items.map((d) => d.offerId));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(newer);
    expect(seen.slice(0, 5)).toEqual([...made].reverse());

    const oldest: string[] = [];
    let cursor: string | null = null;
    do {
      const p: DealsPage = await deals(`sort=oldest&q=${encodeURIComponent('青山')}&limit=3${after(cursor)}`);
      oldest.push(...p.items.map((d) => d.offerId));
      cursor = p.nextCursor;
    } while (cursor);
    expect(oldest).toEqual([...made, newer]);
  });

  it('searches by the farm’s or the buyer’s name', async () => {
    const byBuyer = await deals(`q=${encodeURIComponent('赣味')}&limit=200`);
    expect(byBuyer.items.length).toBeGreaterThan(0);
    expect(byBuyer.items.every((d) => d.buyerName === '赣味餐厅')).toBe(true);
    expect((await deals(`q=${encodeURIComponent('绿源')}`)).items).toEqual([]);
  });
});

describe('desk paging refuses', () => {
  it('a cursor that is not one of ours or belongs to another list or order, naming cursor; a bad limit, naming limit', async () => {
    await brokeredBid(await postLot(green, 'shiitake', 30));
    const newest = await deals('limit=1');
    const atRisk = await board('limit=1');
    expect(newest.nextCursor).toEqual(expect.any(String));
    expect(atRisk.nextCursor).toEqual(expect.any(String));
    const refused = [
      ['/api/desk/brokered-offers?cursor=nonsense!', 'cursor'],
      [`/api/desk/brokered-offers?sort=oldest${after(newest.nextCursor)}`, 'cursor'],
      [`/api/desk/brokered-offers?${after(atRisk.nextCursor).slice(1)}`, 'cursor'],
      [`/api/desk/at-risk?${after(newest.nextCursor).slice(1)}`, 'cursor'],
      ['/api/desk/at-risk?limit=0', 'limit'],
      ['/api/desk/brokered-offers?limit=201', 'limit'],
    ];
    for (const [url, field] of refused) {
      const res = await staff.get(url);
      expect(res.status).toBe(400);
      expect(Object.keys(((await res.json()) as ErrorBody).error.fields ?? {})).toEqual([field]);
    }
  });

  it('anyone but chamber staff: 403', async () => {
    for (const who of [green, cook]) {
      expect((await who.get('/api/desk/brokered-offers?limit=5')).status).toBe(403);
      expect((await who.get('/api/desk/at-risk?limit=5')).status).toBe(403);
    }
  });
});
