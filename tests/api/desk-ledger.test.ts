import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);

describe('the assistance ledger over HTTP', () => {
  let app: DeskApp;
  let staff: Client;
  let farm: { id: string; name: string };
  let farm2: { id: string; name: string };
  let restaurant: { id: string; name: string };
  let orderSeq = 0;
  const order = (over: Partial<{ sellerOrgId: string; quantityGrams: number; totalFen: number }> = {}) => ({
    id: `order-${++orderSeq}`,
    sellerOrgId: farm.id,
    buyerOrgId: restaurant.id,
    productCode: 'shiitake',
    quantityGrams: 100_000,
    totalFen: 130_000,
    ...over,
  });

  beforeAll(async () => {
    app = await startDeskApp('desk_ledger', T0);
    farm = await app.org('farm', { name: '绿源食用菌合作社', township: '生米镇', village: '南边村' });
    farm2 = await app.org('farm', { name: '=溪霞果蔬', township: '溪霞镇', village: '店前村' });
    restaurant = await app.org('restaurant', { name: '赣味餐厅, 红谷滩店' });
    const chamber = await app.org('chamber', { name: '红谷滩区工商联' });
    staff = await app.signIn('chamber', { orgId: chamber.id, displayName: '李明' });
  });
  afterAll(() => app.close());

  const ledger = () => app.handle.services.desk.ledger;

  it('records a facilitated order once per order id, even when the confirmation is retried at the same time', async () => {
    const o = order();
    const refs = { brokerUserId: staff.userId, lotExpiresAt: hours(30) };
    const results = await Promise.all([
      ledger().recordFacilitatedOrder(o, refs, T0),
      ledger().recordFacilitatedOrder(o, refs, T0),
      ledger().recordFacilitatedOrder(o, refs, T0),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const created = results.filter((r) => r.ok && r.created);
    expect(created).toHaveLength(1);
    const ids = new Set(results.map((r) => (r.ok ? r.entry.id : '')));
    expect(ids.size).toBe(1);
    const first = results[0];
    expect(first.ok && first.entry).toMatchObject({
      broker: { userId: staff.userId, name: '李明' },
      farm: { orgId: farm.id, name: '绿源食用菌合作社', township: '生米镇', village: '南边村' },
      atRisk: true,
      programme: '万企兴万村',
    });
  });

  it('refuses an order naming an unknown organisation or broker', async () => {
    expect(
      await ledger().recordFacilitatedOrder(
        order({ sellerOrgId: '0123456789abcdef01234567' }),
        { brokerUserId: staff.userId, lotExpiresAt: hours(99) },
        T0,
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await ledger().recordFacilitatedOrder(
        order(),
        { brokerUserId: '0123456789abcdef01234567', lotExpiresAt: hours(99) },
        T0,
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('reports entries and KPIs per period over a Shanghai date range', async () => {
    await ledger().recordFacilitatedOrder(
      order({ totalFen: 6_700, quantityGrams: 5_000 }),
      { brokerUserId: staff.userId, lotExpiresAt: hours(200) },
      hours(2),
    );
    await ledger().recordFacilitatedOrder(
      order({ sellerOrgId: farm2.id, totalFen: 1_000, quantityGrams: 1_000 }),
      { brokerUserId: staff.userId, lotExpiresAt: hours(24 * 8 + 100) },
      hours(24 * 8),
    );
    const res = await staff.get('/api/ledger?from=2026-11-23&to=2026-12-06&period=week');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.total).toMatchObject({
      orders: 3,
      valueFen: 137_700,
      quantityGrams: 106_000,
      atRiskGrams: 100_000,
      enterprises: 2,
      villages: 2,
      buyers: 1,
    });
    expect(body.periods.map((p: { period: string; orders: number }) => [p.period, p.orders])).toEqual([
      ['2026-W48', 2],
      ['2026-W49', 1],
    ]);
    expect(body.items).toHaveLength(3);
    expect(body.items[0].farm.orgId).toBe(farm2.id); // newest first

    const onlyFarm = await (
      await staff.get(`/api/ledger?from=2026-11-23&to=2026-12-06&farmId=${farm.id}&atRisk=false`)
    ).json();
    expect(onlyFarm.total).toMatchObject({ orders: 1, valueFen: 6_700 });
  });

  it('answers 400 VALIDATION naming a bad query field', async () => {
    const res = await staff.get('/api/ledger?from=2026-12-01&to=2026-11-01');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'VALIDATION', fields: { from: expect.any(String) } });
    expect((await staff.get('/api/ledger?period=fortnight')).status).toBe(400);
  });

  it('exports CSV as UTF-8 with BOM, CRLF, quoted fields and formula-safe names', async () => {
    const res = await staff.get('/api/ledger/export.csv?from=2026-11-01&to=2026-12-31');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''%E5%B8%AE%E6%89%B6%E5%8F%B0%E8%B4%A6_2026-11-01_2026-12-31.csv",
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('日期,经办人,农场,乡镇,村,买方,品种,数量(公斤),金额(元),项目,临期,订单号,数量(克),金额(分)');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      '2026-11-26 08:00,李明,绿源食用菌合作社,生米镇,南边村,"赣味餐厅, 红谷滩店",鲜香菇,100.000,1300.00,万企兴万村,是,order-1,100000,130000',
    );
    expect(lines[3]).toContain(",'=溪霞果蔬,");
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('voids an entry when the order is cancelled: it leaves the KPIs and the export, and a second void is refused', async () => {
    expect(await ledger().voidFacilitatedOrder('order-1', '餐厅取消', hours(3))).toMatchObject({
      ok: true,
      entry: { voidReason: '餐厅取消' },
    });
    expect(await ledger().voidFacilitatedOrder('order-1', 'again', hours(4))).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_VOID' },
    });
    expect(await ledger().voidFacilitatedOrder('no-such-order', 'x', hours(4))).toEqual({ ok: true, entry: null });
    const body = await (await staff.get('/api/ledger?from=2026-11-23&to=2026-12-06')).json();
    expect(body.total.orders).toBe(2);
    const csv = await (await staff.get('/api/ledger/export.csv?from=2026-11-01&to=2026-12-31')).text();
    expect(csv).not.toContain('order-1,');
  });

  it('shows each farm’s sell-through over time from the market’s daily outcomes', async () => {
    app.market.outcomes = [
      { farmId: farm.id, date: '2026-11-16', soldGrams: 1_200_000, spoiledGrams: 800_000 },
      { farmId: farm.id, date: '2026-11-24', soldGrams: 1_800_000, spoiledGrams: 200_000 },
      { farmId: farm2.id, date: '2026-11-24', soldGrams: 1, spoiledGrams: 0 },
    ];
    const res = await staff.get(`/api/ledger/sell-through?from=2026-11-16&to=2026-11-29&period=week&farmId=${farm.id}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.farms).toHaveLength(1);
    expect(body.farms[0]).toMatchObject({
      farmId: farm.id,
      farmName: '绿源食用菌合作社',
      overall: { ratePermille: 750 },
    });
    expect(body.farms[0].points.map((p: { ratePermille: number }) => p.ratePermille)).toEqual([600, 900]);
  });
});
