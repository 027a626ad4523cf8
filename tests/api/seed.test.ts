/**
 * npm run seed: the demo world on a fresh embedded database, then the real app on the same data
 * directory lets a demo farmer sign in and see the cooperative's lots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AlreadySeeded, seedDemoWorld, type SeedResult } from '../../scripts/seed';
import { CHAMBER_STAFF, COOPERATIVE, DEMO_PASSWORD, OTHER_FARMS, RESTAURANTS } from '../../scripts/seed-world';
import { addDays, shanghaiDate } from '../../shared/domain/calendar';
import { isValidCreditCode } from '../../shared/domain/credit-code';
import { startTestApp, type TestApp } from '../fixtures/test-app';

jest.setTimeout(600_000);

let dataDir: string;
let result: SeedResult;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshlink-seed-'));
  result = await seedDemoWorld({
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    SESSION_SECRET: randomBytes(32).toString('hex'),
  });
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo world', () => {
  it('has the cooperative, four other farms, twelve restaurants and the chamber, every credit code valid', () => {
    expect(RESTAURANTS).toHaveLength(12);
    expect(OTHER_FARMS).toHaveLength(4);
    for (const org of [COOPERATIVE, ...OTHER_FARMS, ...RESTAURANTS])
      expect(isValidCreditCode(org.creditCode)).toBe(true);
    expect(result.counts.organisations).toBe(1 + 1 + 4 + 12);
  });

  it('has four weeks of lots, bids and orders, with lots still open today', () => {
    expect(result.counts.lots).toBeGreaterThanOrEqual(30);
    expect(result.counts.openLots).toBeGreaterThan(5);
    expect(result.counts.offers).toBeGreaterThanOrEqual(60);
    expect(result.counts.orders).toBeGreaterThanOrEqual(40);
    expect(result.signIns.map((s) => s.phone)).toContain(COOPERATIVE.phone);
  });

  it('refuses to seed the same database twice, saying why', async () => {
    await expect(seedDemoWorld({ DATA_DIR: dataDir, NODE_ENV: 'test' })).rejects.toBeInstanceOf(AlreadySeeded);
  });

  describe('opened by the app', () => {
    let app: TestApp;
    beforeAll(async () => {
      // The seed used the default database name in DATA_DIR; the app opens the same one.
      app = await startTestApp({ dbName: 'freshlink', dataDir });
    });
    afterAll(async () => {
      await app.close();
    });

    it('lets the cooperative farmer sign in and see expired, sold and open lots with spoilage recorded', async () => {
      const farmer = app.agent();
      await farmer.login(COOPERATIVE.phone, DEMO_PASSWORD);
      const me = await farmer.get<{ organisation: { id: string; verification: string; name: string } }>('/api/me');
      expect(me.body.organisation).toMatchObject({ verification: 'verified', name: COOPERATIVE.name });
      const lots = await farmer.get<{ items: { status: string; spoiledGrams?: number; urgency: string }[] }>(
        `/api/lots?sellerOrgId=${me.body.organisation.id}&limit=200`,
      );
      const statuses = new Set(lots.body.items.map((l) => l.status));
      expect([...statuses]).toEqual(expect.arrayContaining(['open', 'expired']));
      expect(lots.body.items.some((l) => l.status === 'expired' && (l.spoiledGrams ?? 0) > 0)).toBe(true);
      expect(lots.body.items.some((l) => l.status === 'open' && l.urgency !== 'fresh')).toBe(true);
      const orders = await farmer.get<{ items: { status: string }[] }>('/api/orders?limit=200');
      const orderStatuses = new Set(orders.body.items.map((o) => o.status));
      for (const s of ['completed', 'delivered']) expect(orderStatuses.has(s)).toBe(true);
    });

    it('gives the chamber four weeks of brokered deals: the ledger total is the sum of the brokered orders, week by week', async () => {
      const staff = app.agent();
      await staff.login(CHAMBER_STAFF[0].phone, DEMO_PASSWORD);
      const today = shanghaiDate(new Date());
      const from = addDays(today, -35);
      const ledger = await staff.get<{
        total: { orders: number; valueFen: number; quantityGrams: number; enterprises: number };
        periods: { period: string; orders: number; valueFen: number }[];
      }>(`/api/ledger?from=${from}&to=${today}&period=week`);
      expect(ledger.status).toBe(200);
      expect(ledger.body.total.orders).toBeGreaterThanOrEqual(15);
      expect(ledger.body.total.enterprises).toBeGreaterThanOrEqual(2);
      // Spread over the weeks, not all on one day.
      expect(ledger.body.periods.filter((p) => p.orders > 0).length).toBeGreaterThanOrEqual(4);
      expect(ledger.body.periods.reduce((sum, p) => sum + p.valueFen, 0)).toBe(ledger.body.total.valueFen);

      const deals = await staff.get<{
        items: { orderId: string | null; orderStatus?: string | null; orderTotalFen?: number | null; sentAt: string }[];
      }>('/api/desk/brokered-offers?limit=200');
      const ordered = deals.body.items.filter((d) => d.orderId);
      expect(ordered).toHaveLength(ledger.body.total.orders);
      expect(ordered.reduce((sum, d) => sum + (d.orderTotalFen ?? 0), 0)).toBe(ledger.body.total.valueFen);
      const statuses = new Set(ordered.map((d) => d.orderStatus));
      for (const s of ['completed', 'delivered']) expect(statuses.has(s)).toBe(true);
      const oldest = Math.min(...ordered.map((d) => Date.parse(d.sentAt)));
      expect(Date.now() - oldest).toBeGreaterThan(21 * 86_400_000);
    });

    it('shows spoilage and sales per farm, and visits over the last four weeks', async () => {
      const staff = app.agent();
      await staff.login(CHAMBER_STAFF[0].phone, DEMO_PASSWORD);
      const today = shanghaiDate(new Date());
      const from = addDays(today, -28);
      const report = await staff.get<{
        farms: { farmName: string; overall: { soldGrams: number; spoiledGrams: number } | null }[];
      }>(`/api/ledger/sell-through?from=${from}&to=${today}&period=week`);
      expect(report.status).toBe(200);
      const coop = report.body.farms.find((f) => f.farmName === COOPERATIVE.name);
      expect(coop?.overall?.soldGrams).toBeGreaterThan(0);
      expect(coop?.overall?.spoiledGrams).toBeGreaterThan(0);
      const visits = await staff.get<{ items: { visitedOn: string }[] }>(
        `/api/visits?from=${from}&to=${today}&limit=200`,
      );
      expect(visits.body.items.length).toBeGreaterThanOrEqual(10);
      expect(new Set(visits.body.items.map((v) => v.visitedOn.slice(0, 10))).size).toBeGreaterThanOrEqual(10);
    });

    it("lets the seed run while the app runs: it reaches the same database through the app's socket", async () => {
      // Not "data directory in use": the seed got in, found the cooperative and stopped.
      await expect(seedDemoWorld({ DATA_DIR: dataDir, NODE_ENV: 'test' })).rejects.toBeInstanceOf(AlreadySeeded);
    });
  });
});
