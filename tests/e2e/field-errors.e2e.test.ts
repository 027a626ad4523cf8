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

  it('a bid arriving while the tab is hidden shows as "(1)" in the title, gone when the farmer looks again', async () => {
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
    await f.waitForFunction(() => document.title.startsWith('(1) '), undefined, { timeout: 10_000 });
    await setVisible(true);
    await f.waitForFunction(() => !document.title.startsWith('('), undefined, { timeout: 5_000 });
  });
});
