/**
 * Server field errors at the field (issue 12 item 8): on a phone, a farm posting an absurd quantity gets the
 * server's refusal under the quantity input (red, aria-invalid), not only "请修改标红的项目" with nothing red;
 * editing the quantity clears it, and a sensible quantity then posts.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified, type Call } from './people';
import { openBrowser, PHONE, screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '周科长', password: '每一批货都要审清楚2026' };
const buyer = { phone: aMobile(), password: '食堂每天三百份午饭2026', org: `新干县中学食堂${randomInt(1000)}` };
const farmer = { phone: aMobile(), password: '白菜霜打过更甜2026', org: `新干县霜甜蔬菜专业合作社${randomInt(1000)}` };

describe('server field errors at the field', () => {
  let app: RunningApp;
  let farm: Person;
  let canteen: Call;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.9.2.1');
    await signUpVerified(app, 'farm', farmer, verify);
    canteen = await signUpVerified(app, 'canteen', buyer, verify);
    farm = await openBrowser(PHONE, { mobile: true });
  });

  afterAll(async () => {
    await farm?.close();
    await app?.close();
  });

  it('a 10,000 t lot shows the server message at the quantity field, cleared when the farmer edits it', async () => {
    const f = farm.page;
    await signIn(f, app.baseUrl, farmer);
    await f.getByRole('link', { name: '发布货源' }).click();
    await f.getByText('番茄', { exact: true }).click();
    const quantity = f.getByLabel('数量').first();
    await quantity.fill('10000');
    await f.getByRole('button', { name: '吨', exact: true }).click();
    await f.locator('#lot-ask').fill('3');
    await f.locator('#lot-reserve').fill('2');
    await f.getByRole('button', { name: '发布', exact: true }).click();

    const error = f.locator('#quantity-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('不能超过 1,000吨');
    expect(await quantity.getAttribute('aria-invalid')).toBe('true');
    await f.getByText('请修改标红的项目', { exact: false }).waitFor();
    await screenshot(f, 'field-errors-phone-quantity');
    await expectNoSidewaysScroll(f);

    await quantity.fill('10');
    await error.waitFor({ state: 'detached' });
    expect(await quantity.getAttribute('aria-invalid')).toBeNull();
    await f.getByRole('button', { name: '发布', exact: true }).click();
    await f.getByRole('heading', { name: '我的货' }).waitFor();
    expect(farm.errors.filter((e) => !e.includes('400'))).toEqual([]);
  });

  it('a bid arriving while the tab is hidden shows as an unread count in the title, until the farmer opens the notifications', async () => {
    const f = farm.page;
    await f.getByRole('heading', { name: '我的货' }).waitFor();
    const setVisible = (visible: boolean) =>
      f.evaluate((v) => {
        Object.defineProperty(document, 'visibilityState', { value: v ? 'visible' : 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, visible);
    await setVisible(false);
    const lots = await canteen<{ items: { id: string }[] }>('GET', '/api/lots?productCode=tomato');
    await canteen('POST', `/api/lots/${lots.items[0].id}/bids`, { quantityGrams: 5_000, priceFenPerKg: 300 });
    await f.waitForFunction(() => /^\(\d+\) /.test(document.title), undefined, { timeout: 10_000 });
    // The count is the server's unread count (one read marker for every tab): looking at the tab
    // does not read the notification; opening the notification centre does.
    await setVisible(true);
    await f.waitForTimeout(500);
    expect(await f.title()).toMatch(/^\(\d+\) /);
    await f.goto(`${app.baseUrl}/#/notifications`);
    await f.waitForFunction(() => !document.title.startsWith('('), undefined, { timeout: 5_000 });
  });

  it('on 我的货, an absurd counter-offer and clock start price are red at their inputs in Chinese, cleared on edit', async () => {
    const f = farm.page;
    await f.getByRole('link', { name: '我的货' }).first().click();
    await f.getByRole('heading', { name: '我的货' }).waitFor();
    const limit = /^不能超过 ¥(50,000\.00\/斤|100,000\.00\/公斤)$/;

    // 还价 at ¥10⁹: the socket's refusal lands at the price input, not only in the row's message.
    const row = f.locator('li.offer').first();
    await row.waitFor();
    const offerId = (await row.getAttribute('data-offer')) ?? '';
    await row.getByRole('button', { name: '还价' }).click();
    const price = f.locator(`#offer-${offerId}-price`);
    await price.fill('1000000000');
    await row.getByRole('button', { name: '发送还价' }).click();
    const priceError = f.locator(`#offer-${offerId}-price-error`);
    await priceError.waitFor();
    expect(await priceError.textContent()).toMatch(limit);
    expect(await price.getAttribute('aria-invalid')).toBe('true');
    await row.getByText('请修改标红的项目', { exact: false }).waitFor();
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'field-errors-phone-counter');
    await price.fill('3');
    await priceError.waitFor({ state: 'detached' });
    expect(await price.getAttribute('aria-invalid')).toBeNull();
    await row.getByRole('button', { name: '取消' }).click();

    // 开始限时降价 from ¥10⁹: the start price input is red with the limit in the farmer's unit.
    await f.getByRole('button', { name: '开始限时降价' }).first().click();
    const start = f.locator('.inline-form input[id$="-start"]').first();
    await start.fill('1000000000');
    await f.getByRole('button', { name: '开始', exact: true }).click();
    const startId = (await start.getAttribute('id')) ?? '';
    const startError = f.locator(`#${startId}-error`);
    await startError.waitFor();
    expect(await startError.textContent()).toMatch(limit);
    expect(await start.getAttribute('aria-invalid')).toBe('true');
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'field-errors-phone-clock');
    await start.fill('2.5');
    await startError.waitFor({ state: 'detached' });
    expect(farm.errors.filter((e) => !e.includes('400'))).toEqual([]);
  });
});
