/**
 * A desk list a page at a time: with more lots at risk than one page (50), the broker's at-risk board shows
 * the first 50 soonest-expiring, reads the rest as the end of the table scrolls into view (加载更多 as the
 * fallback), and the search box narrows the board to one product. Desktop, then a phone without sideways
 * scrolling.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified } from './people';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

const HOUR = 3_600_000;
const broker = { phone: aMobile(), name: '王芳', password: '一页一页地看临期货2026' };
const farmer = { phone: aMobile(), password: '香菇长在木头上2026', org: `峡江县临期合作社${randomInt(1000)}` };

describe('the desk’s at-risk board, a page at a time', () => {
  let app: RunningApp;
  let desk: Person | undefined;
  const shiitake: string[] = [];
  const bokChoy: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, broker, '10.8.0.7');
    const farm = await signUpVerified(app, 'farm', farmer, verify);
    await farm('POST', '/api/auth/login', { login: farmer.phone, password: farmer.password });
    const now = Date.now();
    const post = (productCode: string, h: number) =>
      farm<{ id: string }>('POST', '/api/lots', {
        productCode,
        quantityGrams: 50_000,
        harvestedAt: new Date(now - HOUR).toISOString(),
        storage: 'cold',
        reservePriceFenPerKg: 1000,
        askPriceFenPerKg: 1300,
        expiresAt: new Date(now + h * HOUR).toISOString(),
      });
    // 52 lots of shiitake expiring from 3 h on, and 2 of bok choy at the far end of the window.
    for (let i = 0; i < 52; i++) shiitake.push((await post('shiitake', 3 + i * 0.5)).id);
    for (let i = 0; i < 2; i++) bokChoy.push((await post('bok_choy', 40 + i)).id);
  });

  afterAll(async () => {
    await desk?.close();
    await app?.close();
  });

  it('shows 50 lots, reads the rest on scrolling, and searches by product', async () => {
    desk = await openBrowser(DESKTOP);
    const d = desk.page;
    await signIn(d, app.baseUrl, broker);
    await d.goto(`${app.baseUrl}/#/desk`);
    await d.getByRole('heading', { name: '临期撮合台' }).waitFor();
    const rows = d.locator('[data-testid="at-risk-lots"] tbody tr');
    await rows.nth(49).waitFor();
    expect(await rows.count()).toBe(50);
    // Soonest first: the first page is the 50 shiitake lots expiring soonest.
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-lot')))).toEqual(
      shiitake.slice(0, 50),
    );
    await screenshot(d, 'desk-paging-1-first-page');

    // The end of the table comes into view: the next page is read and appended, nothing twice.
    await d
      .locator('[data-testid="at-risk-lots"]')
      .locator('xpath=ancestor::section[1]')
      .locator('.load-more')
      .scrollIntoViewIfNeeded();
    await rows.nth(53).waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-lot')))).toEqual([
      ...shiitake,
      ...bokChoy,
    ]);
    expect(await d.getByRole('button', { name: '加载更多' }).count()).toBe(0);

    // Search: only the bok choy.
    await d.getByPlaceholder('品种或农场，如 香菇').fill('上海青');
    await d.getByRole('button', { name: '搜索' }).first().click();
    await d.waitForFunction(
      () => document.querySelectorAll('[data-testid="at-risk-lots"] tbody tr').length === 2,
      undefined,
      { timeout: 10_000 },
    );
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-lot')))).toEqual(bokChoy);
    await screenshot(d, 'desk-paging-2-searched');
    expect(desk.errors).toEqual([]);
    await desk.close();

    // On a phone: the same board, no sideways scrolling.
    desk = await openBrowser(PHONE, { mobile: true });
    await signIn(desk.page, app.baseUrl, broker);
    await desk.page.goto(`${app.baseUrl}/#/desk`);
    await desk.page.locator('[data-testid="at-risk-lots"] tbody tr').nth(49).waitFor();
    await expectNoSidewaysScroll(desk.page);
    await screenshot(desk.page, 'desk-paging-3-phone');
    expect(desk.errors).toEqual([]);
  });
});
