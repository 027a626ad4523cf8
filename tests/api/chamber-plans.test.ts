/**
 * The chamber reads every farm's plan, read-only: any farm's capacity and outlook (`?orgId=`), the
 * market-wide outlook, every standing order with the parties' names. Farms still read only their own;
 * a farm or restaurant naming another farm is refused with 403 naming `orgId`.
 */
import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00'); // a Thursday
const capacityOf = (dailyGrams: number) => ({
  production: [{ productCode: 'shiitake', dailyGrams }],
  coldStorageGrams: 100_000,
  dispatchGramsPerDay: 500_000,
});

describe('the chamber’s read-only view of farms’ plans', () => {
  let app: DeskApp;
  let farm: Client;
  let otherFarm: Client;
  let restaurant: Client;
  let staff: Client;
  let activeId: string;
  let proposedId: string;

  beforeAll(async () => {
    app = await startDeskApp('chamber_plans', T0, { realMarket: true });
    farm = await app.signIn('farm', { orgId: (await app.org('farm', { name: '绿源合作社' })).id });
    otherFarm = await app.signIn('farm', { orgId: (await app.org('farm', { name: '青山农场' })).id });
    restaurant = await app.signIn('restaurant', { orgId: (await app.org('restaurant', { name: '湘味小馆' })).id });
    staff = await app.signIn('chamber', { orgId: (await app.org('chamber')).id, displayName: '李明' });
    expect((await farm.put('/api/capacity', capacityOf(50_000))).status).toBe(200);
    expect((await otherFarm.put('/api/capacity', capacityOf(30_000))).status).toBe(200);
    // Every day from today, 10 kg: the farm accepts it, so it is committed in its outlook.
    const standing = {
      productCode: 'shiitake',
      gramsPerOccurrence: 10_000,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      priceFenPerKg: 1200,
      startDate: '2026-11-26',
    };
    const placed = await restaurant.post('/api/standing-orders', { ...standing, sellerOrgId: farm.orgId });
    expect(placed.status).toBe(201);
    activeId = (await placed.json()).id;
    expect((await farm.post(`/api/standing-orders/${activeId}/accept`, {})).status).toBe(200);
    const proposed = await restaurant.post('/api/standing-orders', { ...standing, sellerOrgId: otherFarm.orgId });
    expect(proposed.status).toBe(201);
    proposedId = (await proposed.json()).id;
  });
  afterAll(() => app.close());

  const json = async (client: Client, path: string, status = 200) => {
    const res = await client.get(path);
    const body = await res.json();
    expect({ status: res.status, body }).toEqual({ status, body: expect.anything() });
    return body;
  };

  it('lets chamber staff read any farm’s capacity and outlook by orgId', async () => {
    expect(await json(staff, `/api/capacity?orgId=${farm.orgId}`)).toMatchObject({
      orgId: farm.orgId,
      production: [{ productCode: 'shiitake', dailyGrams: 50_000 }],
    });
    const { days } = await json(staff, `/api/capacity/outlook?orgId=${farm.orgId}&days=7`);
    expect(days).toHaveLength(7);
    expect(days[0]).toMatchObject({ date: '2026-11-26', totalCommittedGrams: 10_000, totalSurplusGrams: 40_000 });
    // The same outlook the farm sees of itself.
    expect((await json(farm, '/api/capacity/outlook?days=7')).days).toEqual(days);
  });

  it('sums the market’s outlook per day, with each farm’s day totals', async () => {
    const summary = await json(staff, '/api/capacity/market-outlook?days=3');
    expect(summary.days.map((d: { date: string }) => d.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
    expect(summary.days[0]).toMatchObject({
      lines: [{ productCode: 'shiitake', expectedGrams: 80_000, committedGrams: 10_000, surplusGrams: 70_000 }],
      totalSurplusGrams: 70_000,
    });
    const byFarm = Object.fromEntries(
      summary.farms.map((f: { orgId: string; days: { totalSurplusGrams: number }[] }) => [
        f.orgId,
        f.days[0]?.totalSurplusGrams,
      ]),
    );
    expect(byFarm).toEqual({ [farm.orgId]: 40_000, [otherFarm.orgId]: 30_000 });
  });

  it('lists every standing order to chamber staff, newest first, with names and filters', async () => {
    const all = (await json(staff, '/api/standing-orders')).items;
    expect(all.map((s: { id: string }) => s.id)).toEqual([proposedId, activeId]);
    expect(all[1]).toMatchObject({ status: 'active', buyerName: '湘味小馆', sellerName: '绿源合作社' });
    expect((await json(staff, '/api/standing-orders?status=active')).items.map((s: { id: string }) => s.id)).toEqual([
      activeId,
    ]);
    expect(
      (await json(staff, `/api/standing-orders?orgId=${otherFarm.orgId}`)).items.map((s: { id: string }) => s.id),
    ).toEqual([proposedId]);
  });

  it('still shows chamber staff all open demand', async () => {
    const posted = await restaurant.post('/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 30_000,
      maxPriceFenPerKg: 1500,
      neededBy: '2026-11-27T10:00:00+08:00',
    });
    expect(posted.status).toBe(201);
    expect((await json(staff, '/api/demand')).items).toEqual([
      expect.objectContaining({ id: (await posted.json()).id, buyerOrgId: restaurant.orgId }),
    ]);
  });

  it('refuses a farm reading another farm’s plan, and a restaurant reading a farm’s', async () => {
    for (const path of [`/api/capacity?orgId=${otherFarm.orgId}`, `/api/capacity/outlook?orgId=${otherFarm.orgId}`]) {
      const body = await json(farm, path, 403);
      expect(body.error).toMatchObject({ code: 'FORBIDDEN', fields: { orgId: expect.any(String) } });
    }
    expect((await json(restaurant, `/api/capacity?orgId=${farm.orgId}`, 403)).error.code).toBe('FORBIDDEN');
    expect((await json(restaurant, `/api/capacity/outlook?orgId=${farm.orgId}`, 403)).error.code).toBe('FORBIDDEN');
    expect((await json(farm, '/api/capacity/market-outlook', 403)).error.code).toBe('FORBIDDEN');
    expect((await json(farm, `/api/standing-orders?orgId=${otherFarm.orgId}`, 403)).error.code).toBe('FORBIDDEN');
    // Its own id is fine.
    expect((await json(farm, `/api/capacity?orgId=${farm.orgId}`)).orgId).toBe(farm.orgId);
  });

  it('answers 400 naming orgId when it is not an organisation id', async () => {
    expect((await json(staff, '/api/capacity/outlook?orgId=nope', 400)).error.fields).toHaveProperty('orgId');
    expect((await json(staff, '/api/standing-orders?orgId=nope', 400)).error.fields).toHaveProperty('orgId');
  });

  it('keeps the chamber read-only: it cannot set capacity or accept a standing order', async () => {
    expect((await staff.put('/api/capacity', capacityOf(1_000))).status).toBe(403);
    expect((await staff.post(`/api/standing-orders/${proposedId}/accept`, {})).status).toBe(403);
    expect((await json(staff, `/api/capacity?orgId=${otherFarm.orgId}`)).production[0].dailyGrams).toBe(30_000);
  });
});
