/**
 * A farmer on a phone posts shiitake; a restaurant buyer on a desktop sees it appear on the board
 * without reloading, bids; the farmer sees the bid arrive live and accepts; both see the order,
 * which then goes out and arrives.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { RunningApp } from './app';
import { aMobile, signIn, aFarmAndABuyerOnline, closeAll, expectNoBrowserErrors } from './people';
import { DESKTOP, PHONE, screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };
const farmer = {
  phone: aMobile(),
  password: '香菇长在木头上2026',
  org: `新干县鑫源食用菌专业合作社${randomInt(1000)}`,
};
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };

const markWindow = (page: Page) => page.evaluate(() => Object.assign(window, { __sameDocument: true }));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);

/** Nothing a person reads should be raw storage units, English words or UTC. */
async function expectReadable(page: Page) {
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text).not.toMatch(/\d\s*(g|fen)\b|Grams|FenPerKg|undefined|NaN|T\d\d:\d\d:\d\d/);
  expect(text).not.toMatch(/\b(open|countered|confirmed|dispatched|delivered|cold|ambient|shiitake)\b/);
}

describe('the market, live', () => {
  let app: RunningApp;
  let farm: Person;
  let cook: Person;

  beforeAll(async () => {
    ({ app, farm, cook } = await aFarmAndABuyerOnline({
      chamberAdmin,
      farmer,
      buyer,
      chamberIp: '10.9.0.1',
      buyerScreen: 'desktop',
    }));
  });
  afterEach(() => expectNoBrowserErrors(farm, cook));
  afterAll(() => closeAll([farm, cook], app));

  it('farmer posts → buyer sees it live and bids → farmer sees the bid live and accepts → both see the order', async () => {
    const f = farm.page;
    const c = cook.page;

    // The buyer opens the board first: it is empty, and stays open (no reload) while the farmer posts.
    await signIn(c, app.baseUrl, buyer);
    await c.goto(`${app.baseUrl}/#/market`);
    await c.getByRole('heading', { name: '今日货源' }).waitFor();
    await c.getByText('暂时没有在售的货源。').waitFor();
    await markWindow(c);

    // The farmer posts 400 斤 of cold shiitake at ¥7/斤 (lowest ¥5.5/斤), on the phone.
    await signIn(f, app.baseUrl, farmer);
    await f.getByRole('link', { name: '发布货源' }).click();
    await f.getByRole('heading', { name: '发布货源' }).waitFor();
    await screenshot(f, 'market-phone-1-post-empty');
    await f.getByText('鲜香菇', { exact: true }).click();
    await f.getByLabel('数量').fill('400');
    await f.getByText('保鲜期 96 小时', { exact: false }).waitFor(); // the expiry shows before posting
    await f.getByLabel('挂牌价（元/斤）').fill('7');
    await f.getByLabel('最低价（元/斤）').fill('5.5');
    await screenshot(f, 'market-phone-2-post-filled');
    await f.getByRole('button', { name: '发布', exact: true }).click();
    await f.getByRole('heading', { name: '我的货' }).waitFor();
    const myLot = f.locator('.mine-lot', { hasText: '鲜香菇' });
    await myLot.getByText('400斤').waitFor();
    await myLot.getByText('¥7.00/斤').waitFor();
    await markWindow(f);
    await screenshot(f, 'market-phone-3-my-lots');

    // The buyer's board shows it by itself.
    const card = c.locator('.lot-card', { hasText: '鲜香菇' });
    await card.waitFor({ timeout: 15_000 });
    expect(await sameDocument(c)).toBe(true);
    expect(await card.textContent()).toContain('400斤');
    expect(await card.textContent()).toContain('¥7.00/斤');
    // Where it comes from: the farm's name, then its city and county, in the meta line.
    expect(await card.locator('.lot-meta').textContent()).toMatch(new RegExp(`^${farmer.org} · 吉安市新干县 · `));
    await expectReadable(c);
    await screenshot(c, 'market-desktop-1-board');

    // The buyer switches to 公斤 (persisted) and bids 50 公斤 at ¥13/公斤.
    await c.getByRole('button', { name: '公斤' }).first().click();
    expect(await card.textContent()).toContain('200公斤');
    expect(await card.textContent()).toContain('¥14.00/公斤');
    await card.getByRole('link', { name: '鲜香菇' }).click();
    await c.getByRole('heading', { name: '出价' }).waitFor();
    await c.getByLabel('数量（公斤）').fill('50');
    await c.getByLabel('出价（元/公斤）').fill('13');
    await c.getByRole('button', { name: '提交出价' }).click();
    await c.getByText('出价已发送，等农户回复。').waitFor();
    await c.locator('.offer', { hasText: '待回复' }).waitFor();
    await expectReadable(c);
    await screenshot(c, 'market-desktop-2-bid-sent');

    // The farmer's phone shows the bid without reloading, in 斤.
    const bid = f.locator('.offer', { hasText: '100斤' });
    await bid.waitFor({ timeout: 10_000 });
    expect(await bid.textContent()).toContain('¥6.50/斤');
    await f.getByText('有 1 个出价等你回复').waitFor();
    await expectReadable(f);
    await screenshot(f, 'market-phone-4-bid-arrived');
    await bid.getByRole('button', { name: '全部接受' }).click();
    await myLot.getByText('300斤').waitFor();
    expect(await sameDocument(f)).toBe(true);

    // Both see the order.
    await f.getByRole('link', { name: '订单', exact: true }).click();
    const farmOrder = f.locator('.order', { hasText: '鲜香菇' });
    await farmOrder.locator('.badge', { hasText: '已确认' }).waitFor();
    expect(await farmOrder.textContent()).toContain('¥650.00');
    await expectReadable(f);
    await screenshot(f, 'market-phone-5-order');

    await c.locator('.offer', { hasText: '已成交' }).waitFor({ timeout: 10_000 });
    await c.getByRole('link', { name: '订单', exact: true }).click();
    const cookOrder = c.locator('.order', { hasText: '鲜香菇' });
    await cookOrder.locator('.badge', { hasText: '已确认' }).waitFor();
    expect(await sameDocument(c)).toBe(true);
    await screenshot(c, 'market-desktop-3-order');

    // The farmer dispatches; the buyer's page follows live and confirms receipt, then completes.
    await farmOrder.getByRole('button', { name: '确认发货' }).click();
    await cookOrder.locator('.badge', { hasText: '已发货' }).waitFor({ timeout: 10_000 });
    // 45 of the 50 公斤 arrived: the buyer records what came, and both sides see the shortfall and the new total.
    await cookOrder.getByRole('button', { name: '确认收货' }).click();
    await cookOrder.getByLabel('实际收到多少（公斤）').fill('45');
    await cookOrder.locator('.inline-form').getByRole('button', { name: '确认收货' }).click();
    await farmOrder.locator('.badge', { hasText: '已送达' }).waitFor({ timeout: 10_000 });
    await farmOrder.getByText('订了 100斤，少送 10斤，按实收结算。').waitFor();
    expect(await farmOrder.textContent()).toContain('¥585.00');
    await cookOrder.getByRole('button', { name: '确认完成' }).click();
    await c.getByText('已完成 / 已取消（1）').waitFor();
    await screenshot(c, 'market-desktop-4-order-completed');
    await screenshot(f, 'market-phone-6-order-delivered');

    // The same farmer pages at desktop width, and the buyer's board on a phone.
    await f.goto(`${app.baseUrl}/#/market/mine`);
    await f.setViewportSize(DESKTOP);
    await f.getByRole('heading', { name: '我的货' }).waitFor();
    await screenshot(f, 'market-desktop-5-farmer-my-lots');
    await c.setViewportSize(PHONE);
    await c.goto(`${app.baseUrl}/#/market`);
    await c.locator('.lot-card').first().waitFor();
    // On a phone the longer meta line (name · region · storage · expiry) wraps inside the card, never past it.
    expect(
      await c
        .locator('.lot-card')
        .first()
        .evaluate((el) => el.scrollWidth <= el.clientWidth),
    ).toBe(true);
    await screenshot(c, 'market-phone-7-board');
  });

  it('buyer bids on a phone → farmer counters in one tap → buyer finds the counter under 我的出价 and accepts → both see the order', async () => {
    const f = farm.page;
    const c = cook.page; // still the buyer, now at phone size, in 公斤
    await c.goto(`${app.baseUrl}/#/market`);
    await c.locator('.lot-card', { hasText: '鲜香菇' }).getByRole('link', { name: '鲜香菇' }).click();
    await c.getByLabel('数量（公斤）').fill('40');
    await c.getByLabel('出价（元/公斤）').fill('12');
    await c.getByRole('button', { name: '提交出价' }).click();
    await c.getByText('出价已发送，等农户回复。').waitFor();

    // The farmer (in 斤) counters at ¥6.75/斤 = ¥13.50/公斤.
    await f.setViewportSize(PHONE);
    await f.goto(`${app.baseUrl}/#/market/mine`);
    const bid = f.locator('.offer', { hasText: '80斤' });
    await bid.waitFor({ timeout: 10_000 });
    await bid.getByRole('button', { name: '还价' }).click();
    await bid.getByLabel('还价（元/斤）').fill('6.75');
    await bid.getByRole('button', { name: '发送还价' }).click();
    await bid.getByText('等对方回复').waitFor();

    // The buyer's board says something waits for them; 我的出价 has it at the top, live.
    await c.getByRole('link', { name: '行情', exact: true }).click();
    await c.getByRole('link', { name: '有 1 个还价或报价等你回复' }).click({ timeout: 10_000 });
    await c.getByRole('heading', { name: '我的出价' }).waitFor();
    await c.getByRole('heading', { name: '等你回复（1）' }).waitFor();
    const counter = c.locator('.offer', { hasText: '¥13.50/公斤' });
    expect(await counter.textContent()).toContain('40公斤');
    await expectReadable(c);
    await screenshot(c, 'market-phone-8-my-bids-counter');
    await counter.getByRole('button', { name: '全部接受' }).click();
    await c.getByRole('heading', { name: '等你回复（0）' }).waitFor();

    // Both see the new order: 40 公斤 × ¥13.50 = ¥540.00.
    await c.getByRole('link', { name: '订单', exact: true }).click();
    await c.locator('.order', { hasText: '¥540.00' }).locator('.badge', { hasText: '已确认' }).waitFor();
    await f.getByRole('link', { name: '订单', exact: true }).click();
    await f
      .locator('.order', { hasText: '¥540.00' })
      .locator('.badge', { hasText: '已确认' })
      .waitFor({ timeout: 10_000 });
    await screenshot(f, 'market-phone-9-countered-order');
  });
});
