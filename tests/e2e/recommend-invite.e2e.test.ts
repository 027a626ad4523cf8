/**
 * Targeted recommendations turned into action (issue 13 item 4), in Debian's Chromium: chamber staff open the
 * recommendations for a farm with shiitake to sell, invite one enterprise (a canteen that bought shiitake
 * before) to an invitation-only campaign with one click, and send another (a retailer asking for shiitake) the
 * ready brokered offer with another; the canteen, on its phone, sees the invitation and joins, and the
 * retailer has the offer under its request.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';
import {
  aMobile,
  aVerifiedTrader,
  chamberSession,
  closeAll,
  expectNoBrowserErrors,
  expectNoSidewaysScroll,
  signIn,
  type Call,
} from './people';

const HOUR = 3_600_000;
const staff = { phone: aMobile(), name: '周海涛', password: '万企兴万村推荐企业2026' };
const farmer = { phone: aMobile(), password: '香菇长在木头上2026', org: `新干县金川镇香菇合作社${randomInt(1000)}` };
const canteenBuyer = { phone: aMobile(), password: '食堂每天中午三百人2026', org: `南昌职工食堂${randomInt(1000)}` };
const retailBuyer = { phone: aMobile(), password: '超市生鲜柜台每天2026', org: `红谷滩生鲜超市${randomInt(1000)}` };
const CAMPAIGN = '香菇定向帮扶（邀请制）';

describe('a recommendation becomes an invitation and a brokered offer', () => {
  let app: RunningApp;
  let chamber: Person;
  let canteen: Person;
  let retailer: Call;
  let lotId: string;

  beforeAll(async () => {
    app = await startApp();
    const chamberApi = await chamberSession(app, staff, '10.6.0.1');
    const farm = await aVerifiedTrader(app, 'farm', farmer, chamberApi.verify, '10.6.1.1');
    const canteenApi = await aVerifiedTrader(app, 'canteen', canteenBuyer, chamberApi.verify, '10.6.2.1');
    retailer = await aVerifiedTrader(app, 'retailer', retailBuyer, chamberApi.verify, '10.6.2.2');
    // The farm has 200 kg of shiitake on the market; the canteen bought 20 kg of it (its history).
    const lot = await farm<{ id: string }>('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 200_000,
      harvestedAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1300,
    });
    lotId = lot.id;
    const bid = await canteenApi<{ id: string }>('POST', `/api/lots/${lotId}/bids`, {
      quantityGrams: 20_000,
      priceFenPerKg: 1250,
    });
    await farm('POST', `/api/bids/${bid.id}/accept`, {});
    // The retailer asks for 30 kg of shiitake at up to ¥14/kg: its recommendation carries a ready offer.
    await retailer('POST', '/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 30_000,
      maxPriceFenPerKg: 1400,
      neededBy: new Date(Date.now() + 48 * HOUR).toISOString(),
    });
    // An invitation-only campaign for shiitake: only invited enterprises may join.
    await chamberApi.call('POST', '/api/campaigns', {
      name: CAMPAIGN,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 14 * 24 * HOUR).toISOString(),
      productCodes: ['shiitake'],
      inviteOnly: true,
    });
    chamber = await openBrowser(DESKTOP);
    canteen = await openBrowser(PHONE, { mobile: true });
  });

  afterEach(() => expectNoBrowserErrors(chamber, canteen));
  afterAll(() => closeAll([chamber, canteen], app));

  it('chamber invites the canteen and brokers an offer to the retailer; the canteen sees the invitation and joins', async () => {
    const d = chamber.page;
    await signIn(d, app.baseUrl, staff);
    await d.goto(`${app.baseUrl}/#/programme/recommendations`);
    await d.getByLabel('有余量的农场').selectOption({ label: farmer.org });
    await d.getByRole('button', { name: '推荐企业' }).click();
    const list = d.getByTestId('recommendations');
    const canteenCard = list.locator('li', { hasText: canteenBuyer.org });
    const retailerCard = list.locator('li', { hasText: retailBuyer.org });
    await canteenCard.waitFor();
    await retailerCard.waitFor();
    // Each with its reason: the canteen bought shiitake here, the retailer is asking for it now.
    await canteenCard.getByText(/买过20公斤/).waitFor();
    await retailerCard.getByText(/正在求购30公斤/).waitFor();
    expect(await d.getByLabel('邀请参加的行动').inputValue()).not.toBe('');

    // One click: the canteen is invited to the campaign.
    await canteenCard.getByRole('button', { name: '一键邀请参加行动' }).click();
    await canteenCard.getByText('已邀请该企业参加行动。').waitFor();
    // One click: the retailer gets the ready brokered offer on its request.
    await retailerCard.getByRole('button', { name: /一键撮合报价/ }).click();
    await retailerCard.getByText('已发出撮合报价，等待企业回应。').waitFor();
    await screenshot(d, 'recommend-invite-desktop-1-sent');

    const offers = await retailer<{ items: { lotId: string; demandId?: string; quantityGrams: number }[] }>(
      'GET',
      '/api/offers',
    );
    expect(offers.items.filter((o) => o.lotId === lotId && o.demandId)).toEqual([
      expect.objectContaining({ lotId, quantityGrams: 30_000 }),
    ]);

    // The canteen, on its phone: the campaign says it is invited; it joins.
    const c = canteen.page;
    await signIn(c, app.baseUrl, canteenBuyer);
    await c.goto(`${app.baseUrl}/#/programme`);
    const row = c.locator('li', { hasText: CAMPAIGN });
    await row.getByText('您受邀参加').waitFor();
    await expectNoSidewaysScroll(c);
    await screenshot(c, 'recommend-invite-phone-1-invited');
    await row.getByRole('link', { name: CAMPAIGN }).click();
    await c.getByRole('button', { name: '参加行动' }).click();
    await c.getByText('已参加').waitFor();
    await expectNoSidewaysScroll(c);
    await screenshot(c, 'recommend-invite-phone-2-joined');
  });
});
