/**
 * The notification centre and the chamber's market overview (issue 12 items 9 and 10), in Debian's
 * Chromium: a farm on a phone sees an unread badge when a restaurant bids, opening the list clears it,
 * and a reload keeps it cleared (the server's read marker); the chamber's 市场总览 shows a clock sale's
 * price as it falls, and a proposed standing order as "待农场选择批次".
 */
import { randomInt } from 'node:crypto';
import { shanghaiDate } from '../../shared/domain/calendar';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, expectNoSidewaysScroll, signIn, signUpVerified, type Call } from './people';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

const HOUR = 3_600_000;
const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };
const farmer = { phone: aMobile(), password: '香菇长在木头上2026', org: `新干县山里鲜合作社${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };
const shanghaiClockIn = (h: number) => new Date(Date.now() + (h + 8) * HOUR).toISOString().slice(11, 16);

describe('notifications and the market overview', () => {
  let app: RunningApp;
  let farm: Person;
  let chamber: Person;
  let farmApi: Call;
  let cookApi: Call;
  let lotId: string;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.9.0.9');
    farmApi = await signUpVerified(app, 'farm', farmer, verify);
    cookApi = await signUpVerified(app, 'restaurant', buyer, verify);
    const lot = await farmApi<{ id: string }>('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 200_000,
      harvestedAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1400,
      expiresAt: new Date(Date.now() + 3 * HOUR).toISOString(),
    });
    lotId = lot.id;
    farm = await openBrowser(PHONE, { mobile: true });
    chamber = await openBrowser(DESKTOP);
  });

  afterEach(() => {
    expect([...(farm?.errors ?? []), ...(chamber?.errors ?? [])]).toEqual([]);
  });

  afterAll(async () => {
    await farm?.close();
    await chamber?.close();
    await app?.close();
  });

  it('a bid puts a badge on 通知 (under 更多 on a phone); opening the list clears it, and a reload keeps it cleared', async () => {
    const f = farm.page;
    await signIn(f, app.baseUrl, farmer);
    const tabs = f.locator('nav.tabbar');
    const moreBadge = tabs.locator('summary [data-testid="nav-badge"]');
    // Posting the lot was news for the farm's organisation: read it first, so the bid is the only unread one.
    await moreBadge.waitFor({ timeout: 10_000 });
    await f.goto(`${app.baseUrl}/#/notifications`);
    await f.locator('[data-testid="notification-list"] li').first().waitFor();
    await moreBadge.waitFor({ state: 'detached', timeout: 10_000 });
    await f.goto(`${app.baseUrl}/#/market/mine`);

    await cookApi('POST', `/api/lots/${lotId}/bids`, { quantityGrams: 20_000, priceFenPerKg: 1200 });
    await moreBadge.getByText('1', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await f.title()).toMatch(/^\(1\) /);
    await screenshot(f, 'notifications-1-badge', false);

    await tabs.getByText('更多').click();
    await tabs.locator('.tab-more-menu a', { hasText: '通知' }).click();
    const first = f.locator('[data-testid="notification-list"] li').first();
    await first.getByText('新出价').waitFor();
    expect(await first.getAttribute('data-read')).toBe('false'); // marked as new on this visit
    expect(await first.textContent()).toContain('鲜香菇');
    await moreBadge.waitFor({ state: 'detached', timeout: 10_000 });
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'notifications-2-list');

    await f.reload();
    await f.getByText('实时在线').waitFor();
    await f.locator('[data-testid="notification-list"] li').first().waitFor();
    // The count after the reload comes from the server's marker: the bid is read, and stays read.
    expect(await f.locator('[data-testid="notification-list"] li').first().getAttribute('data-read')).toBe('true');
    expect(await f.locator('[data-testid="nav-badge"]').count()).toBe(0);
    expect(await f.title()).not.toMatch(/^\(/);
  });

  it("the chamber's 市场总览 shows a clock sale's price now, falling, and a proposed standing order waiting for its lot", async () => {
    // A clock from ¥13/公斤 to the ¥10 reserve within 6 minutes: it drops about a fen per kg each second.
    await farmApi('POST', `/api/lots/${lotId}/clock`, {
      startPriceFenPerKg: 1300,
      floorHoursBeforeExpiry: 2.9,
      minTakeGrams: 5_000,
    });
    const me = await farmApi<{ organisation: { id: string } }>('GET', '/api/me');
    const standing = await cookApi<{ id: string }>('POST', '/api/standing-orders', {
      productCode: 'shiitake',
      gramsPerOccurrence: 20_000,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      priceFenPerKg: 2000,
      startDate: shanghaiDate(new Date()),
      deliverBy: shanghaiClockIn(3),
      sellerOrgId: me.organisation.id,
    });
    await farmApi('POST', `/api/standing-orders/${standing.id}/accept`, {});
    expect(await app.proposeStandingOrders()).toBe(1);

    const c = chamber.page;
    await signIn(c, app.baseUrl, chamberAdmin);
    await c.goto(`${app.baseUrl}/#/market/chamber`);
    const priceCell = c.locator('td[data-price-now]').first();
    await priceCell.getByText('降价中').waitFor({ timeout: 10_000 });
    const before = Number(await priceCell.getAttribute('data-price-now'));
    expect(before).toBeLessThanOrEqual(1300); // the clock's price, not the ¥14 ask
    expect(before).toBeGreaterThanOrEqual(1000);
    await c.waitForFunction(
      (was) => Number(document.querySelector('td[data-price-now]')?.getAttribute('data-price-now')) < was,
      before,
      { timeout: 10_000 },
    );

    const proposed = c.locator('[data-testid="chamber-orders"] tr', { hasText: '待农场选择批次' });
    await proposed.waitFor({ timeout: 10_000 });
    expect(await proposed.textContent()).toContain('鲜香菇');
    await screenshot(c, 'chamber-overview-clock-price');
  });
});
