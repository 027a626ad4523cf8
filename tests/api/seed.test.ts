/**
 * npm run seed: the demo world on a fresh embedded database, then the real app on the same data
 * directory lets a demo farmer sign in and see the cooperative's lots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AlreadySeeded, seedDemoWorld, type SeedResult } from '../../scripts/seed';
import { COOPERATIVE, DEMO_PASSWORD, OTHER_FARMS, RESTAURANTS } from '../../scripts/seed-world';
import { isValidCreditCode } from '../../shared/domain/credit-code';
import { startTestApp, type TestApp } from '../fixtures/test-app';

jest.setTimeout(240_000);

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

  it('has a week of lots, bids and orders, with lots still open today', () => {
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

    it("lets the seed run while the app runs: it reaches the same database through the app's socket", async () => {
      // Not "data directory in use": the seed got in, found the cooperative and stopped.
      await expect(seedDemoWorld({ DATA_DIR: dataDir, NODE_ENV: 'test' })).rejects.toBeInstanceOf(AlreadySeeded);
    });
  });
});
