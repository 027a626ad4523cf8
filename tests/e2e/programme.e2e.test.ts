/**
 * The 万企兴万村 programme, live: chamber staff start a campaign for shiitake on a desktop; an enterprise
 * canteen, on a phone, finds it, joins, and buys an in-scope lot; the campaign page on both screens
 * updates by itself (progress, leaderboard, orders) without a reload.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, signIn, signUpVerified, type Call } from './people';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

const HOUR = 3_600_000;
const staff = { phone: aMobile(), name: '王主任', password: '万企兴万村红谷滩2026' };
const farmer = {
  phone: aMobile(),
  password: '香菇长在木头上2026',
  org: `新干县鑫源食用菌专业合作社${randomInt(1000)}`,
};
const canteenBuyer = {
  phone: aMobile(),
  password: '食堂每天中午三百人吃饭2026',
  org: `江铃集团职工食堂${randomInt(1000)}`,
};

describe('a consumption-assistance campaign, live', () => {
  let app: RunningApp;
  let chamber: Person;
  let canteen: Person;
  let farm: Call;
  let buyer: Call;
  let lotId: string;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, staff, '10.8.0.1');
    farm = await signUpVerified(app, 'farm', farmer, verify);
    buyer = await signUpVerified(app, 'canteen', canteenBuyer, verify);
    await farm('POST', '/api/auth/login', { login: farmer.phone, password: farmer.password });
    await buyer('POST', '/api/auth/login', { login: canteenBuyer.phone, password: canteenBuyer.password });
    const lot = await farm<{ id: string }>('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 200_000,
      harvestedAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1300,
    });
    lotId = lot.id;
    chamber = await openBrowser(DESKTOP);
    canteen = await openBrowser(PHONE, { mobile: true });
  });

  afterEach(() => {
    expect([...(chamber?.errors ?? []), ...(canteen?.errors ?? [])]).toEqual([]);
  });

  afterAll(async () => {
    await chamber?.close();
    await canteen?.close();
    await app?.close();
  });

  it('chamber starts a campaign → the canteen joins and buys an in-scope lot → both campaign pages update live', async () => {
    const d = chamber.page;
    const c = canteen.page;

    // Chamber staff start the campaign: shiitake, target ¥1,000.
    await signIn(d, app.baseUrl, staff);
    await d.getByRole('link', { name: '万企兴万村' }).first().click();
    await d.getByRole('heading', { name: '万企兴万村 · 消费帮扶' }).waitFor();
    await d.getByRole('link', { name: '发起行动' }).click();
    await d.getByLabel('行动名称').fill('冬季香菇消费帮扶行动');
    await d.getByLabel('品种（可多选，不选为全部）').selectOption(['shiitake']);
    await d.getByLabel('目标销售额（元）').fill('1000');
    await d.getByRole('button', { name: '发起' }).click();
    await d.getByRole('heading', { name: '冬季香菇消费帮扶行动' }).waitFor();
    await d.getByTestId('campaign-value').getByText('¥0.00').waitFor();
    await screenshot(d, 'programme-desktop-1-campaign');

    // The canteen finds it on its phone and joins.
    await signIn(c, app.baseUrl, canteenBuyer);
    await c.getByRole('link', { name: '万企兴万村' }).first().click();
    await c.getByRole('link', { name: '冬季香菇消费帮扶行动' }).click();
    await c.getByRole('button', { name: '参加行动' }).click();
    await c.getByText('已参加').waitFor();
    await screenshot(c, 'programme-phone-0-joined');

    // The canteen buys 100 斤 of the farm's shiitake at ¥12/kg (¥600.00): its bid, the farm accepts.
    const bid = await buyer<{ id: string }>('POST', `/api/lots/${lotId}/bids`, {
      quantityGrams: 50_000,
      priceFenPerKg: 1200,
    });
    await farm('POST', `/api/bids/${bid.id}/accept`, {});

    // Both pages follow by themselves: ¥600.00 of ¥1,000 (60%), the canteen on the leaderboard, the order listed.
    for (const page of [d, c]) {
      await page.getByTestId('campaign-value').getByText('¥600.00').waitFor({ timeout: 10_000 });
      await page.getByText('已完成 60%').waitFor({ timeout: 10_000 });
      await page.getByTestId('board-enterprises').getByText(canteenBuyer.org).waitFor({ timeout: 10_000 });
      await page.getByTestId('campaign-orders-table').getByText(farmer.org).waitFor({ timeout: 10_000 });
    }
    await screenshot(d, 'programme-desktop-2-live');
    await screenshot(c, 'programme-phone-1-live');

    // The shareable poster shows the same total.
    await d.getByRole('link', { name: '分享海报' }).click();
    await d.getByTestId('campaign-value').getByText('¥600.00').waitFor();
    await screenshot(d, 'programme-desktop-3-poster');
  });
});
