/**
 * The client shell on a village phone (issue 12, docs/offline.md), in Debian's Chromium at 390×844:
 * bottom tabs without sideways scrolling; the indicator and banner go offline within 3 s of the network
 * dropping; a lot prepared offline is posted exactly once on reconnect; the manifest and service worker,
 * and the shell loading offline after a first visit with the last lots read.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified, type Call } from './people';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };
const farmer = { phone: aMobile(), password: '香菇长在木头上2026', org: `新干县山里鲜合作社${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };

describe('the phone shell', () => {
  let app: RunningApp;
  let farm: Person;
  let farmApi: Call;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.9.0.7');
    farmApi = await signUpVerified(app, 'farm', farmer, verify);
    await signUpVerified(app, 'restaurant', buyer, verify);
    farm = await openBrowser(PHONE, { mobile: true });
  });

  afterAll(async () => {
    await farm?.close();
    await app?.close();
  });

  const myLots = async () =>
    (
      await farmApi<{ items: { id: string; productCode: string; quantityGrams: number }[] }>(
        'GET',
        '/api/lots?limit=50',
      )
    ).items;

  it('shows bottom tabs (four and 更多) at 390×844 with no sideways scroll, and the manifest installs', async () => {
    const f = farm.page;
    await signIn(f, app.baseUrl, farmer);
    const tabs = f.locator('nav.tabbar');
    await tabs.waitFor();
    expect(await tabs.locator(':scope > a').count()).toBe(4);
    await tabs.getByText('更多').waitFor();
    expect(await f.locator('nav.topnav').isVisible()).toBe(false);
    const box = await tabs.boundingBox();
    expect(box && Math.round(box.y + box.height)).toBe(PHONE.height); // sticks to the bottom
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'phone-shell-1-tabs', false);

    const manifest = (await (await f.request.get(`${app.baseUrl}/manifest.webmanifest`)).json()) as {
      name: string;
      display: string;
      start_url: string;
      icons: { sizes: string; purpose?: string; src: string }[];
    };
    expect(manifest).toMatchObject({ name: '鲜链 FreshLink', display: 'standalone', start_url: '/#/' });
    expect(manifest.icons.map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`)).toEqual([
      '192x192',
      '512x512',
      '512x512 maskable',
    ]);
    for (const icon of manifest.icons) {
      const r = await f.request.get(`${app.baseUrl}/${icon.src}`);
      expect(r.headers()['content-type']).toBe('image/png');
    }
    // The service worker is installed and active.
    const scope = await f.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${app.baseUrl}/`);
  });

  it('the indicator and the banner go offline within 3 s of the network dropping, and back', async () => {
    const f = farm.page;
    await f.getByText('实时在线').waitFor();
    const started = Date.now();
    await farm.context.setOffline(true);
    await f.getByTestId('offline-banner').waitFor({ timeout: 3000 });
    await f.getByTestId('live-indicator').getByText('实时断开').waitFor({ timeout: 3000 });
    const took = Date.now() - started;
    expect(took).toBeLessThan(3000);
    expect(await f.getByTestId('offline-banner').textContent()).toBe('离线 — 显示的内容可能已过时');
    await screenshot(f, 'phone-shell-2-offline', false);
    await farm.context.setOffline(false);
    await f.getByText('实时在线').waitFor({ timeout: 15_000 });
    expect(await f.getByTestId('offline-banner').count()).toBe(0);
  });

  it('a lot prepared offline is kept on the phone and posted exactly once on reconnect', async () => {
    const f = farm.page;
    expect(await myLots()).toEqual([]);
    await f.goto(`${app.baseUrl}/#/market/post`);
    await f.getByRole('heading', { name: '发布货源' }).waitFor();
    await farm.context.setOffline(true);
    await f.getByTestId('offline-banner').waitFor({ timeout: 3000 });
    await f.getByText('鲜香菇', { exact: true }).click();
    await f.getByLabel('数量').fill('300');
    await f.getByLabel('挂牌价（元/斤）').fill('7');
    await f.getByLabel('最低价（元/斤）').fill('5.5');
    await f.getByRole('button', { name: '发布', exact: true }).click();
    await f.getByText('已离线保存，联网后自动发送（只会发送一次）').waitFor();
    await f.getByTestId('outbox-count').getByText('1 项已保存在手机上').waitFor();
    await screenshot(f, 'phone-shell-3-lot-queued', false);
    expect(await myLots()).toEqual([]); // nothing reached the server while offline

    await farm.context.setOffline(false);
    await f.getByText('实时在线').waitFor({ timeout: 15_000 });
    await f.getByTestId('outbox-count').waitFor({ state: 'detached', timeout: 10_000 });
    // A second reconnect (the outbox is empty now, but even a replay would carry the same key) posts nothing more.
    await farm.context.setOffline(true);
    await f.getByTestId('offline-banner').waitFor({ timeout: 3000 });
    await farm.context.setOffline(false);
    await f.getByText('实时在线').waitFor({ timeout: 15_000 });
    const lots = await myLots();
    expect(lots.map((l) => [l.productCode, l.quantityGrams])).toEqual([['shiitake', 150_000]]);
  });

  it('after a first visit the shell loads offline, with the last lots read and the offline banner', async () => {
    const f = farm.page;
    await f.goto(`${app.baseUrl}/#/market/mine`);
    await f.reload(); // a full load under the service worker, which keeps the answers it passes on
    await f.locator('.mine-lot', { hasText: '鲜香菇' }).waitFor();
    await farm.context.setOffline(true);
    await f.reload();
    await f.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
    await f.locator('.mine-lot', { hasText: '鲜香菇' }).waitFor({ timeout: 10_000 });
    await screenshot(f, 'phone-shell-6-offline-reload', false);
    await farm.context.setOffline(false);
  });

  it('looks right on a desktop: the top nav, no tabs', async () => {
    const desk = await openBrowser(DESKTOP);
    try {
      await signIn(desk.page, app.baseUrl, farmer);
      expect(await desk.page.locator('nav.topnav').isVisible()).toBe(true);
      expect(await desk.page.locator('nav.tabbar').isVisible()).toBe(false);
      await screenshot(desk.page, 'phone-shell-7-desktop', false);
    } finally {
      await desk.close();
    }
  });
});
