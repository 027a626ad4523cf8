/**
 * Lot management in the browser (issue 12): on a phone the farmer edits the asking price, starts and stops a
 * clock sale, adds a photo (shrunk in the browser) and withdraws the lot, each after confirming; a
 * restaurant's desktop board follows every step live and shows the photo's thumbnail.
 */
import { randomInt } from 'node:crypto';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import type { RunningApp } from './app';
import {
  aFarmAndABuyerOnline,
  aMobile,
  closeAll,
  expectNoBrowserErrors,
  expectNoSidewaysScroll,
  signIn,
} from './people';
import { screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '李科长', password: '管好每一批货的审核员2026' };
const farmer = {
  phone: aMobile(),
  password: '番茄要趁红摘下来2026',
  org: `峡江县红果蔬菜专业合作社${randomInt(1000)}`,
};
const buyer = { phone: aMobile(), password: '每天中午两百份盒饭2026', org: `青山湖职工食堂${randomInt(1000)}` };

/** A real 640×480 PNG (a red field), so the browser can decode, shrink and re-encode it. */
function aPhotoPng(): Buffer {
  const width = 640;
  const height = 480;
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0)]);
  for (let x = 0; x < width; x++) row.set([200, 30 + (x % 50), 40], 1 + x * 3);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The image is really shown (decoded, not a broken icon). */
const shown = (page: Page, selector: string) =>
  page.waitForFunction(
    (sel) => [...document.querySelectorAll<HTMLImageElement>(sel)].some((img) => img.complete && img.naturalWidth > 0),
    selector,
    { timeout: 15_000 },
  );

describe('lot management', () => {
  let app: RunningApp;
  let farm: Person;
  let cook: Person;

  beforeAll(async () => {
    ({ app, farm, cook } = await aFarmAndABuyerOnline({
      chamberAdmin,
      farmer,
      buyer,
      chamberIp: '10.9.1.1',
      buyerScreen: 'desktop',
    }));
  });
  afterEach(() => expectNoBrowserErrors(farm, cook));
  afterAll(() => closeAll([farm, cook], app));

  it('farmer edits the price, stops a clock sale, adds a photo and withdraws; the restaurant sees each live', async () => {
    const f = farm.page;
    const c = cook.page;
    await signIn(c, app.baseUrl, buyer);
    await c.goto(`${app.baseUrl}/#/market`);
    await c.getByRole('heading', { name: '今日货源' }).waitFor();

    // Post 200 斤 of tomatoes at ¥3/斤 (lowest ¥2/斤); the minimum take shows its default.
    await signIn(f, app.baseUrl, farmer);
    await f.getByRole('link', { name: '发布货源' }).click();
    await f.getByText('番茄', { exact: true }).click();
    await f.getByLabel('数量').first().fill('200');
    await f.getByText('你还没有登记产能', { exact: false }).waitFor(); // a warning, not a block
    await f.getByLabel('挂牌价（元/斤）').fill('3');
    await f.getByLabel('最低价（元/斤）').fill('2');
    await f.getByText('不填则按品类默认：5斤', { exact: false }).waitFor();
    await screenshot(f, 'lots-phone-1-post');
    await expectNoSidewaysScroll(f);
    await f.getByRole('button', { name: '发布', exact: true }).click();
    await f.getByRole('heading', { name: '我的货' }).waitFor();
    const myLot = f.locator('.mine-lot', { hasText: '番茄' });
    await myLot.getByText('¥3.00/斤').waitFor();
    const card = c.locator('.lot-card', { hasText: '番茄' });
    await card.getByText('¥3.00/斤').waitFor({ timeout: 15_000 });

    // Edit the asking price to ¥3.5/斤: the restaurant's board follows without a reload.
    await myLot.getByRole('button', { name: '改价格/数量' }).click();
    await myLot.getByLabel('挂牌价（元/斤）').fill('3.5');
    await screenshot(f, 'lots-phone-2-edit');
    await expectNoSidewaysScroll(f);
    await myLot.getByRole('button', { name: '保存修改' }).click();
    await myLot.getByText('已保存。').waitFor();
    await myLot.getByText('¥3.50/斤').waitFor();
    await card.getByText('¥3.50/斤').waitFor({ timeout: 10_000 });

    // Start a clock sale, then stop it (confirming): the board's clock badge goes away.
    await myLot.getByRole('button', { name: '开始限时降价' }).click();
    await myLot.getByLabel('起始价（元/斤）').fill('4');
    await myLot.getByLabel('过期前几小时降到最低价').fill('1');
    await myLot.getByRole('button', { name: '开始', exact: true }).click();
    await card.getByText('限时降价中').waitFor({ timeout: 10_000 });
    await myLot.getByRole('button', { name: '停止降价拍卖' }).click();
    await myLot.getByText('确定停止降价拍卖？', { exact: false }).waitFor();
    await myLot.getByRole('button', { name: '确定' }).click();
    await myLot.getByText('降价拍卖已停止。').waitFor();
    await card.getByText('限时降价中').waitFor({ state: 'detached', timeout: 10_000 });

    // Add a photo: shrunk in the browser, uploaded, shown on the lot page and as the board's thumbnail.
    await myLot.locator('input[type=file]').setInputFiles({
      name: 'tomatoes.png',
      mimeType: 'image/png',
      buffer: aPhotoPng(),
    });
    await shown(f, '.mine-lot .photo-strip img');
    await shown(c, '.lot-card .lot-thumb');
    const thumbSrc = await card.locator('.lot-thumb').getAttribute('src');
    expect(thumbSrc).toMatch(/\/photos\/[^/]+\/thumb$/);
    await screenshot(c, 'lots-desktop-1-board-thumbnail');
    await myLot.getByRole('link', { name: '番茄' }).click();
    await shown(f, '.lot-photos img');
    await f.getByText('起购量').waitFor();
    await screenshot(f, 'lots-phone-3-lot-page');
    await expectNoSidewaysScroll(f);
    await card.getByRole('link', { name: '番茄' }).click();
    await shown(c, '.lot-photos img');
    await screenshot(c, 'lots-desktop-2-lot-page');

    // Withdraw from the lot page, confirming: the restaurant's page shows it is no longer on sale.
    await f.getByRole('button', { name: '下架' }).click();
    await f.getByText('确定下架这批货？', { exact: false }).waitFor();
    await screenshot(f, 'lots-phone-4-confirm-withdraw');
    await f.getByRole('button', { name: '确定' }).click();
    await f.getByText('已下架', { exact: false }).first().waitFor();
    await c.getByRole('heading', { name: '出价' }).waitFor({ state: 'detached', timeout: 10_000 });
    await c.goto(`${app.baseUrl}/#/market`);
    await c.getByRole('heading', { name: '今日货源' }).waitFor();
    expect(await c.locator('.lot-card', { hasText: '番茄' }).count()).toBe(0);
  });
});
