/**
 * The ghost accept of issue 12, in Debian's Chromium: a restaurant with a counter waiting clicks 全部接受 and its
 * network drops before the answer arrives. When the accept reached the server, the order is made; the page
 * says "result pending" (never 网络连接失败), and when the network returns it asks /api/outcomes and shows the
 * order as made. When the accept never arrived, the page says so once online and the person confirms again.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, signIn, signUpVerified, type Call } from './people';
import { DESKTOP, openBrowser, screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };
const farmer = { phone: aMobile(), password: '香菇长在木头上2026', org: `新干县山里鲜合作社${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };

interface OrderBody {
  id: string;
  offerId?: string;
  totalFen: number;
  status: string;
}

/** Records, in the page, whether a failure text ever showed, however briefly. */
async function watchForFailure(page: Page, text: string) {
  await page.evaluate((t) => {
    const w = window as unknown as { __sawFailure?: boolean };
    w.__sawFailure = false;
    new MutationObserver(() => {
      if (document.body.innerText.includes(t)) w.__sawFailure = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, text);
  return () => page.evaluate(() => (window as unknown as { __sawFailure?: boolean }).__sawFailure === true);
}

describe('an accept whose answer the network lost', () => {
  let app: RunningApp;
  let cook: Person;
  let farmApi: Call;
  let cookApi: Call;
  let lotId: string;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.9.0.8');
    farmApi = await signUpVerified(app, 'farm', farmer, verify);
    cookApi = await signUpVerified(app, 'restaurant', buyer, verify);
    const lot = await farmApi<{ id: string }>('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 500_000,
      harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1400,
    });
    lotId = lot.id;
    cook = await openBrowser(DESKTOP);
    await signIn(cook.page, app.baseUrl, buyer);
  });

  afterAll(async () => {
    await cook?.close();
    await app?.close();
  });

  /** The restaurant bid `kg` at ¥12/kg; the farm counters at ¥13.50/kg: a counter waits for the restaurant. */
  async function aCounterWaiting(kg: number): Promise<string> {
    const bid = await cookApi<{ id: string }>('POST', `/api/lots/${lotId}/bids`, {
      quantityGrams: kg * 1000,
      priceFenPerKg: 1200,
    });
    await farmApi('POST', `/api/bids/${bid.id}/counter`, { priceFenPerKg: 1350 });
    return bid.id;
  }
  const ordersFor = async (offerId: string) =>
    (await farmApi<{ items: OrderBody[] }>('GET', '/api/orders?limit=50')).items.filter((o) => o.offerId === offerId);
  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (done(v) || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('the accept arrived: shown pending while offline, then as done once online — never 网络连接失败', async () => {
    const c = cook.page;
    const offerId = await aCounterWaiting(40);
    await c.goto(`${app.baseUrl}/#/market/offers`);
    const counter = c.locator('.offer', { hasText: '80斤' });
    await counter.waitFor({ timeout: 10_000 });
    const sawFailure = await watchForFailure(c, '网络连接失败');

    // The server does the accept, but its answer never reaches the phone: the network drops first.
    app.interceptSocketEvent('market:accept', 'holdAnswer');
    await counter.getByRole('button', { name: '全部接受' }).click();
    const made = await until(
      () => ordersFor(offerId),
      (o) => o.length > 0,
    );
    expect(made.map((o) => o.totalFen)).toEqual([54_000]); // 40 kg × ¥13.50
    await cook.context.setOffline(true);

    const notices = c.getByTestId('pending-notices');
    await notices.getByText('网络中断，结果待确认 — 联网后自动核实，请勿重复操作').waitFor({ timeout: 12_000 });
    await c.getByTestId('offline-banner').waitFor();
    await screenshot(c, 'offline-accept-1-pending', false);

    app.interceptSocketEvent('market:accept', null);
    await cook.context.setOffline(false);
    await c.getByText('实时在线').waitFor({ timeout: 15_000 });
    await notices
      .locator('[data-status="done"]')
      .getByText('已成交：接受的出价已生成订单')
      .waitFor({ timeout: 10_000 });
    await screenshot(c, 'offline-accept-2-done', false);

    await c.getByRole('link', { name: '订单', exact: true }).click();
    await c.locator('.order', { hasText: '¥540.00' }).locator('.badge', { hasText: '已确认' }).waitFor();
    expect(await sawFailure()).toBe(false);
    expect(await c.locator('body').innerText()).not.toContain('网络连接失败');
    expect(await ordersFor(offerId)).toHaveLength(1);
  });

  it('the accept never arrived: shown as not done once online, and the person confirms it again', async () => {
    const c = cook.page;
    const offerId = await aCounterWaiting(20);
    await c.goto(`${app.baseUrl}/#/market/offers`);
    const counter = c.locator('.offer', { hasText: '40斤' });
    await counter.waitFor({ timeout: 10_000 });
    const sawFailure = await watchForFailure(c, '网络连接失败');

    // The message is lost on the way: the server never hears of it.
    app.interceptSocketEvent('market:accept', 'lose');
    await counter.getByRole('button', { name: '全部接受' }).click();
    await new Promise((r) => setTimeout(r, 500));
    await cook.context.setOffline(true);
    const notices = c.getByTestId('pending-notices');
    await notices.locator('[data-status="pending"]').waitFor({ timeout: 12_000 });
    expect(await ordersFor(offerId)).toEqual([]);

    app.interceptSocketEvent('market:accept', null);
    await cook.context.setOffline(false);
    await c.getByText('实时在线').waitFor({ timeout: 15_000 });
    await notices
      .locator('[data-status="unknown"]')
      .getByText('未送达服务器 — 请联网后重新确认（价格可能已变）')
      .waitFor({ timeout: 10_000 });
    // The row no longer says "result pending, do not repeat": the line at the top says what to do.
    await counter.getByText('请勿重复操作', { exact: false }).waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(c, 'offline-accept-3-not-arrived', false);
    expect(await ordersFor(offerId)).toEqual([]);

    // The counter still waits; confirmed again online, it makes exactly one order.
    await c.goto(`${app.baseUrl}/#/market/offers`);
    await counter.getByRole('button', { name: '全部接受' }).click();
    await until(
      () => ordersFor(offerId),
      (o) => o.length > 0,
    );
    expect((await ordersFor(offerId)).map((o) => o.totalFen)).toEqual([27_000]); // 20 kg × ¥13.50
    expect(await sawFailure()).toBe(false);
  });
});
