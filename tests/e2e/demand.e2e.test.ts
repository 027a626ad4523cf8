/**
 * Demand, end to end on phones: a restaurant posts a purchase request; the farm finds it on its 采购需求
 * page, is told when its price is below its own lowest, then offers part of a lot; the restaurant sees the
 * offer arrive under its request and accepts; both see the order. The restaurant also proposes a standing
 * order to the farm and cancels it. Screenshots (390×844 and 1280×800) go to test-artifacts/demand-*.png.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { RunningApp } from './app';
import { aFarmAndABuyerOnline, aMobile, closeAll, expectNoBrowserErrors, signIn, type Call } from './people';
import { DESKTOP, screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };
const farmer = {
  phone: aMobile(),
  password: '金针菇长在瓶子里2026',
  org: `新干县鑫源食用菌专业合作社${randomInt(1000)}`,
};
const buyer = {
  phone: aMobile(),
  password: '红谷滩的小炒真的最好吃',
  org: `象湖鲜菇火锅${randomInt(1000)}`,
  address: { province: '江西省', city: '南昌市', county: '西湖区', township: '象湖新城' },
};

/** Nothing a person reads should be raw storage units, English words or UTC. */
async function expectReadable(page: Page) {
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text).not.toMatch(/\d\s*(g|fen)\b|Grams|FenPerKg|undefined|NaN|T\d\d:\d\d:\d\d/);
  expect(text).not.toMatch(/\b(open|proposed|active|declined|withdrawn|countered|confirmed|enoki)\b/);
}

describe('demand on phones', () => {
  let app: RunningApp;
  let farm: Person;
  let cook: Person;
  let cookApi: Call;

  beforeAll(async () => {
    let farmApi: Call;
    ({ app, farmApi, cookApi, farm, cook } = await aFarmAndABuyerOnline({
      chamberAdmin,
      farmer,
      buyer,
      chamberIp: '10.8.0.1',
      buyerScreen: 'phone',
    }));
    // The farm has 100 斤 of enoki, lowest ¥4/斤 (800 fen/kg), posted before the page opens.
    await farmApi('POST', '/api/lots', {
      productCode: 'enoki',
      quantityGrams: 50_000,
      harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 800,
      askPriceFenPerKg: 1000,
    });
  });
  afterEach(() => expectNoBrowserErrors(farm, cook));
  afterAll(() => closeAll([farm, cook], app));

  it('restaurant posts a request → farm offers from its lot → restaurant accepts → both see the order', async () => {
    const c = cook.page;
    const f = farm.page;

    // The restaurant's plans page: the request form, address prefilled from its organisation.
    await signIn(c, app.baseUrl, buyer);
    await c.getByRole('link', { name: '长期订单' }).click();
    await c.getByRole('heading', { name: '发布求购', exact: true }).waitFor();
    expect(await c.getByLabel('送货地址（自己去拉可不填）').inputValue()).toBe('江西省南昌市西湖区象湖新城');
    await screenshot(c, 'demand-phone-1-restaurant-plans-empty');

    // Submitting without a quantity names the field; then 60 斤 at most ¥4.5/斤, tomorrow 08:00–10:00.
    const form = c.locator('form.demand-form');
    await form.getByLabel('要什么').selectOption({ label: '金针菇' });
    await form.getByLabel('最高价（元/斤）').fill('4.5');
    await form.getByRole('button', { name: '发布求购' }).click();
    await form.locator('#demand-quantity-error', { hasText: '请填写' }).waitFor();
    expect(await form.getByLabel('要多少').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('要多少').fill('60');
    await form.getByRole('button', { name: '明天' }).click();
    await form.getByLabel('最早几点（可不填）').fill('08:00');
    await screenshot(c, 'demand-phone-2-restaurant-request-filled');
    await form.getByRole('button', { name: '发布求购' }).click();
    await c.getByText('求购已发布。').waitFor();
    const request = c.locator('.demand-item', { hasText: '金针菇' });
    await request.getByText('60斤，最高 ¥4.50/斤').waitFor();
    await request.getByText('还没有农户报价。').waitFor();
    await expectReadable(c);

    // The farm's 采购需求 page: the request, flagged as something it has.
    await signIn(f, app.baseUrl, farmer);
    await f.getByRole('link', { name: '采购需求' }).click();
    await f.getByRole('heading', { name: '采购需求' }).waitFor();
    const card = f.locator('.demand-card', { hasText: '金针菇' });
    await card.waitFor();
    expect(await card.textContent()).toContain('要 60斤');
    expect(await card.textContent()).toContain('最高出 ¥4.50/斤');
    expect(await card.textContent()).toContain('你有这个货');
    expect(await card.locator('.demand-buyer').textContent()).toBe(buyer.org);
    // The window and the address are fields of their own, not words in the note.
    expect(await card.locator('.demand-window').textContent()).toMatch(/^\d{1,2}\/\d{1,2} 08:00–10:00 送到$/);
    expect(await card.locator('.demand-address').textContent()).toBe('送货地址：江西省南昌市西湖区象湖新城');
    expect(await card.locator('.note').count()).toBe(0);
    await expectReadable(f);
    await screenshot(f, 'demand-phone-3-farm-demand');

    // Below its own lowest price: told so, by the price. Then 60 斤 at ¥4.2/斤.
    await card.getByRole('button', { name: '我有货，报个价' }).click();
    expect(await card.getByLabel('卖多少（斤）').inputValue()).toBe('60');
    await card.getByLabel('报价（元/斤）').fill('3.5');
    await card.getByRole('button', { name: '发送报价' }).click();
    await card.getByText('不能低于你定的最低价 ¥4.00/斤').waitFor();
    await screenshot(f, 'demand-phone-4-farm-offer-below-reserve');
    await card.getByLabel('报价（元/斤）').fill('4.2');
    await card.getByRole('button', { name: '发送报价' }).click();
    await card.getByText('报价已发给餐厅，等餐厅回复。').waitFor();
    await card.getByText('你的报价：60斤 × ¥4.20/斤').waitFor();
    await screenshot(f, 'demand-phone-5-farm-offer-sent');

    // The restaurant sees the offer under its request without reloading, and accepts it.
    const offer = request.locator('.offer', { hasText: '¥4.20/斤' });
    await offer.waitFor({ timeout: 15_000 });
    await screenshot(c, 'demand-phone-6-restaurant-offer-arrived');
    await offer.getByRole('button', { name: '全部接受' }).click();
    await offer.locator('.badge', { hasText: '已成交' }).waitFor();
    await card.locator('.badge', { hasText: '已成交' }).waitFor({ timeout: 15_000 });
    // All 60 斤 bought: the request shows as filled.
    await request.locator('.badge', { hasText: '已满足' }).waitFor();

    // Both see the order.
    await c.getByRole('link', { name: '订单', exact: true }).click();
    const cookOrder = c.locator('.order', { hasText: '金针菇' });
    await cookOrder.locator('.badge', { hasText: '已确认' }).waitFor();
    expect(await cookOrder.textContent()).toContain('¥252.00');
    await f.getByRole('link', { name: '订单', exact: true }).click();
    await f.locator('.order', { hasText: '金针菇' }).locator('.badge', { hasText: '已确认' }).waitFor();
    await screenshot(f, 'demand-phone-7-farm-order');
  });

  it('restaurant proposes a standing order to the farm, sees it waiting or active, and cancels it', async () => {
    const c = cook.page;
    await c.goto(`${app.baseUrl}/#/market/plans`);
    const form = c.locator('form.standing-form');
    await form.waitFor();
    await form.getByLabel('哪个农场').selectOption({ label: `${farmer.org}（吉安市新干县）` });
    await form.getByLabel('要什么').selectOption({ label: '金针菇' });
    await form.getByLabel('每次送多少').fill('100');
    await form.getByLabel('单价（元/斤）').fill('4');
    await form.getByRole('button', { name: '发给农场确认' }).click();
    await form.getByText('请至少选一天').waitFor();
    await form.getByLabel('周二').check();
    await form.getByLabel('周五').check();
    expect(await form.getByLabel('最多多送（%）').inputValue()).toBe('20');
    await screenshot(c, 'demand-phone-8-restaurant-standing-filled');
    await form.getByRole('button', { name: '发给农场确认' }).click();
    await form.getByText('已发给农场，等农场确认。').waitFor();
    const item = c.locator('.standing-item', { hasText: '金针菇' });
    await item.getByText('每周二、周五 100斤，¥4.00/斤，10:00 前送到').waitFor();
    // It waits for the farm's consent; the farm finds it on its 产能预测 page and accepts.
    expect(await item.locator('.badge').textContent()).toBe('待农场确认');
    expect(await item.textContent()).toContain(`农场：${farmer.org}`);
    await expectReadable(c);
    await screenshot(c, 'demand-phone-9-restaurant-standing-listed');
    const f = farm.page;
    await f.goto(`${app.baseUrl}/#/market/outlook`);
    const proposal = f.locator('.standing-card.proposed', { hasText: '金针菇' });
    await proposal.waitFor({ timeout: 10_000 });
    expect(await proposal.textContent()).toContain(buyer.org);
    await screenshot(f, 'demand-phone-10-farm-standing-proposed');
    await proposal.getByRole('button', { name: '接受' }).click();
    await f.locator('.standing-card:not(.proposed)', { hasText: '金针菇' }).waitFor();
    await c.reload();
    await c.locator('.standing-item', { hasText: '金针菇' }).locator('.badge', { hasText: '已生效' }).waitFor();
    await item.getByRole('button', { name: '取消这个长期订单' }).click();
    await item.getByRole('button', { name: '确定取消' }).click();
    await item.locator('.badge', { hasText: '已取消' }).waitFor();

    // The same pages at desktop width.
    await c.setViewportSize(DESKTOP);
    await screenshot(c, 'demand-desktop-1-restaurant-plans');
    await farm.page.setViewportSize(DESKTOP);
    await farm.page.goto(`${app.baseUrl}/#/market/demand`);
    await farm.page.getByRole('heading', { name: '采购需求' }).waitFor();
    await screenshot(farm.page, 'demand-desktop-2-farm-demand');
  });

  it('the farm’s demand board reads 50 requests, then the rest as its end scrolls into view, and says it has all', async () => {
    // More open requests than one page: 55 more, needed over the next days (posted through the API).
    for (let i = 0; i < 55; i++)
      await cookApi('POST', '/api/demand', {
        productCode: 'bok_choy',
        quantityGrams: 10_000 + i * 500,
        maxPriceFenPerKg: 600,
        neededBy: new Date(Date.now() + (30 + i) * 3_600_000).toISOString(),
      });
    const f = farm.page;
    await f.setViewportSize({ width: 390, height: 844 });
    // The page may already be open from the last test: open it afresh.
    await f.goto(`${app.baseUrl}/#/market/demand`);
    await f.reload();
    await f.getByRole('heading', { name: '采购需求' }).waitFor();
    const cards = f.locator('.demand-card');
    await cards.nth(49).waitFor();
    const firstPage = await cards.count();
    expect(firstPage).toBe(50);
    await f.locator('.load-more').scrollIntoViewIfNeeded();
    await f.locator('.list-end', { hasText: '已全部显示' }).waitFor({ timeout: 10_000 });
    const all = await cards.count();
    expect(all).toBeGreaterThanOrEqual(55);
    const ids = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-demand')));
    expect(new Set(ids).size).toBe(ids.length);
    // Coming back to the page re-reads the first page and keeps the rest.
    await f.evaluate(() => window.dispatchEvent(new Event('focus')));
    await f.waitForTimeout(500);
    expect(await cards.count()).toBe(all);
    await screenshot(f, 'demand-phone-11-farm-demand-all-pages');
  });
});
