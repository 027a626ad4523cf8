/**
 * The programme's lists page like every list (shared/domain/paging.ts): campaigns (newest start first),
 * a campaign's orders, pairings, research topics and outcomes. Walking with a small limit while rows are
 * added between reads never repeats or skips a row present throughout; an enterprise pages through only its
 * own pairings and campaign orders; a bad limit or cursor, or a cursor of another list, is a 400 naming it.
 */
import {
  aBuyer,
  aChamberUser,
  aConfirmedOrder,
  aFarm,
  HOUR,
  setVillage,
  startTimedApp,
  type Member,
  type TimedApp,
} from '../fixtures/programme-api';

let timed: TimedApp;
let staff: Member;
let farm: Member;
let canteen: Member;
let retailer: Member;
const start = Date.now();
const at = (h: number) => new Date(start + h * HOUR).toISOString();

beforeAll(async () => {
  timed = await startTimedApp();
  const { app } = timed;
  staff = await aChamberUser(app, { admin: false });
  farm = await aFarm(app);
  await setVillage(app, farm.organisationId, '太平村');
  canteen = await aBuyer(app, 'canteen');
  retailer = await aBuyer(app, 'retailer');
}, 60_000);
afterAll(() => timed.app.close());

interface Page {
  items: { id: string }[];
  nextCursor: string | null;
}
const after = (cursor: string | null) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

/** Every page of `path` (its query already started) as `who`, calling `between` after the first page. */
async function walk(who: Member, path: string, limit: number, between: () => Promise<void> = async () => {}) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let first = true;
  do {
    const page: { status: number; body: Page } = await who.agent.get<Page>(`${path}&limit=${limit}${after(cursor)}`);
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((r) => r.id));
    cursor = page.body.nextCursor;
    if (first) await between();
    first = false;
  } while (cursor);
  return seen;
}

async function aCampaign(startsInHours: number): Promise<string> {
  const made = await staff.agent.post<{ campaign: { id: string } }>('/api/campaigns', {
    name: `消费帮扶 ${startsInHours}`,
    startsAt: at(startsInHours),
    endsAt: at(startsInHours + 48),
    villages: ['太平村'],
  });
  expect(made.status).toBe(201);
  return made.body.campaign.id;
}

async function aPairing(enterprise: Member): Promise<string> {
  const made = await staff.agent.post<{ pairing: { id: string } }>('/api/pairings', {
    enterpriseOrgId: enterprise.organisationId,
    farmIds: [farm.organisationId],
    startsAt: at(-1),
    endsAt: at(48),
    pledgeGrams: 100_000,
  });
  expect(made.status).toBe(201);
  return made.body.pairing.id;
}

describe('campaigns page', () => {
  it('newest start first, every campaign once, while campaigns are created between pages', async () => {
    const byStart: Record<number, string> = {};
    for (const h of [5, -3, 10, 1, 7]) byStart[h] = await aCampaign(h);
    const seen = await walk(staff, '/api/campaigns?', 2, async () => {
      await aCampaign(20); // starts latest: before the cursor, not this walk's
      byStart[-10] = await aCampaign(-10); // starts earliest: comes last
    });
    expect(seen).toEqual([10, 7, 5, 1, -3, -10].map((h) => byStart[h]));
  });

  it('a campaign’s orders: the chamber pages through all, a buyer only through its own', async () => {
    const campaignId = await aCampaign(-1);
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push((await aConfirmedOrder(timed, farm, canteen, { grams: 1_000 + i })).id);
    const theirs = (await aConfirmedOrder(timed, farm, retailer)).id;
    const path = `/api/campaigns/${campaignId}/orders?`;
    const all = await walk(staff, path, 2);
    expect(new Set(all)).toEqual(new Set([...mine, theirs]));
    expect(all).toHaveLength(4);
    const own = await walk(canteen, path, 2);
    expect(new Set(own)).toEqual(new Set(mine));
    expect(own).toHaveLength(3);
  });
});

describe('pairings page', () => {
  it('newest first; an enterprise pages only through its own, the chamber through all', async () => {
    const canteens: string[] = [];
    for (let i = 0; i < 3; i++) {
      timed.setOffset(i * 60_000); // one creation time each: the walk's order is plain
      canteens.push(await aPairing(canteen));
      await aPairing(retailer);
    }
    const own = await walk(canteen, '/api/pairings?', 2, async () => {
      timed.setOffset(10 * 60_000);
      await aPairing(retailer);
    });
    timed.setOffset(0);
    expect(own).toEqual([...canteens].reverse());
    const all = await walk(staff, '/api/pairings?', 2);
    expect(all).toHaveLength(7);
    expect(new Set(all).size).toBe(7);
  });
});

describe('topics and outcomes page', () => {
  it('topics newest first and outcomes newest achieved first, each once', async () => {
    const topics: string[] = [];
    for (let i = 0; i < 4; i++) {
      timed.setOffset(i * 60_000);
      const made = await staff.agent.post<{ topic: { id: string } }>('/api/research-topics', { title: `课题 ${i}` });
      topics.push(made.body.topic.id);
    }
    timed.setOffset(0);
    expect(await walk(staff, '/api/research-topics?', 3)).toEqual([...topics].reverse());
    const outcomes: Record<string, string> = {};
    for (const day of ['2026-10-03', '2026-10-01', '2026-10-05']) {
      const made = await staff.agent.post<{ outcome: { id: string } }>('/api/programme-outcomes', {
        title: `成果 ${day}`,
        achievedOn: day,
      });
      expect(made.status).toBe(201);
      outcomes[day] = made.body.outcome.id;
    }
    expect(await walk(staff, '/api/programme-outcomes?', 2)).toEqual(
      ['2026-10-05', '2026-10-03', '2026-10-01'].map((d) => outcomes[d]),
    );
  });
});

describe('programme lists refuse', () => {
  it('a bad limit or cursor naming the field, and a cursor of another list', async () => {
    const topicsCursor = (await staff.agent.get<Page>('/api/research-topics?limit=1')).body.nextCursor;
    const outcomesCursor = (await staff.agent.get<Page>('/api/programme-outcomes?limit=1')).body.nextCursor;
    expect(topicsCursor).toEqual(expect.any(String));
    expect(outcomesCursor).toEqual(expect.any(String));
    const refused: [string, string][] = [
      ['/api/campaigns?limit=0', 'limit'],
      ['/api/pairings?limit=201', 'limit'],
      ['/api/remediation-plans?limit=x', 'limit'],
      ['/api/research-topics?cursor=nonsense!', 'cursor'],
      [`/api/remediation-plans?cursor=${encodeURIComponent(topicsCursor as string)}`, 'cursor'],
      [`/api/research-topics?cursor=${encodeURIComponent(outcomesCursor as string)}`, 'cursor'],
      [`/api/campaigns?cursor=${encodeURIComponent(topicsCursor as string)}`, 'cursor'],
    ];
    for (const [url, field] of refused) {
      const res = await staff.agent.get<{ error: { fields?: Record<string, string> } }>(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(Object.keys(res.body.error.fields ?? {})).toEqual([field]);
    }
  });

  it('non-staff: 403 on the chamber’s lists', async () => {
    for (const url of ['/api/research-topics?limit=5', '/api/remediation-plans?limit=5', '/api/programme-outcomes']) {
      expect((await canteen.agent.get(url)).status).toBe(403);
    }
  });
});
