/**
 * Field errors at the field on the order cards and limits in the person's unit (issue 12 items 8 and 10), on a
 * 390×844 phone in Debian's Chromium: a restaurant confirming receipt of more than it ordered is told so under
 * the quantity input (red, focused), not in a line at the bottom of the card; on a lot page the bid form says
 * what may be bid in the unit the person chose (斤, then 吨) and refuses more than is left in that unit.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { openBrowser, PHONE, screenshot, type Person } from './browser';
import {
  aMobile,
  aVerifiedTrader,
  chamberVerifier,
  closeAll,
  expectNoBrowserErrors,
  expectNoSidewaysScroll,
  signIn,
} from './people';

const HOUR = 3_600_000;
const chamberAdmin = { phone: aMobile(), name: '周科长', password: '每一批货都要审清楚2026' };
const farmer = { phone: aMobile(), password: '香菇长在木头上2026', org: `新干县鲜菇合作社${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };

describe('order cards and limits on a phone', () => {
  let app: RunningApp;
  let cook: Person;
  let lotId: string;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.5.0.1');
    const farm = await aVerifiedTrader(app, 'farm', farmer, verify, '10.5.1.1');
    const restaurant = await aVerifiedTrader(app, 'restaurant', buyer, verify, '10.5.2.1');
    const lot = await farm<{ id: string }>('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 62_500, // 125 斤
      harvestedAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1300,
    });
    lotId = lot.id;
    // 50 斤 bought and on its way.
    const bid = await restaurant<{ id: string }>('POST', `/api/lots/${lotId}/bids`, {
      quantityGrams: 25_000,
      priceFenPerKg: 1300,
    });
    const accepted = await farm<{ order: { id: string } }>('POST', `/api/bids/${bid.id}/accept`, {});
    await farm('POST', `/api/orders/${accepted.order.id}/dispatch`, {});
    cook = await openBrowser(PHONE, { mobile: true });
  });

  afterEach(() => expectNoBrowserErrors(cook));
  afterAll(() => closeAll([cook], app));

  it('receipt of more than was ordered: the error is under the quantity input, red and focused', async () => {
    const c = cook.page;
    await signIn(c, app.baseUrl, buyer);
    await c.goto(`${app.baseUrl}/#/market/orders`);
    const card = c.locator('li.order[data-status="dispatched"]');
    await card.getByRole('button', { name: '确认收货' }).click();
    const input = card.getByLabel('实际收到多少（斤）');
    await input.fill('60');
    await card.getByRole('button', { name: '确认收货' }).click();
    const error = card.locator('[id$="-received-error"]');
    await error.getByText('不能超过订购的 50斤。').waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await input.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe('rgb(179, 38, 30)'); // --danger
    await expectNoSidewaysScroll(c);
    await screenshot(c, 'order-card-phone-1-received-too-much', false);
    // Typing clears it; the right amount goes through.
    await input.fill('50');
    await error.waitFor({ state: 'detached' });
    await card.getByRole('button', { name: '确认收货' }).click();
    await c.locator('li.order[data-status="delivered"]').waitFor();
  });

  it('the bid form says what may be bid in 斤, then in 吨, and refuses more than is left in that unit', async () => {
    const c = cook.page;
    await c.goto(`${app.baseUrl}/#/market/lot/${lotId}`);
    const form = c.locator('form.bid-form');
    await form.getByText(/可填 .*75斤/).waitFor(); // 125 斤 posted, 50 斤 sold
    await c.getByRole('button', { name: '吨', exact: true }).click();
    await form.getByText(/可填 .*0\.037吨/).waitFor(); // 37.5 kg: shown rounded down, so it can be typed
    await form.getByLabel('数量（吨）').fill('0.04');
    await form.getByRole('button', { name: '提交出价' }).click();
    await form.locator('#bid-quantity-error').getByText('不能超过 0.037吨').waitFor();
    await expectNoSidewaysScroll(c);
    await screenshot(c, 'order-card-phone-2-bid-limit-tonnes', false);
    await c.getByRole('button', { name: '斤', exact: true }).click();
  });
});
