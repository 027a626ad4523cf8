/**
 * The demo world's programme part: a running campaign whose progress comes from the seeded week of orders,
 * a pairing with progress, and a dashboard with visits, problems solved on site, plans and outcomes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { seedDemoWorld } from '../../scripts/seed';
import { STORY } from '../../scripts/seed-programme';
import { CHAMBER_STAFF, DEMO_PASSWORD, RESTAURANTS } from '../../scripts/seed-world';
import { addDays, shanghaiDate } from '../../shared/domain/calendar';
import { startTestApp, type TestApp } from '../fixtures/test-app';

jest.setTimeout(240_000);

let dataDir: string;
let app: TestApp;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshlink-seed-programme-'));
  await seedDemoWorld({ DATA_DIR: dataDir, NODE_ENV: 'test', SESSION_SECRET: randomBytes(32).toString('hex') });
  app = await startTestApp({ dbName: 'freshlink', dataDir });
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('tells the Honggutan story: a running campaign and a pairing with progress, and a dashboard with counts', async () => {
  const staff = app.agent();
  await staff.login(CHAMBER_STAFF[0].phone, DEMO_PASSWORD);
  const campaigns = await staff.get<{
    items: { id: string; status: string; progress: { orders: number; valueFen: number } }[];
  }>('/api/campaigns');
  expect(campaigns.body.items).toHaveLength(1);
  expect(campaigns.body.items[0].status).toBe('running');
  expect(campaigns.body.items[0].progress.orders).toBeGreaterThan(0);
  expect(campaigns.body.items[0].progress.valueFen).toBeGreaterThan(0);

  const pairings = await staff.get<{ items: { progress: { grams: number } }[] }>('/api/pairings');
  expect(pairings.body.items).toHaveLength(1);

  // The enterprise canteen (企业食堂) joined the campaign and bought: it is on the leaderboard.
  const canteen = RESTAURANTS.find((r) => r.kind === 'canteen');
  expect(canteen?.name).toBe('青山湖软件园职工食堂');
  const campaign = await staff.get<{
    campaign: {
      joinedEnterprises: { name: string }[];
      leaderboard: { enterprises: { name: string; grams: number }[] };
    };
  }>(`/api/campaigns/${campaigns.body.items[0].id}`);
  expect(campaign.body.campaign.joinedEnterprises.map((e) => e.name)).toContain(canteen?.name);
  const canteenRow = campaign.body.campaign.leaderboard.enterprises.find((e) => e.name === canteen?.name);
  expect(canteenRow?.grams).toBeGreaterThan(0);

  // The dashboard over the default 90 days tells the story in the chamber's own numbers (whatever the hour).
  const today = shanghaiDate(new Date());
  const board = await staff.get<Record<string, number>>(
    `/api/programme/dashboard?from=${addDays(today, -89)}&to=${today}`,
  );
  expect(board.body).toMatchObject({
    visits: STORY.visits,
    problemsRaised: STORY.problems,
    problemsSolvedOnSite: STORY.solvedOnSite,
    problemsSolvedLater: STORY.solvedLater,
    plans: STORY.plans,
    outcomes: STORY.outcomes,
  });
  expect([STORY.visits, STORY.problems, STORY.solvedOnSite, STORY.plans, STORY.outcomes]).toEqual([85, 29, 19, 8, 32]);
  expect(board.body.salesValueFen).toBeGreaterThan(0);

  // The restaurant in the pairing sees it; another restaurant does not.
  const paired = app.agent();
  await paired.login(RESTAURANTS[0].phone, DEMO_PASSWORD);
  expect((await paired.get<{ items: unknown[] }>('/api/pairings')).body.items).toHaveLength(1);
  const other = app.agent();
  await other.login(RESTAURANTS[2].phone, DEMO_PASSWORD);
  expect((await other.get<{ items: unknown[] }>('/api/pairings')).body.items).toHaveLength(0);
});
