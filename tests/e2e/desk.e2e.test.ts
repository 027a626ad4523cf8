/**
 * The chamber's brokering desk, live: a broker on a desktop opens the at-risk board, finds buyers for a
 * lot that expires in 30 hours and sends the proposal; the restaurant, on a phone, sees the brokered
 * offer arrive without reloading and accepts; the broker's deal log follows live and the assistance
 * ledger shows the facilitated value.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified } from './people';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

const HOUR = 3_600_000;

const broker = { phone: aMobile(), name: '李明', password: '赣江边上的撮合员2026' };
const farmer = {
  phone: aMobile(),
  password: '香菇长在木头上2026',
  org: `新干县鑫源食用菌专业合作社${randomInt(1000)}`,
};
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };

/** Nothing a chamber staffer reads should be raw storage units, English words, ids or UTC. */
async function expectReadable(page: Page) {
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text).not.toMatch(/\d\s*(g|fen)\b|Grams|Fen|Permille|undefined|NaN|null|T\d\d:\d\d|Z\b/);
  expect(text).not.toMatch(/\b(open|countered|accepted|confirmed|shiitake|sales|urgent|in_progress)\b/);
}

describe('the brokering desk, live', () => {
  let app: RunningApp;
  let desk: Person;
  let cook: Person;
  let lotId: string;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, broker, '10.8.0.1');
    const farm = await signUpVerified(app, 'farm', farmer, verify);
    const restaurant = await signUpVerified(app, 'restaurant', buyer, verify);
    for (const [call, who] of [
      [farm, farmer],
      [restaurant, buyer],
    ] as const)
      await call('POST', '/api/auth/login', { login: who.phone, password: who.password });
    // 200 斤 of cold shiitake that will spoil in 30 hours, at ¥6.5/斤; and a restaurant wanting 100 斤 by tomorrow, up to ¥7.5/斤.
    const now = Date.now();
    const lot = await farm<{ id: string }>('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 100_000,
      harvestedAt: new Date(now - 2 * HOUR).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1300,
      expiresAt: new Date(now + 30 * HOUR).toISOString(),
    });
    lotId = lot.id;
    await restaurant('POST', '/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 50_000,
      maxPriceFenPerKg: 1500,
      neededBy: new Date(now + 20 * HOUR).toISOString(),
    });
    desk = await openBrowser(DESKTOP);
    cook = await openBrowser(PHONE, { mobile: true });
  });

  afterEach(() => {
    expect([...desk.errors, ...cook.errors]).toEqual([]);
  });

  afterAll(async () => {
    await desk?.close();
    await cook?.close();
    await app?.close();
  });

  it('broker finds buyers for an at-risk lot and sends → restaurant sees the offer live and accepts → ledger shows the value', async () => {
    const d = desk.page;
    const c = cook.page;

    // The restaurant's phone is already on the lot's page, waiting.
    await signIn(c, app.baseUrl, buyer);
    await c.goto(`${app.baseUrl}/#/market/lot/${lotId}`);
    await c.getByText('鲜香菇').first().waitFor();

    // The broker opens the at-risk board from the top bar.
    await signIn(d, app.baseUrl, broker);
    await d.getByRole('link', { name: '撮合台' }).first().click();
    await d.getByRole('heading', { name: '临期撮合台' }).waitFor();
    const row = d.locator(`tr[data-lot="${lotId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('剩 29 小时');
    expect(await row.textContent()).toContain('200斤 / 200斤');
    expect(await row.textContent()).toContain('100%');
    await d.getByText(buyer.org).first().waitFor(); // unanswered demand
    await expectReadable(d);
    await screenshot(d, 'desk-desktop-1-board');

    // Find buyers: one proposal, 100 斤 at ¥6.50/斤 = ¥650.00, flagged at risk.
    await row.getByRole('button', { name: '找买家' }).click();
    const plan = d.getByTestId('plan');
    const draft = plan.locator('tr.draft');
    await draft.waitFor();
    expect(await draft.textContent()).toContain(buyer.org);
    expect(await draft.textContent()).toContain('临期');
    expect(await draft.textContent()).toContain('¥650.00');
    // The row names the lot it is cut from: its reference, what is left of it, and when it expires.
    const lotLine = (await draft.getByTestId('draft-lot').textContent()) ?? '';
    expect(lotLine).toContain(`批次 #${lotId.slice(-6).toUpperCase()}`);
    expect(lotLine).toContain('剩 200斤');
    expect(lotLine).toMatch(/过期/);
    // The broker trims the price to ¥6.4/斤 → ¥640.00.
    await draft.getByLabel('价格（元/斤）').fill('6.4');
    await draft.getByLabel('数量（斤）').click();
    await draft.getByText('¥640.00').waitFor();
    await expectReadable(d);
    await screenshot(d, 'desk-desktop-2-proposal');
    await plan.getByRole('button', { name: '发送选中的 1 个报价' }).click();
    await plan.getByText('已发送 1 个报价，等买方回复。').waitFor();
    const deal = d.getByTestId('deal-log').locator('tbody tr');
    await deal.getByText('待回复').waitFor();

    // The restaurant's phone shows the brokered offer by itself and accepts it.
    const offer = c.locator('.offer', { hasText: '待回复' });
    await offer.waitFor({ timeout: 10_000 });
    expect(await offer.textContent()).toContain('100斤');
    expect(await offer.textContent()).toContain('¥6.40/斤');
    await screenshot(c, 'desk-phone-1-brokered-offer');
    await offer.getByRole('button', { name: '全部接受' }).click();
    await c.locator('.offer', { hasText: '已成交' }).waitFor({ timeout: 10_000 });
    await screenshot(c, 'desk-phone-2-accepted');

    // The broker's deal log follows live: accepted, order confirmed.
    await deal.getByText('已成交').waitFor({ timeout: 10_000 });
    await deal.getByText('已确认').waitFor({ timeout: 10_000 });
    await screenshot(d, 'desk-desktop-3-deal-log');

    // The ledger counts it: ¥640.00 facilitated, 100 斤, all of it at risk, one enterprise.
    await d.getByRole('link', { name: '帮扶台账' }).first().click();
    await d.getByRole('heading', { name: '帮扶台账' }).waitFor();
    await d.locator('[data-kpi="value"]', { hasText: '¥640.00' }).waitFor({ timeout: 10_000 });
    const entries = d.getByTestId('ledger-entries');
    expect(await entries.textContent()).toContain(farmer.org);
    expect(await entries.textContent()).toContain(buyer.org);
    expect(await entries.textContent()).toContain('100斤');
    const csv = await d.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    expect(csv).toMatch(/^\/api\/ledger\/export\.csv\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$/);
    await d.locator('.chart canvas').first().waitFor();
    await expectReadable(d);
    await screenshot(d, 'desk-desktop-4-ledger');

    // The chamber's market overview lists the brokered deal market-wide: the offer and its ¥640.00 order.
    await d.goto(`${app.baseUrl}/#/market/chamber`);
    await d.getByTestId('chamber-offers').getByRole('columnheader', { name: '卖方' }).waitFor();
    await d
      .getByTestId('chamber-orders')
      .locator('tr[data-order]', { hasText: '¥640.00' })
      .waitFor({ timeout: 10_000 });
    await expectReadable(d);
    await screenshot(d, 'desk-desktop-4b-market-overview');

    // Visits and problems: log a visit with a problem, start it, resolve it on site.
    await d.getByRole('link', { name: '走访与问题' }).first().click();
    await d.getByText('共 0 个问题，已解决 0 个（现场解决 0 个）').waitFor();
    const visit = d.locator('form', { hasText: '记录走访' });
    await visit.getByLabel('走访企业').selectOption({ label: farmer.org });
    await visit.getByLabel('走访情况').fill('合作社反映冷库不够，香菇压货。');
    await visit.getByRole('button', { name: '添加一个问题' }).click();
    await visit.getByLabel('问题描述').fill('冷库容量不足，旺季香菇积压');
    await visit.getByRole('button', { name: '保存走访记录' }).click();
    await d.getByText('走访记录已保存。').waitFor();
    const card = d.locator('.problem', { hasText: '冷库容量不足' });
    await card.getByRole('button', { name: '开始处理' }).click();
    await card.locator('.badge', { hasText: '处理中' }).waitFor();
    await card.getByRole('button', { name: '标记已解决' }).click();
    await card.getByLabel('解决办法').fill('联系县里冷链项目，临时租用冷库');
    await card.getByLabel('现场解决').check();
    await card.getByRole('button', { name: '确定' }).click();
    await d.getByText('共 1 个问题，已解决 1 个（现场解决 1 个）').waitFor();
    // A problem heard on the phone, not on a visit; the open filter shows only it.
    await d.getByText('登记问题（非走访）').click();
    const raise = d.locator('details', { hasText: '登记问题（非走访）' });
    await raise.getByLabel('企业').selectOption({ label: buyer.org });
    await raise.getByLabel('类别').selectOption({ label: '物流' });
    await raise.getByLabel('问题描述').fill('早上七点前送到的冷链车不好找');
    await raise.getByRole('button', { name: '登记问题' }).click();
    await d.getByText('共 2 个问题，已解决 1 个（现场解决 1 个）').waitFor();
    await d.getByLabel('状态').selectOption({ label: '待处理 (1)' });
    await card.waitFor({ state: 'detached' });
    expect(await d.locator('.problem').allTextContents()).toEqual([
      expect.stringContaining('早上七点前送到的冷链车不好找'),
    ]);
    await expectReadable(d);
    await screenshot(d, 'desk-desktop-5-problems');

    // The same pages on a phone: nothing scrolls sideways.
    await d.setViewportSize(PHONE);
    await expectNoSidewaysScroll(d);
    await screenshot(d, 'desk-phone-3-problems');
    await d.getByRole('link', { name: '帮扶台账' }).first().click();
    await d.locator('[data-kpi="value"]', { hasText: '¥640.00' }).waitFor();
    await expectNoSidewaysScroll(d);
    await screenshot(d, 'desk-phone-4-ledger');
    await d.getByRole('link', { name: '撮合台' }).first().click();
    await d.getByRole('heading', { name: '临期撮合台' }).waitFor();
    await d.getByTestId('deal-log').waitFor();
    await expectNoSidewaysScroll(d);
    await screenshot(d, 'desk-phone-5-board');
  });
});
