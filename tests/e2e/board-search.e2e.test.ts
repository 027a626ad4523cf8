/**
 * The restaurant sets its delivery point on its organisation page, searches the board for 香菇 (the
 * server's $text, Chinese bigrams: 鲜香菇 matches, 金针菇 does not), sorts by distance (nearest pickup first,
 * the distance in km) and scrolls: the next page loads by itself (IntersectionObserver), and 加载更多 is there
 * as the fallback. At 1280×800 and on a 390×844 phone, with no sideways scroll.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified, type Call } from './people';
import { DESKTOP, PHONE, openBrowser, screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '按距离排序也要审2026' };
const nearFarm = { phone: aMobile(), password: '新建区的香菇最新鲜2026', org: `新建区溪霞菌菇场${randomInt(1000)}` };
const farFarm = { phone: aMobile(), password: '赣州的香菇路远一点2026', org: `赣县区储潭菌业${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '红谷滩的蒸菜馆要香菇2026', org: `红谷滩蒸菜馆${randomInt(1000)}` };

/** Nanchang (the restaurant), a farm ~15 km out, a farm in Ganzhou ~330 km south. */
const NANCHANG = { lat: 28.682, lng: 115.858 };
const XINJIAN = { lat: 28.692, lng: 116.015 };
const GANZHOU = { lat: 25.831, lng: 114.933 };

/** More than one page (30) of shiitake between the two farms, and enoki the search must leave out. */
const NEAR_SHIITAKE = 20;
const FAR_SHIITAKE = 16;

const lot = (productCode: string, i: number) => ({
  productCode,
  quantityGrams: 50_000 + i * 1000,
  harvestedAt: new Date(Date.now() - (1 + i) * 600_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1200,
  askPriceFenPerKg: 1600 + i * 10,
});

describe('the board: search, distance, pages', () => {
  let app: RunningApp;
  let cook: Person;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.8.0.1');
    const near: Call = await signUpVerified(app, 'farm', nearFarm, verify, '10.8.1.1');
    const far: Call = await signUpVerified(app, 'farm', farFarm, verify, '10.8.1.2');
    const restaurant: Call = await signUpVerified(app, 'restaurant', buyer, verify, '10.8.2.1');
    await near('PATCH', '/api/organisation/location', XINJIAN);
    await far('PATCH', '/api/organisation/location', GANZHOU);
    for (let i = 0; i < NEAR_SHIITAKE; i++) await near('POST', '/api/lots', lot('shiitake', i));
    for (let i = 0; i < FAR_SHIITAKE; i++) await far('POST', '/api/lots', lot('shiitake', i));
    for (let i = 0; i < 3; i++) await near('POST', '/api/lots', lot('enoki', i));
    // One order for the orders page: the restaurant bids on an enoki lot, the farm accepts.
    const enoki = await near<{ id: string }>('POST', '/api/lots', lot('enoki', 9));
    const bid = await restaurant<{ id: string }>('POST', `/api/lots/${enoki.id}/bids`, {
      quantityGrams: 5_000,
      priceFenPerKg: 1700,
    });
    await near('POST', `/api/bids/${bid.id}/accept`, {});
    cook = await openBrowser(DESKTOP);
  });

  afterEach(() => {
    expect(cook.errors).toEqual([]);
  });

  afterAll(async () => {
    await cook?.close();
    await app?.close();
  });

  it('sets the delivery point, searches 香菇, sorts by distance and scrolls to the next page', async () => {
    const c = cook.page;
    await signIn(c, app.baseUrl, buyer);

    // The delivery point, typed on the organisation page; an out-of-range latitude is named at the field.
    await c.goto(`${app.baseUrl}/#/org`);
    const location = c.getByRole('region', { name: '位置' });
    await location.getByLabel('纬度').fill('128.6');
    await location.getByLabel('经度').fill(String(NANCHANG.lng));
    await location.getByRole('button', { name: '保存' }).click();
    await location.getByText('纬度应在 -90 到 90 之间').waitFor();
    await location.getByLabel('纬度').fill(String(NANCHANG.lat));
    await location.getByRole('button', { name: '保存' }).click();
    await location.getByText('位置已保存。').waitFor();

    await c.goto(`${app.baseUrl}/#/market`);
    await c.getByRole('heading', { name: '今日货源' }).waitFor();
    const cards = c.locator('.lot-grid .lot-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(30); // the first page of 40 open lots

    const search = c.getByRole('search');
    await search.getByRole('searchbox').fill('香菇');
    await search.getByRole('button', { name: '搜索' }).click();
    await c.waitForFunction(
      () =>
        document.querySelectorAll('.lot-grid .lot-card').length === 30 &&
        ![...document.querySelectorAll('.lot-grid .lot-card h3')].some((h) => h.textContent?.includes('金针菇')),
    );
    await search.getByLabel('排序').selectOption('distance');
    await cards.first().filter({ hasText: '公里' }).waitFor();
    await c.waitForFunction(
      (farm) => document.querySelector('.lot-grid .lot-card')?.textContent?.includes(farm) === true,
      nearFarm.org,
    );
    await screenshot(c, 'board-search-1-distance-desktop', false);

    const kmOf = async () =>
      (await cards.locator('.distance').allTextContents()).map((text) => Number(/([\d.]+)\s*公里/.exec(text)?.[1]));
    const firstPage = await kmOf();
    expect(firstPage).toHaveLength(30);
    expect(firstPage).toEqual([...firstPage].sort((a, b) => a - b));
    expect(firstPage[0]).toBeGreaterThan(10);
    expect(firstPage[0]).toBeLessThan(20);

    // Scrolling to the end loads the rest by itself: every 香菇 lot once, the far farm's last, no 金针菇.
    await c.locator('.load-more').scrollIntoViewIfNeeded();
    await c.waitForFunction(
      (n) => document.querySelectorAll('.lot-grid .lot-card').length === n,
      NEAR_SHIITAKE + FAR_SHIITAKE,
    );
    const all = await kmOf();
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(all[all.length - 1]).toBeGreaterThan(300);
    const ids = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-lot')));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await cards.filter({ hasText: '金针菇' }).count()).toBe(0);
    await expect(c.getByRole('button', { name: '加载更多' }).count()).resolves.toBe(0);
    await screenshot(c, 'board-search-2-all-pages-desktop');
  });

  it('on a phone: the same search and sort fit the screen, and 加载更多 loads the next page', async () => {
    const phone = await openBrowser(PHONE, { mobile: true });
    try {
      const p = phone.page;
      await signIn(p, app.baseUrl, buyer);
      await p.goto(`${app.baseUrl}/#/market`);
      await p.locator('.lot-grid .lot-card').first().waitFor();
      await p.getByRole('search').getByRole('searchbox').fill('香菇');
      await p.getByRole('search').getByRole('button', { name: '搜索' }).click();
      await p.getByRole('search').getByLabel('排序').selectOption('distance');
      await p.locator('.lot-grid .lot-card .distance').first().waitFor();
      await expectNoSidewaysScroll(p);
      await screenshot(p, 'board-search-3-phone', false);
      const more = p.getByRole('button', { name: '加载更多' });
      if ((await more.count()) > 0 && (await p.locator('.lot-grid .lot-card').count()) < NEAR_SHIITAKE + FAR_SHIITAKE)
        await more.click();
      await p.waitForFunction(
        (n) => document.querySelectorAll('.lot-grid .lot-card').length === n,
        NEAR_SHIITAKE + FAR_SHIITAKE,
      );
      await expectNoSidewaysScroll(p);

      // The orders page searches on the server too: 金针菇 finds the order, 茄子 nothing.
      await p.goto(`${app.baseUrl}/#/market/orders`);
      await p.getByRole('heading', { name: '订单' }).waitFor();
      await p.getByRole('search').getByRole('searchbox').fill('金针菇');
      await p.getByRole('search').getByRole('button', { name: '搜索' }).click();
      await p.locator('.orders li.order').first().waitFor();
      expect(await p.locator('.orders li.order').count()).toBe(1);
      await expectNoSidewaysScroll(p);
      await screenshot(p, 'board-search-4-orders-phone', false);
      await p.getByRole('search').getByRole('searchbox').fill('茄子');
      await p.getByRole('search').getByRole('button', { name: '搜索' }).click();
      await p.getByText('没有找到“茄子”。').waitFor();

      // The organisation page with its location form fits the phone.
      await p.goto(`${app.baseUrl}/#/org`);
      await p.getByRole('region', { name: '位置' }).waitFor();
      await expectNoSidewaysScroll(p);
      await screenshot(p, 'board-search-5-org-location-phone');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
