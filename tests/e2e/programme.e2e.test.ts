/**
 * The 万企兴万村 programme, live: chamber staff start a campaign for shiitake on a desktop; an enterprise
 * canteen, on a phone, finds it, joins, and buys an in-scope lot; the campaign page on both screens
 * updates by itself (progress, leaderboard, orders) without a reload. Then the chamber's own tools: a
 * recommendation one-clicked into a brokered offer, a pairing made through the form (its field errors
 * shown at the field), research topics, a remediation plan and the outcomes list; a stranger opens the
 * poster only through its share link. Every programme page visited fits a 390×844 phone (no sideways scroll).
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startApp, type RunningApp } from './app';
import { aMobile, aVerifiedTrader, chamberVerifier, signIn, type Call } from './people';
import type { Page } from 'playwright-core';
import { ARTIFACTS, DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

/** The page is no wider than a 390 px phone: nothing makes it scroll sideways. */
async function expectFitsPhone(page: Page, name: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect({ page: name, scrollWidth }).toEqual({ page: name, scrollWidth: Math.min(scrollWidth, innerWidth) });
  expect(innerWidth).toBe(PHONE.width);
}

const HOUR = 3_600_000;
const REPORT_TITLE = '红谷滩区工商联“万企兴万村”工作报告';
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

/** The 万企兴万村 link wherever the shell shows it: the top nav on a desktop, under 更多 on a phone. */
async function openProgramme(page: import('playwright-core').Page): Promise<void> {
  const visible = page.getByRole('link', { name: '万企兴万村' }).filter({ visible: true });
  if ((await visible.count()) === 0) await page.locator('details.tab-more > summary').first().click();
  await visible.first().click();
}

describe('a consumption-assistance campaign, live', () => {
  let app: RunningApp;
  let chamber: Person;
  let canteen: Person;
  /** The same chamber staff on a phone, to check each chamber page at 390×844. */
  let chamberPhone: Person;
  let stranger: Person;
  let campaignId: string;
  let farm: Call;
  let buyer: Call;
  let lotId: string;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, staff, '10.8.0.1');
    farm = await aVerifiedTrader(app, 'farm', farmer, verify);
    buyer = await aVerifiedTrader(app, 'canteen', canteenBuyer, verify);
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
    chamberPhone = await openBrowser(PHONE, { mobile: true });
    stranger = await openBrowser(PHONE, { mobile: true });
  });

  afterEach(() => {
    expect([...(chamber?.errors ?? []), ...(canteen?.errors ?? []), ...(chamberPhone?.errors ?? [])]).toEqual([]);
  });

  afterAll(async () => {
    await chamber?.close();
    await canteen?.close();
    await chamberPhone?.close();
    await stranger?.close();
    await app?.close();
  });

  it('chamber starts a campaign → the canteen joins and buys an in-scope lot → both campaign pages update live', async () => {
    const d = chamber.page;
    const c = canteen.page;

    // Chamber staff start the campaign: shiitake, target ¥1,000.
    await signIn(d, app.baseUrl, staff);
    await openProgramme(d);
    await d.getByRole('heading', { name: '万企兴万村 · 消费帮扶' }).waitFor();
    await d.getByRole('link', { name: '发起行动' }).click();
    await d.getByLabel('行动名称').fill('冬季香菇消费帮扶行动');
    await d.getByLabel('品种（可多选，不选为全部）').selectOption(['shiitake']);
    await d.getByLabel('目标销售额（元）').fill('1000');
    await d.getByRole('button', { name: '发起' }).click();
    await d.getByRole('heading', { name: '冬季香菇消费帮扶行动' }).waitFor();
    await d.getByTestId('campaign-value').getByText('¥0.00').waitFor();
    campaignId = /campaigns\/([a-f0-9]{24})/.exec(d.url())?.[1] ?? '';
    expect(campaignId).toMatch(/^[a-f0-9]{24}$/);
    await screenshot(d, 'programme-desktop-1-campaign');

    // The canteen finds it on its phone and joins.
    await signIn(c, app.baseUrl, canteenBuyer);
    await openProgramme(c);
    await c.getByRole('link', { name: '冬季香菇消费帮扶行动' }).waitFor();
    await expectFitsPhone(c, 'campaign list');
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
    await expectFitsPhone(c, 'campaign');

    // The shareable poster shows the same total.
    await d.getByRole('link', { name: '分享海报' }).click();
    await d.getByTestId('campaign-value').getByText('¥600.00').waitFor();
    await screenshot(d, 'programme-desktop-3-poster');
    await c.getByRole('link', { name: '分享海报' }).click();
    await c.getByTestId('campaign-value').getByText('¥600.00').waitFor();
    await expectFitsPhone(c, 'poster');
  });

  it('a stranger opens the poster only through the chamber’s share link', async () => {
    const s = stranger.page;
    await s.goto(`${app.baseUrl}/#/programme/campaigns/${campaignId}/poster`);
    await s.getByLabel('手机号或邮箱').waitFor(); // no link token: the sign-in page, not the poster
    await chamber.page.goto(`${app.baseUrl}/#/programme/campaigns/${campaignId}`);
    const url = (await chamber.page.getByTestId('poster-share-url').textContent()) ?? '';
    expect(url).toMatch(/\/poster\/[A-Za-z0-9_-]{43}$/);
    await s.goto(url);
    await s.getByTestId('campaign-value').getByText('¥600.00').waitFor();
    await s.getByText(canteenBuyer.org).waitFor();
    await expectFitsPhone(s, 'shared poster');
    await screenshot(s, 'programme-phone-2-shared-poster');
  });

  it('the chamber one-clicks a recommendation into a brokered offer the canteen receives', async () => {
    // The canteen wants 30 kg more shiitake at up to ¥14/kg; the farm still has 150 kg on the lot.
    await buyer('POST', '/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 30_000,
      maxPriceFenPerKg: 1400,
      neededBy: new Date(Date.now() + 48 * HOUR).toISOString(),
    });
    for (const page of [chamber.page, chamberPhone.page]) {
      if (page === chamberPhone.page) await signIn(page, app.baseUrl, staff);
      await page.goto(`${app.baseUrl}/#/programme/recommendations`);
      await page.getByLabel('有余量的农场').selectOption({ label: farmer.org });
      await page.getByRole('button', { name: '推荐企业' }).click();
      await page.getByTestId('recommendations').getByText(canteenBuyer.org).waitFor();
    }
    const p = chamberPhone.page;
    await expectFitsPhone(p, 'recommendations');
    await screenshot(p, 'programme-phone-3-recommendations');
    // The chamber's own views of the campaign pages (sub-navigation, share link, all orders) fit the phone too.
    const chamberViews: [string, string, () => Promise<void>][] = [
      ['#/programme', 'campaign list (chamber)', () => p.getByRole('link', { name: '冬季香菇消费帮扶行动' }).waitFor()],
      ['#/programme/new', 'new campaign', () => p.getByRole('button', { name: '发起' }).waitFor()],
      // Another device of the chamber: the link exists but was shown once, where it was made (stored hashed).
      [
        `#/programme/campaigns/${campaignId}`,
        'campaign (chamber)',
        () => p.getByText('已有分享链接，出于安全只在生成时显示一次', { exact: false }).waitFor(),
      ],
    ];
    for (const [path, name, shown] of chamberViews) {
      await p.goto(`${app.baseUrl}/${path}`);
      await shown();
      await expectFitsPhone(p, name);
    }
    await screenshot(p, 'programme-phone-2b-campaign-chamber');
    const d = chamber.page;
    const card = d.getByTestId('recommendations').locator('li', { hasText: canteenBuyer.org });
    await card.getByText(/近30天买过50公斤.+，正在求购30公斤/).waitFor(); // the reason is shown
    await card.getByRole('button', { name: /一键撮合报价/ }).click();
    await card.getByText('已发出撮合报价，等待企业回应。').waitFor();
    await screenshot(d, 'programme-desktop-4-recommendations');
    const offers = await buyer<{ items: { lotId: string; demandId?: string; quantityGrams: number }[] }>(
      'GET',
      '/api/offers',
    );
    expect(offers.items.filter((o) => o.lotId === lotId && o.demandId)).toEqual([
      expect.objectContaining({ lotId, quantityGrams: 30_000 }),
    ]);
  });

  it('the chamber pairs the canteen with the farm through the form; errors show at their field', async () => {
    const d = chamber.page;
    await d.goto(`${app.baseUrl}/#/programme/pairings/new`);
    await d.getByLabel('结对企业').selectOption({ label: `${canteenBuyer.org}（食堂）` });
    await d.getByRole('checkbox', { name: farmer.org }).check();
    // A pledge that is not an amount is refused at the pledge field, before anything is sent.
    await d.locator('#pledge').fill('二十');
    await d.getByRole('button', { name: '建立结对' }).click();
    await d
      .locator('#pledge-error')
      .getByText(/认购量请填正数/)
      .waitFor();
    // An end before the start: the server's field error shows under the end date.
    await d.locator('#pledge').fill('2');
    await d.getByLabel('结束日期（含当天）').fill('2020-01-01');
    await d.getByRole('button', { name: '建立结对' }).click();
    await d.locator('#endsAt-error').getByText('结束时间须晚于开始时间').waitFor(); // the rule in Chinese, not the server's English
    await d.getByLabel('结束日期（含当天）').fill('2099-12-31');
    await d.getByRole('button', { name: '建立结对' }).click();
    await d.locator('#endsAt-error').getByText('时间段最长一年').waitFor();
    await d.locator('#endsAt').scrollIntoViewIfNeeded();
    await screenshot(d, 'programme-desktop-4b-rule-in-chinese', false);
    const inSixtyDays = new Date(Date.now() + 8 * HOUR + 60 * 24 * HOUR).toISOString().slice(0, 10);
    await d.getByLabel('结束日期（含当天）').fill(inSixtyDays);
    // The canteen watches its pairings on its phone: the new pairing appears there by itself.
    const c = canteen.page;
    await c.goto(`${app.baseUrl}/#/programme/pairings`);
    await c.getByText('还没有结对。').waitFor();
    await d.getByRole('button', { name: '建立结对' }).click();
    await c.getByTestId('pairings').locator('tr', { hasText: farmer.org }).getByText('2吨', { exact: true }).waitFor();
    await c.getByText(`实时：${canteenBuyer.org} 的新结对`).waitFor();
    await expectFitsPhone(c, 'pairings (canteen, live)');
    const row = d.getByTestId('pairings').locator('tr', { hasText: canteenBuyer.org });
    await row.getByText('2吨', { exact: true }).waitFor();
    await screenshot(d, 'programme-desktop-5-pairings');

    const p = chamberPhone.page;
    await p.goto(`${app.baseUrl}/#/programme/pairings/new`);
    await p.getByRole('button', { name: '建立结对' }).waitFor();
    await expectFitsPhone(p, 'pairing form');
    await screenshot(p, 'programme-phone-4-pairing-form');
    await p.goto(`${app.baseUrl}/#/programme/pairings`);
    await p.getByTestId('pairings').getByText(canteenBuyer.org).waitFor();
    await expectFitsPhone(p, 'pairings');
  });

  it('topics, a remediation plan with owned tasks, and the outcomes list; all fit the phone', async () => {
    const p = chamberPhone.page;
    await p.goto(`${app.baseUrl}/#/programme/topics`);
    await p.getByLabel('课题名称').fill('香菇冷链与销路');
    await p.getByRole('button', { name: '建立课题' }).click();
    await p.getByTestId('topics').getByText('香菇冷链与销路').waitFor();
    await expectFitsPhone(p, 'topics');
    await screenshot(p, 'programme-phone-5-topics');

    await p.goto(`${app.baseUrl}/#/programme/plans`);
    await p.getByLabel('方案名称').fill('金川镇香菇冷库整治');
    await p.getByLabel('任务内容').fill('联系冷库，落实 20 吨库容');
    await p.getByRole('button', { name: '建立方案' }).click();
    await p.locator('#task-0-owner-error').waitFor(); // no owner: the server names tasks.0.owner
    await p.getByLabel('责任人').fill('王主任');
    await p.getByRole('button', { name: '建立方案' }).click();
    const plan = p.getByTestId('plans').locator('li.card', { hasText: '金川镇香菇冷库整治' });
    await plan.getByRole('checkbox').check();
    await plan.getByRole('checkbox').and(p.locator(':checked')).waitFor();
    await expectFitsPhone(p, 'plans');
    await screenshot(p, 'programme-phone-6-plans');

    await p.goto(`${app.baseUrl}/#/programme/outcomes`);
    await p.getByLabel('成果名称').fill('冬季香菇滞销化解');
    await p.locator('#planIds').getByRole('checkbox', { name: '金川镇香菇冷库整治' }).check();
    await p.locator('#campaignIds').getByRole('checkbox', { name: '冬季香菇消费帮扶行动' }).check();
    await p.getByRole('button', { name: '登记成果' }).click();
    const outcome = p.getByTestId('outcomes').locator('li', { hasText: '冬季香菇滞销化解' });
    await outcome.getByRole('link', { name: '冬季香菇消费帮扶行动' }).waitFor();
    await outcome.getByText('金川镇香菇冷库整治').waitFor();
    await expectFitsPhone(p, 'outcomes');
    await screenshot(p, 'programme-phone-7-outcomes');

    await p.goto(`${app.baseUrl}/#/programme/dashboard`);
    await p.getByTestId('dashboard-counts').waitFor();
    await expectFitsPhone(p, 'dashboard');
    await screenshot(p, 'programme-phone-8-dashboard');
    await chamber.page.goto(`${app.baseUrl}/#/programme/dashboard`);
    await chamber.page.getByTestId('dashboard-counts').waitFor();
    await screenshot(chamber.page, 'programme-desktop-6-dashboard');

    // The printable report: in print, the Chinese report title shows and the controls do not; it is one A4 page.
    const d = chamber.page;
    await d.emulateMedia({ media: 'print' });
    await d.getByRole('heading', { name: REPORT_TITLE }).waitFor();
    expect(await d.getByRole('button', { name: '打印报告' }).isVisible()).toBe(false);
    await screenshot(d, 'programme-desktop-7-report-print');
    const pdf = await d.pdf({ format: 'A4' });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'programme-report.pdf'), pdf);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)).toHaveLength(1);
    await d.emulateMedia({ media: 'screen' });
  });
});
