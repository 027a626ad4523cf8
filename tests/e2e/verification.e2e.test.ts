/**
 * A farm signs up on a phone and waits; a chamber broker verifies it on a desktop; the farmer's
 * page turns to 已认证 by itself, over socket.io, without a reload.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { creditCodeCheckChar } from '../../shared/domain/credit-code';
import { startApp, type RunningApp } from './app';
import { DESKTOP, openBrowser, PHONE, screenshot, type Person } from './browser';

function aCreditCode(): string {
  const first17 = `9336012${String(randomInt(1e9)).padStart(9, '0')}M`;
  return first17 + creditCodeCheckChar(first17);
}
const aMobile = () => `139${String(randomInt(1e8)).padStart(8, '0')}`;

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };

/** Marks the window so a later check can tell that no reload or navigation happened. */
const markWindow = (page: Page) => page.evaluate(() => Object.assign(window, { __sameDocument: true }));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);

describe('verification, live', () => {
  let app: RunningApp;
  let farmer: Person;
  let chamber: Person;
  /** Set by the first test: the farm's manager stays signed in on the phone. */
  let farmName = '';

  beforeAll(async () => {
    app = await startApp();
    await app.createChamberAdmin(chamberAdmin);
    farmer = await openBrowser(PHONE, { mobile: true });
    chamber = await openBrowser(DESKTOP);
  });

  afterEach(() => {
    expect([...farmer.errors, ...chamber.errors]).toEqual([]);
  });

  afterAll(async () => {
    await farmer?.close();
    await chamber?.close();
    await app?.close();
  });

  it('a farm signs up and sees 待审核; the chamber verifies it; the farmer sees 已认证 without reloading', async () => {
    const farm = {
      name: `进贤县李渡镇绿源蔬菜专业合作社${randomInt(1000)}`,
      creditCode: aCreditCode(),
      phone: aMobile(),
    };

    // The farmer, on a phone.
    const f = farmer.page;
    await f.goto(`${app.baseUrl}/#/signup`);
    await f.getByRole('heading', { name: '注册单位' }).waitFor();
    expect(await f.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await screenshot(f, 'phone-1-signup-empty');

    await f.getByLabel('农场 / 合作社（卖家）').check();
    await f.getByLabel('单位名称').fill(farm.name);
    await f.getByLabel('统一社会信用代码').fill(farm.creditCode.toLowerCase());
    await f.getByText('校验通过').waitFor();
    expect(await f.getByLabel('省', { exact: true }).inputValue()).toBe('江西省');
    expect(await f.getByLabel('市', { exact: true }).inputValue()).toBe('南昌市');
    await f.getByLabel('县 / 区').fill('进贤县');
    await f.getByLabel('乡镇 / 街道').fill('李渡镇');
    await f.getByLabel('村 / 门牌').fill('桥头村');
    await f.getByLabel('你的姓名').fill('李明');
    await f.getByLabel('手机号').fill(farm.phone);
    await f.getByLabel('设置密码').fill('春天的韭菜长得真快呀');
    await screenshot(f, 'phone-2-signup-filled');
    await f.getByRole('button', { name: '提交注册' }).click();

    const banner = f.locator('[data-verification]');
    await banner.filter({ hasText: '待审核' }).waitFor();
    expect(await banner.getAttribute('data-verification')).toBe('pending');
    await f.getByText('实时在线').waitFor(); // the socket is connected: the decision can arrive live
    await markWindow(f);
    await screenshot(f, 'phone-3-organisation-pending');

    // The broker, on a desktop.
    const c = chamber.page;
    await c.goto(`${app.baseUrl}/#/login`);
    // Keyboard only: the skip link comes first, the form is reachable by Tab and sent by Enter.
    await c.keyboard.press('Tab');
    expect(await c.evaluate(() => document.activeElement?.textContent)).toBe('跳到主要内容');
    await c.getByLabel('手机号或邮箱').focus();
    await c.keyboard.type(chamberAdmin.phone);
    await c.keyboard.press('Tab');
    await c.keyboard.type(chamberAdmin.password);
    await c.keyboard.press('Enter');
    await c.getByRole('heading', { name: '认证审核' }).waitFor();
    const row = c.locator('tr', { hasText: farm.name });
    await row.waitFor();
    expect(await row.textContent()).toContain(farm.creditCode);
    expect(await row.textContent()).toContain('江西省南昌市进贤县李渡镇桥头村');
    await screenshot(c, 'desktop-1-queue');

    await c.getByRole('button', { name: `认证 ${farm.name}` }).click();
    await c.getByText(`已认证“${farm.name}”。`).waitFor();
    await screenshot(c, 'desktop-2-queue-after-verify');

    // Back on the phone: the banner changed by itself.
    await banner.filter({ hasText: '已认证' }).waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('data-verification')).toBe('verified');
    expect(await sameDocument(f)).toBe(true);
    await screenshot(f, 'phone-4-organisation-verified');
    farmName = farm.name;

    // The audit trail names the broker.
    await c.getByRole('combobox', { name: '显示' }).selectOption('verified');
    await c.getByRole('button', { name: `记录 ${farm.name}` }).click();
    const audit = c.getByRole('region', { name: `“${farm.name}”的审核记录` });
    await audit.getByText(chamberAdmin.name).waitFor();
    await screenshot(c, 'desktop-3-audit');

    // The broker's own API token: shown once, copied, listed, revoked.
    await chamber.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    await c.getByRole('link', { name: '我的单位' }).click();
    await c.getByLabel('令牌名称').fill('库存系统');
    await c.getByRole('button', { name: '创建令牌' }).click();
    await c.getByText('此令牌只显示这一次', { exact: false }).waitFor();
    const secret = ((await c.locator('#new-token-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^fl_[A-Za-z0-9_-]{43}$/);
    await c.getByRole('button', { name: '复制' }).click();
    await c.getByRole('button', { name: '已复制' }).waitFor();
    expect(await c.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(c, 'desktop-6-token-created');
    c.once('dialog', (dialog) => void dialog.accept());
    await c.getByRole('button', { name: '吊销 库存系统' }).click();
    await c.getByText('还没有令牌。').waitFor();
    expect(await c.locator('#new-token-secret').count()).toBe(0);
    await c.getByRole('link', { name: '认证审核' }).click();
    await c.getByRole('heading', { name: '认证审核' }).waitFor();

    // The same pages at the other size, to see how they hold up.
    await f.setViewportSize(DESKTOP);
    await screenshot(f, 'desktop-4-organisation-verified');
    await c.setViewportSize(PHONE);
    await screenshot(c, 'phone-5-queue');
  });

  it('a rejected restaurant sees the reason, live; the language switch to English is remembered', async () => {
    const restaurant = {
      name: `绳金塔老街餐馆${randomInt(1000)}`,
      creditCode: aCreditCode(),
      email: `chef${randomInt(1e6)}@example.com`,
    };
    const r = await openBrowser(PHONE, { mobile: true });
    try {
      const p = r.page;
      await p.goto(`${app.baseUrl}/#/signup`);
      await p.getByLabel('餐厅（买家）').check();
      await p.getByLabel('单位名称').fill(restaurant.name);
      await p.getByLabel('统一社会信用代码').fill(restaurant.creditCode);
      await p.getByLabel('县 / 区').fill('西湖区');
      await p.getByLabel('你的姓名').fill('赵大厨');
      // Email only: the form then asks for the organisation's contact mobile.
      await p.getByLabel('邮箱').fill(restaurant.email);
      await p.getByLabel('单位联系手机').fill(aMobile());
      await p.getByLabel('设置密码').fill('1234567890');
      await p.getByRole('button', { name: '提交注册' }).click();
      // Too common: refused before it reaches the server, in Chinese, on the password field.
      await p.getByText('这个密码太常见').waitFor();
      await p.getByLabel('设置密码').fill('瓦罐汤要用小火煨一夜');
      await p.getByRole('button', { name: '提交注册' }).click();
      const banner = p.locator('[data-verification]');
      await banner.filter({ hasText: '待审核' }).waitFor();
      await p.getByText('实时在线').waitFor();

      const c = chamber.page;
      await c.setViewportSize(DESKTOP);
      await c.getByRole('combobox', { name: '显示' }).selectOption('pending');
      await c.getByLabel('搜索名称或信用代码').fill(restaurant.creditCode.slice(0, 12).toLowerCase());
      await c.keyboard.press('Enter');
      await c.locator('table.queue tbody tr[data-org]').filter({ hasText: restaurant.name }).waitFor();
      expect(await c.locator('table.queue tbody tr[data-org]').count()).toBe(1);
      await screenshot(c, 'desktop-5-queue-search');
      await c.getByRole('button', { name: `驳回 ${restaurant.name}` }).click();
      await c.getByRole('button', { name: '确认驳回' }).click();
      await c.getByText('请填写此项').waitFor(); // a rejection needs a reason
      await c.getByLabel(`驳回“${restaurant.name}”的原因`).fill('营业执照上的名称与填写的不一致');
      await c.getByRole('button', { name: '确认驳回' }).click();
      await c.getByText(`已驳回“${restaurant.name}”。`).waitFor();

      await banner.filter({ hasText: '已驳回' }).waitFor({ timeout: 10_000 });
      await banner.getByText('原因：营业执照上的名称与填写的不一致').waitFor();
      await screenshot(p, 'phone-6-organisation-rejected');

      await p.getByRole('button', { name: 'Switch to English' }).click();
      await p.getByRole('heading', { name: 'My organisation' }).waitFor();
      await p.reload();
      await p.getByRole('heading', { name: 'My organisation' }).waitFor();
      expect(await p.evaluate(() => document.documentElement.lang)).toBe('en');
      await banner.filter({ hasText: 'Rejected' }).waitFor();
      await screenshot(p, 'phone-7-organisation-rejected-en');

      // The cook forgot the password and phones the chamber: the broker resets it; the phone is
      // signed out at once and told why.
      await c.getByRole('combobox', { name: '显示' }).selectOption('rejected');
      await c.getByRole('button', { name: `成员 ${restaurant.name}` }).click();
      c.once('dialog', (dialog) => void dialog.accept());
      await c.getByRole('button', { name: '重置密码 赵大厨' }).click();
      await c.getByText('已重置赵大厨的密码。请把一次性密码告诉对方：').waitFor();
      expect(((await c.locator('#reset-otp').textContent()) ?? '').trim().length).toBeGreaterThanOrEqual(10);
      await screenshot(c, 'desktop-7-password-reset');
      await p.getByText('Your password was reset by the chamber', { exact: false }).waitFor({ timeout: 10_000 });
      await p.getByRole('heading', { name: 'Sign in' }).waitFor();
      await screenshot(p, 'phone-11-signed-out-after-reset');
      expect(r.errors).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('a manager adds a colleague, who must replace the one-time password at first sign-in', async () => {
    expect(farmName).not.toBe('');
    const f = farmer.page;
    await f.setViewportSize(PHONE);
    await f.locator('summary', { hasText: '添加同事' }).click();
    const colleaguePhone = aMobile();
    await f.getByLabel('姓名').fill('张红');
    await f.getByLabel('手机号').fill(colleaguePhone);
    await f.getByRole('button', { name: '添加', exact: true }).click();
    await f.getByText('已添加张红。请把一次性密码告诉对方：').waitFor();
    const oneTimePassword = ((await f.locator('#new-member-otp').textContent()) ?? '').trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(10);
    await screenshot(f, 'phone-8-colleague-added');

    const colleague = await openBrowser(PHONE, { mobile: true });
    try {
      const p = colleague.page;
      await p.goto(`${app.baseUrl}/`);
      await p.getByLabel('手机号或邮箱').fill(colleaguePhone);
      await p.getByLabel('密码', { exact: true }).fill(oneTimePassword);
      await p.getByRole('button', { name: '登录' }).click();
      await p.getByText('你正在使用一次性密码，请先设置自己的新密码。').waitFor();
      // Other pages are out of reach until the password is changed.
      await p.goto(`${app.baseUrl}/#/org`);
      await p.getByRole('heading', { name: '修改密码' }).waitFor();
      await screenshot(p, 'phone-9-forced-password-change');
      await p.getByLabel('一次性密码').fill(oneTimePassword);
      await p.getByLabel('新密码', { exact: true }).fill('南昌拌粉一定要加萝卜丁');
      await p.getByLabel('再次输入新密码').fill('南昌拌粉一定要加萝卜丁');
      await p.getByRole('button', { name: '修改密码' }).click();
      await p.locator('[data-verification="verified"]').waitFor();
      await p.getByRole('heading', { name: farmName }).waitFor();
      await p.getByText('张红').first().waitFor();
      await p.getByText('只有管理员可以添加或移除同事。').waitFor();
      await markWindow(p);

      // The manager promotes her; her page offers the manager's controls by itself.
      await f.getByRole('button', { name: '设为管理员 张红' }).click();
      await f.getByRole('button', { name: '设为成员 张红' }).waitFor();
      await p.locator('summary', { hasText: '添加同事' }).waitFor({ timeout: 10_000 });
      expect(await sameDocument(p)).toBe(true);
      await screenshot(p, 'phone-10-colleague-promoted');
      expect(colleague.errors).toEqual([]);
    } catch (err) {
      await screenshot(colleague.page, 'failure-colleague');
      throw err;
    } finally {
      await colleague.close();
    }
  });
});
