/**
 * The chamber's read-only plans page: a broker on a desktop (and on a phone) opens 农场计划, sees a
 * farm's unsold produce over the next 7 days, its outlook day by day, and the standing order a
 * restaurant placed with it — agreed, with both names — and nothing to press.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified } from './people';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

const broker = { phone: aMobile(), name: '王芳', password: '工商联看得见每一亩地2026' };
const farmer = { phone: aMobile(), password: '平菇一天能收七百斤2026', org: `峡江县青山平菇合作社${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '每周二五要新鲜平菇啊', org: `滕王阁私房菜${randomInt(1000)}` };
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('the chamber’s farm plans page', () => {
  let app: RunningApp;
  let staff: Person | undefined;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, broker, '10.8.0.2');
    const farm = await signUpVerified(app, 'farm', farmer, verify);
    const restaurant = await signUpVerified(app, 'restaurant', buyer, verify);
    for (const [call, who] of [
      [farm, farmer],
      [restaurant, buyer],
    ] as const)
      await call('POST', '/api/auth/login', { login: who.phone, password: who.password });
    const me = await farm<{ organisation: { id: string } }>('GET', '/api/me');
    // 700 斤 of oyster mushrooms a day; the restaurant takes 100 斤 every day, and the farm agreed.
    await farm('PUT', '/api/capacity', {
      production: [{ productCode: 'oyster_mushroom', dailyGrams: 350_000 }],
      coldStorageGrams: 500_000,
      dispatchGramsPerDay: 1_000_000,
    });
    const standing = await restaurant<{ id: string }>('POST', '/api/standing-orders', {
      productCode: 'oyster_mushroom',
      gramsPerOccurrence: 50_000,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      priceFenPerKg: 1000,
      startDate: today(),
      sellerOrgId: me.organisation.id,
    });
    await farm('POST', `/api/standing-orders/${standing.id}/accept`, {});
  });

  afterEach(() => {
    expect(staff?.errors ?? []).toEqual([]);
  });
  afterAll(async () => {
    await staff?.close();
    await app?.close();
  });

  for (const [label, viewport, mobile] of [
    ['desktop', DESKTOP, false],
    ['phone', PHONE, true],
  ] as const) {
    it(`shows a farm's outlook and its standing order, read-only, on a ${label}`, async () => {
      await staff?.close();
      staff = await openBrowser(viewport, { mobile });
      const p = staff.page;
      await signIn(p, app.baseUrl, broker);
      await p.goto(`${app.baseUrl}/#/market/chamber/plans`);
      await p.getByRole('heading', { name: '农场计划与需求（只读）' }).waitFor();

      // The farm's row: 600 斤 unsold each day (700 expected − 100 agreed).
      const row = p.getByTestId('chamber-farms').locator('tbody tr', { hasText: farmer.org });
      await row.waitFor();
      expect(await row.textContent()).toContain('600斤');
      // Its outlook, day by day, the way the farm sees it.
      const days = p.getByTestId('chamber-farm-outlook').locator('.outlook-day');
      await days.first().waitFor();
      expect(await days.count()).toBe(7);
      expect(await days.first().textContent()).toContain('预计 700斤，已订 100斤，余 600斤');
      // The standing order: agreed, with both parties' names.
      const order = p.getByTestId('chamber-standing').locator('tbody tr').first();
      expect(await order.textContent()).toContain('已生效');
      expect(await order.textContent()).toContain(farmer.org);
      expect(await order.textContent()).toContain(buyer.org);
      // Read-only: no buttons but the unit picker and the farm names that pick a farm.
      const buttons = await p
        .locator('main button')
        .evaluateAll((bs) =>
          bs
            .filter((b) => !b.closest('.unit-picker') && !b.classList.contains('link-button'))
            .map((b) => b.textContent),
        );
      expect(buttons).toEqual([]);
      await expectNoSidewaysScroll(p);
      await screenshot(p, `chamber-plans-${label}`);
    });
  }
});
