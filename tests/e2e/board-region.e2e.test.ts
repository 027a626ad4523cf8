/**
 * A buyer narrows the board to one region: only that region's lots show, a new lot from there appears live,
 * and going back to 全部产地 shows what was posted elsewhere meanwhile.
 */
import { randomInt } from 'node:crypto';
import { startApp, type RunningApp } from './app';
import { aMobile, chamberVerifier, signIn, signUpVerified, type Call } from './people';
import { DESKTOP, openBrowser, screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '刘科长', password: '产地筛选也要审一审2026' };
const xinganFarm = {
  phone: aMobile(),
  password: '新干的香菇个头大2026',
  org: `新干县金川香菇合作社${randomInt(1000)}`,
};
const xunwuFarm = { phone: aMobile(), password: '寻乌脐橙甜过初恋2026', org: `寻乌县澄江脐橙果园${randomInt(1000)}` };
const buyer = { phone: aMobile(), password: '西湖区的瓦罐汤一绝2026', org: `西湖瓦罐煨汤馆${randomInt(1000)}` };

const lot = (productCode: string) => ({
  productCode,
  quantityGrams: 100_000,
  harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 800,
  askPriceFenPerKg: 1000,
});

describe('the board by region', () => {
  let app: RunningApp;
  let cook: Person;
  let xingan: Call;
  let xunwu: Call;

  beforeAll(async () => {
    app = await startApp();
    const verify = await chamberVerifier(app, chamberAdmin, '10.7.0.1');
    xingan = await signUpVerified(app, 'farm', xinganFarm, verify); // 吉安市新干县
    await signUpVerified(app, 'restaurant', buyer, verify);
    xunwu = await signUpVerified(
      app,
      'farm',
      { ...xunwuFarm, address: { province: '江西省', city: '赣州市', county: '寻乌县', township: '澄江镇' } },
      verify,
      '10.7.3.9',
    ); // 赣州市寻乌县
    await xingan('POST', '/api/lots', lot('shiitake'));
    await xunwu('POST', '/api/lots', lot('navel_orange'));
    cook = await openBrowser(DESKTOP);
  });

  afterEach(() => {
    expect(cook.errors).toEqual([]);
  });

  afterAll(async () => {
    await cook?.close();
    await app?.close();
  });

  it('region chips filter the board, the chosen region stays live, 全部产地 brings back the rest', async () => {
    const c = cook.page;
    await signIn(c, app.baseUrl, buyer);
    await c.goto(`${app.baseUrl}/#/market`);
    await c.getByRole('heading', { name: '今日货源' }).waitFor();
    const cards = c.locator('.lot-grid .lot-card');
    await cards.filter({ hasText: xinganFarm.org }).first().waitFor();
    await cards.filter({ hasText: xunwuFarm.org }).first().waitFor();

    const regions = c.getByRole('group', { name: '按产地筛选' });
    await regions.getByRole('button', { name: '赣州市寻乌县' }).click();
    await regions.getByRole('button', { name: '赣州市寻乌县', pressed: true }).waitFor();
    await cards.filter({ hasText: xinganFarm.org }).first().waitFor({ state: 'detached' });
    expect(await cards.count()).toBe(1);

    // Posted while the buyer watches 寻乌: the 寻乌 lot appears live; the 新干 one is not shown.
    await xingan('POST', '/api/lots', lot('enoki'));
    await xunwu('POST', '/api/lots', lot('navel_orange'));
    await c.waitForFunction(() => document.querySelectorAll('.lot-grid .lot-card').length === 2);
    expect(await cards.filter({ hasText: xinganFarm.org }).count()).toBe(0);
    await screenshot(c, 'board-region-1-xunwu');

    // Back to every region: the board is re-read, so the 新干 lot posted meanwhile is there too.
    await regions.getByRole('button', { name: '全部产地' }).click();
    await c.waitForFunction(() => document.querySelectorAll('.lot-grid .lot-card').length === 4);
    expect(await cards.filter({ hasText: xinganFarm.org }).count()).toBe(2);
  });
});
