/**
 * A restaurant's agreed standing order becomes a proposed order; the farm, on a phone, confirms it from one
 * of its lots and the restaurant sees it confirmed live; the farm dispatches, opens the delivery note
 * (number, both phones, QR code), and the restaurant opens the order's link and confirms receipt.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { shanghaiDate } from '../../shared/domain/calendar';
import type { RunningApp } from './app';
import {
  aMobile,
  expectNoSidewaysScroll,
  signIn,
  aFarmAndABuyerOnline,
  closeAll,
  expectNoBrowserErrors,
  type Call,
} from './people';
import { screenshot, type Person } from './browser';

const chamberAdmin = { phone: aMobile(), name: '王科长', password: '赣江边上的审核员2026' };
const farmer = {
  phone: aMobile(),
  password: '香菇长在木头上2026',
  org: `新干县鑫源食用菌专业合作社${randomInt(1000)}`,
};
const buyer = { phone: aMobile(), password: '红谷滩的小炒真的最好吃', org: `赣江渔火南昌菜馆${randomInt(1000)}` };

/** Shanghai wall-clock HH:MM `h` hours from now. */
const shanghaiClockIn = (h: number) => new Date(Date.now() + (h + 8) * 3_600_000).toISOString().slice(11, 16);

async function openOrders(page: Page) {
  await page.getByRole('link', { name: '订单', exact: true }).click();
  await page.getByRole('heading', { name: '订单', exact: true }).waitFor();
}

describe('standing order → proposed → confirmed from a lot → delivery note → received', () => {
  let app: RunningApp;
  let farmApi: Call;
  let cookApi: Call;
  let farm: Person;
  let cook: Person;

  beforeAll(async () => {
    ({ app, farmApi, cookApi, farm, cook } = await aFarmAndABuyerOnline({
      chamberAdmin,
      farmer,
      buyer,
      chamberIp: '10.9.0.1',
      buyerScreen: 'phone',
    }));
  });
  afterEach(() => expectNoBrowserErrors(farm, cook));
  afterAll(() => closeAll([farm, cook], app));

  it('the farm confirms the proposed order from its lot on a phone; the note and the receipt follow', async () => {
    const f = farm.page;
    const c = cook.page;
    // The agreement (made on the standing-orders pages, not under test here): 20 公斤 of shiitake every day,
    // ¥20/公斤, up to 10 % more at 10 % off, due 3 h from now; and a 30 公斤 lot on the farm's shelf.
    const me = await farmApi<{ organisation: { id: string } }>('GET', '/api/me');
    const standing = await cookApi<{ id: string }>('POST', '/api/standing-orders', {
      productCode: 'shiitake',
      gramsPerOccurrence: 20_000,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      priceFenPerKg: 2000,
      startDate: shanghaiDate(new Date()),
      deliverBy: shanghaiClockIn(3),
      tolerance: { extraPercent: 10, discountPercent: 10 },
      sellerOrgId: me.organisation.id,
    });
    await farmApi('POST', `/api/standing-orders/${standing.id}/accept`, {});
    await farmApi('POST', '/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 30_000,
      harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1400,
    });

    // Both have their orders pages open when the sweep proposes the order: it arrives live.
    await signIn(f, app.baseUrl, farmer);
    await openOrders(f);
    await signIn(c, app.baseUrl, buyer);
    await openOrders(c);
    expect(await app.proposeStandingOrders()).toBe(1);

    const proposed = f.locator('.order.proposed', { hasText: '鲜香菇' });
    await proposed.waitFor({ timeout: 10_000 });
    await f.getByRole('heading', { name: '待确认的长期订单（1）' }).waitFor();
    expect(await proposed.textContent()).toContain('40斤');
    const number = (await proposed.locator('strong').first().textContent())?.trim() ?? '';
    expect(number).toMatch(/^XL-\d{8}-\d{4}$/);
    const orderId = (await proposed.getAttribute('data-order')) ?? '';
    await c.locator('.order', { hasText: number }).locator('.badge', { hasText: '待农场确认' }).waitFor();
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'orders-delivery-phone-1-proposed');

    // 确认: the lot is picked, the base is filled in; too much is refused at the quantity field.
    await proposed.getByRole('button', { name: '确认' }).click();
    const quantity = proposed.getByLabel('数量（斤）');
    expect(await quantity.inputValue()).toBe('40');
    expect(await proposed.getByLabel('发货批次').inputValue()).not.toBe('');
    await quantity.fill('50');
    await proposed.getByRole('button', { name: '确认' }).click();
    await proposed.getByText('应在 40斤 到 44斤 之间。').waitFor();
    expect(await quantity.getAttribute('aria-invalid')).toBe('true');
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'orders-delivery-phone-2-confirm-form');
    await quantity.fill('42');
    await proposed.getByRole('button', { name: '确认' }).click();

    const farmOrder = f.locator('.order', { hasText: number });
    await farmOrder.locator('.badge', { hasText: '已确认' }).waitFor();
    expect(await f.locator('.order.proposed').count()).toBe(0);
    // 40 斤 base at ¥10/斤 and 2 斤 over it at the tolerance's ¥9/斤: the card says why it is not 42 × 10.
    const confirmedText = (await farmOrder.textContent()) ?? '';
    expect(confirmedText).toContain('42斤');
    expect(confirmedText).toContain('¥418.00');
    expect(confirmedText).toContain('（其中超出的 2斤 按 ¥9.00/斤）');
    // The restaurant's page follows without reloading.
    const cookOrder = c.locator('.order', { hasText: number });
    await cookOrder.locator('.badge', { hasText: '已确认' }).waitFor({ timeout: 10_000 });
    await screenshot(c, 'orders-delivery-phone-3-restaurant-confirmed');

    // The farm dispatches and opens the delivery note: number, both phones, a QR code; it fits the phone.
    await farmOrder.getByRole('button', { name: '确认发货' }).click();
    await farmOrder.locator('.badge', { hasText: '已发货' }).waitFor();
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'orders-delivery-phone-4-dispatched');
    await farmOrder.getByRole('link', { name: '送货单' }).click();
    const note = f.locator('.delivery-note');
    await note.getByText(number).waitFor();
    const noteText = (await note.textContent()) ?? '';
    expect(noteText).toContain(farmer.phone);
    expect(noteText).toContain(buyer.phone);
    expect(await note.locator('.qr svg, .qr img').count()).toBe(1);
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'orders-delivery-phone-5-note');

    // The restaurant opens the order's link (what the QR code holds) and confirms receipt of all 21 公斤 (42 斤).
    const link = f.url();
    expect(link).toContain(`#/market/order/${orderId}`);
    await c.goto(link);
    await c.locator('.delivery-note').getByText(number).waitFor();
    await c.getByLabel('实收数量（公斤）').fill('21');
    await c.getByRole('button', { name: '确认收货' }).click();
    await c.locator('.delivery-note > p', { hasText: `${number} · 已送达` }).waitFor();
    // 20 公斤 at ¥20 + 1 公斤 over the base at the tolerance's ¥18: the bill stays what was confirmed.
    expect(await c.locator('.delivery-note').textContent()).toContain('¥418.00');
    await expectNoSidewaysScroll(c);
    await screenshot(c, 'orders-delivery-phone-6-received');
  });

  it("the farm declines a proposed order with a reason; the restaurant changes the other one's delivery, seen live by the farm", async () => {
    const f = farm.page;
    const c = cook.page;
    const me = await farmApi<{ organisation: { id: string } }>('GET', '/api/me');
    const agreement = (productCode: string) => ({
      productCode,
      gramsPerOccurrence: 10_000,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      priceFenPerKg: 600,
      startDate: shanghaiDate(new Date()),
      deliverBy: shanghaiClockIn(4),
      sellerOrgId: me.organisation.id,
    });
    for (const productCode of ['napa_cabbage', 'tomato']) {
      const standing = await cookApi<{ id: string }>('POST', '/api/standing-orders', agreement(productCode));
      await farmApi('POST', `/api/standing-orders/${standing.id}/accept`, {});
    }
    await openOrders(f);
    await openOrders(c);
    expect(await app.proposeStandingOrders()).toBe(2);

    // 婉拒 with a reason, on the phone: the restaurant's list says why, without reloading.
    const cabbage = f.locator('.order.proposed', { hasText: '大白菜' });
    await cabbage.waitFor({ timeout: 10_000 });
    const cabbageNumber = (await cabbage.locator('strong').first().textContent())?.trim() ?? '';
    await cabbage.getByRole('button', { name: '婉拒' }).click();
    const decline = cabbage.getByRole('button', { name: '婉拒' });
    expect(await decline.isDisabled()).toBe(true); // no reason yet
    await cabbage.getByLabel('婉拒原因（餐厅会看到）').fill('白菜还没到采收期');
    await expectNoSidewaysScroll(f);
    await decline.click();
    await cabbage.waitFor({ state: 'detached' });
    const cookCabbage = c.locator('.order', { hasText: cabbageNumber });
    await cookCabbage.locator('.badge', { hasText: '已婉拒' }).waitFor({ state: 'attached', timeout: 10_000 });
    expect(await cookCabbage.textContent()).toContain('已婉拒：白菜还没到采收期');
    await screenshot(f, 'orders-delivery-phone-7-declined');

    // The tomato order's page, open on both phones; the restaurant changes the address and the slot.
    const tomato = f.locator('.order.proposed', { hasText: '番茄' });
    const tomatoId = (await tomato.getAttribute('data-order')) ?? '';
    const page = `${app.baseUrl}/#/market/order/${tomatoId}`;
    await f.goto(page);
    await c.goto(page);
    const noteOf = (p: Page) => p.locator('.delivery-note');
    await noteOf(f).waitFor();
    await noteOf(c).waitFor();
    await c.getByRole('button', { name: '修改地址或时间' }).click();
    const address = c.getByLabel('送货地址');
    await address.fill('   ');
    await c.getByLabel('开始时间').fill('11:00');
    await c.getByLabel('结束时间').fill('10:00');
    await c.getByRole('button', { name: '保存', exact: true }).click();
    // Both problems at their fields, red; editing one clears only that one.
    await c.locator('#delivery-edit-address-error', { hasText: '请填写地址' }).waitFor();
    await c.locator('#delivery-edit-to-error', { hasText: '结束时间须晚于开始时间' }).waitFor();
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    await expectNoSidewaysScroll(c);
    await screenshot(c, 'orders-delivery-phone-8-delivery-edit-errors');
    await address.fill('红谷滩区丰和中大道 99 号后厨');
    await c.locator('#delivery-edit-address-error').waitFor({ state: 'detached' });
    expect(await c.locator('#delivery-edit-to-error').count()).toBe(1);
    await c.getByLabel('结束时间').fill('12:30');
    await c.getByRole('button', { name: '保存', exact: true }).click();
    await c.getByText('送货信息已保存。').waitFor();
    expect(await noteOf(c).textContent()).toContain('红谷滩区丰和中大道 99 号后厨');
    // The farm's open page follows without reloading: the new address and the 11:00–12:30 slot.
    await noteOf(f).getByText('红谷滩区丰和中大道 99 号后厨').waitFor({ timeout: 10_000 });
    expect(await noteOf(f).textContent()).toMatch(/11:00 – \d+\/\d+ 12:30/);
    await expectNoSidewaysScroll(f);
    await screenshot(f, 'orders-delivery-phone-9-delivery-edited-live');
  });
});
