/**
 * A shared village phone (issue 12, docs/offline.md), in Debian's Chromium at 390×844:
 *  - 确认收货 made offline waits in the outbox, shown pending, and is sent once on reconnect with its key;
 *  - the offline banner stays visible under the sticky top bar however far the page scrolls (phone and desktop);
 *  - at sign-out nothing of the person stays: the next person who signs in on the phone, online or offline,
 *    sees none of their lots, and what they left in the outbox is never sent as the next person.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified, type Call } from './people';
import { DESKTOP, openBrowser, PHONE, screenshot } from './browser';

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };
const farmA = { phone: aMobile(), password: '香菇长在木头上2026', org: `新干县山里鲜合作社${randomInt(1000)}` };
const farmB = { phone: aMobile(), password: '井冈山的竹笋最鲜2026', org: `井冈山竹笋合作社${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };

interface OrderBody {
  id: string;
  number?: string;
  status: string;
  deliveredGrams?: number;
  timeline?: { status: string }[];
}
interface LotBody {
  id: string;
  sellerOrgId: string;
  quantityGrams: number;
}

/** The banner is on screen, under the top bar, and nothing covers its middle. */
async function expectBannerVisible(page: Page) {
  const banner = page.getByTestId('offline-banner');
  const box = await banner.boundingBox();
  const bar = await page.locator('header.topbar').boundingBox();
  expect(box).not.toBeNull();
  expect(bar).not.toBeNull();
  if (!box || !bar) return;
  expect(box.y).toBeGreaterThanOrEqual(bar.y + bar.height - 1);
  expect(box.y + box.height).toBeLessThan(page.viewportSize()?.height ?? 0);
  const onTop = await page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid="offline-banner"]') !== null,
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  expect(onTop).toBe(true);
}

describe('a shared phone, offline', () => {
  let app: RunningApp;
  let farmApi: Call;
  let cookApi: Call;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.9.0.9');
    farmApi = await signUpVerified(app, 'farm', farmA, verify);
    await signUpVerified(app, 'farm', farmB, verify);
    cookApi = await signUpVerified(app, 'restaurant', buyer, verify);
  });

  afterAll(async () => {
    await app?.close();
  });

  const aLot = (grams: number) =>
    farmApi<LotBody>('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: grams,
      harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1400,
    });

  it('确认收货 offline waits on the phone as pending and is sent once on reconnect, with its key', async () => {
    const lot = await aLot(500_000);
    const bid = await cookApi<{ id: string }>('POST', `/api/lots/${lot.id}/bids`, {
      quantityGrams: 50_000,
      priceFenPerKg: 1400,
    });
    const { order } = await farmApi<{ order: OrderBody }>('POST', `/api/bids/${bid.id}/accept`, {});
    await farmApi('POST', `/api/orders/${order.id}/dispatch`, {});

    const cook = await openBrowser(PHONE, { mobile: true });
    try {
      const c = cook.page;
      const receipts: (string | undefined)[] = [];
      c.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith(`/api/orders/${order.id}/deliver`))
          receipts.push(r.headers()['idempotency-key']);
      });
      await signIn(c, app.baseUrl, buyer);
      await c.goto(`${app.baseUrl}/#/market/orders`);
      const card = c.locator('.order', { hasText: order.number ?? '鲜香菇' });
      await card.locator('.badge', { hasText: '已发货' }).waitFor();

      await cook.context.setOffline(true);
      await c.getByTestId('offline-banner').waitFor({ timeout: 3000 });
      await card.getByRole('button', { name: '确认收货' }).click();
      await card.getByLabel('实际收到多少（斤）').fill('96');
      await card.locator('.inline-form').getByRole('button', { name: '确认收货' }).click();
      await card.getByText('已离线保存，联网后自动发送（只会发送一次）').waitFor();
      const waiting = c.getByTestId('pending-notices').locator('[data-kind="receipt"]');
      await waiting.getByText(`待发送：确认收货 ${order.number}（联网后自动提交，只会提交一次）`).waitFor();
      await expectNoSidewaysScroll(c);
      await screenshot(c, 'offline-phone-1-receipt-queued', false);
      expect((await cookApi<OrderBody>('GET', `/api/orders/${order.id}`)).status).toBe('dispatched');

      await cook.context.setOffline(false);
      await c.getByText('实时在线').waitFor({ timeout: 15_000 });
      await card.locator('.badge', { hasText: '已送达' }).waitFor({ timeout: 10_000 });
      await waiting.waitFor({ state: 'detached' });
      // A second reconnect sends nothing more.
      await cook.context.setOffline(true);
      await c.getByTestId('offline-banner').waitFor({ timeout: 3000 });
      await cook.context.setOffline(false);
      await c.getByText('实时在线').waitFor({ timeout: 15_000 });
      await screenshot(c, 'offline-phone-2-receipt-sent', false);

      const after = await cookApi<OrderBody>('GET', `/api/orders/${order.id}`);
      expect(after).toMatchObject({ status: 'delivered', deliveredGrams: 48_000 });
      expect(after.timeline?.filter((s) => s.status === 'delivered')).toHaveLength(1);
      expect(receipts).toHaveLength(1);
      expect(receipts[0]).toMatch(/^fl-[0-9a-f]{32}$/);
    } finally {
      await cook.close();
    }
  });

  it('the offline banner stays visible under the sticky top bar once scrolled, on a phone and a desktop', async () => {
    const cook = await openBrowser(PHONE, { mobile: true });
    try {
      const c = cook.page;
      await signIn(c, app.baseUrl, buyer);
      for (const [size, name] of [
        [PHONE, 'phone'],
        [DESKTOP, 'desktop'],
      ] as const) {
        await c.setViewportSize(size);
        await c.goto(`${app.baseUrl}/#/market/plans`);
        await c.getByText('实时在线').waitFor({ timeout: 15_000 });
        // Taller than any screen, so there is something to scroll.
        await c.evaluate(() => {
          const spacer = document.createElement('div');
          spacer.style.height = '3000px';
          document.getElementById('main')?.append(spacer);
        });
        await cook.context.setOffline(true);
        await c.getByTestId('offline-banner').waitFor({ timeout: 3000 });
        await c.mouse.wheel(0, 1500);
        await c.waitForFunction(() => window.scrollY > 1000);
        await expectBannerVisible(c);
        await expectNoSidewaysScroll(c);
        await screenshot(c, `offline-phone-3-banner-scrolled-${name}`, false);
        await cook.context.setOffline(false);
      }
    } finally {
      await cook.close();
    }
  });

  it('after A signs out, B on the same phone sees none of A’s lots, online or offline, and A’s outbox is never sent', async () => {
    const phone = await openBrowser(PHONE, { mobile: true });
    try {
      const p = phone.page;
      const before = await aLot(123_000); // 246斤, A's own
      await signIn(p, app.baseUrl, farmA);
      await p.goto(`${app.baseUrl}/#/market/mine`);
      await p.reload(); // under the service worker, which keeps what A read for offline
      await p.locator('.mine-lot', { hasText: '246斤' }).waitFor();

      // Offline, A prepares a lot (it waits in the outbox), then signs out without the network.
      await phone.context.setOffline(true);
      await p.goto(`${app.baseUrl}/#/market/post`);
      await p.getByTestId('offline-banner').waitFor({ timeout: 3000 });
      await p.getByText('鲜香菇', { exact: true }).click();
      await p.getByLabel('数量').fill('300');
      await p.getByLabel('挂牌价（元/斤）').fill('7');
      await p.getByLabel('最低价（元/斤）').fill('5.5');
      await p.getByRole('button', { name: '发布', exact: true }).click();
      await p.getByTestId('outbox-count').waitFor();
      await p.locator('nav.tabbar .tab-more summary').click();
      await p.locator('nav.tabbar').getByRole('button', { name: '退出登录' }).click();
      // The lot is unsent: the phone says so and lets A stay (取消) or go anyway (仍要退出).
      const dialog = p.getByTestId('signout-dialog');
      await dialog.getByText('还有 1 项没有发出或结果未知，退出后会丢失').waitFor();
      await dialog.getByText('待发送：离线时准备的货源').waitFor();
      expect(await p.evaluate(() => document.activeElement?.textContent)).toBe('仍要退出');
      await screenshot(p, 'offline-phone-3-signout-warning', false);
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'detached' });
      await p.getByTestId('outbox-count').waitFor(); // still signed in, the lot still waiting
      await p.locator('nav.tabbar .tab-more summary').click();
      await p.locator('nav.tabbar').getByRole('button', { name: '退出登录' }).click();
      await dialog.getByRole('button', { name: '仍要退出' }).click();
      await p.getByLabel('手机号或邮箱').waitFor();
      const left = await p.evaluate(async () => ({
        outbox: localStorage.getItem('freshlink.outbox'),
        pending: localStorage.getItem('freshlink.pending'),
        cached: await caches.has('freshlink-last-read'),
      }));
      expect(left).toEqual({ outbox: '[]', pending: '[]', cached: false });

      // Back online, the app opens signed out (the sign-out made offline is finished first), not as A.
      await phone.context.setOffline(false);
      await p.reload();
      await p.getByLabel('手机号或邮箱').waitFor();
      await p.waitForFunction(() => localStorage.getItem('freshlink.signOutOwed') === '');
      await p.reload();
      await p.getByLabel('手机号或邮箱').waitFor();
      expect(await p.locator('body').innerText()).not.toContain(farmA.org);

      // B signs in on the same phone, online; then reloads offline.
      await signIn(p, app.baseUrl, farmB);
      await p.goto(`${app.baseUrl}/#/market/mine`);
      await p.getByText('还没有在售的货。点“发布货源”开始。').waitFor();
      await p.reload();
      await p.getByText('还没有在售的货。点“发布货源”开始。').waitFor();
      await phone.context.setOffline(true);
      await p.reload();
      await p.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
      await p.getByText('还没有在售的货。点“发布货源”开始。').waitFor({ timeout: 10_000 });
      const text = await p.locator('body').innerText();
      expect(text).not.toContain(farmA.org);
      expect(text).not.toContain('246斤');
      expect(await p.getByTestId('outbox-count').count()).toBe(0);
      await screenshot(p, 'offline-phone-4-next-person-offline', false);
      await phone.context.setOffline(false);
      await p.getByText('实时在线').waitFor({ timeout: 15_000 });

      // Nothing of A's outbox reached the server, as A or as B: the board holds A's one lot.
      const board = await farmApi<{ items: LotBody[] }>('GET', '/api/lots?limit=50');
      expect(board.items.filter((l) => l.quantityGrams === 150_000)).toEqual([]);
      expect(board.items.map((l) => l.id)).toContain(before.id);
    } finally {
      await phone.close();
    }
  });
});
