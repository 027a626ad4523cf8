/**
 * Campaigns and pairings over real HTTP against the embedded database: progress counts exactly the
 * confirmed orders inside the scope and period (never typed in), a cancelled order drops out, it goes out
 * live, and only chamber staff create campaigns and pairings; enterprises see only their own pairings.
 */
import { emitWithAck, nextEvent, type ClientSocket } from '../fixtures/test-app';
import {
  aBuyer,
  aChamberUser,
  aConfirmedOrder,
  aFarm,
  HOUR,
  setVillage,
  startTimedApp,
  type TimedApp,
  type Member,
} from '../fixtures/programme-api';

interface Progress {
  valueFen: number;
  grams: number;
  orders: number;
  buyers: number;
}

let timed: TimedApp;
let staff: Member;
let farmA: Member;
let farmB: Member;
let canteen: Member;
let retailer: Member;
let enterprise: Member;
let campaignId: string;
const start = Date.now();
const at = (h: number) => new Date(start + h * HOUR).toISOString();

beforeAll(async () => {
  timed = await startTimedApp();
  const { app } = timed;
  staff = await aChamberUser(app, { admin: false });
  farmA = await aFarm(app);
  farmB = await aFarm(app);
  await setVillage(app, farmA.organisationId, '太平村');
  await setVillage(app, farmB.organisationId, '店前村');
  canteen = await aBuyer(app, 'canteen');
  retailer = await aBuyer(app, 'retailer');
  enterprise = await aBuyer(app, 'enterprise');
}, 60_000);
afterAll(() => timed.app.close());

const campaign = async (viewer: Member = staff) => {
  const reply = await viewer.agent.get<{
    campaign: { progress: Progress; leaderboard: { villages: { name: string }[] } };
  }>(`/api/campaigns/${campaignId}`);
  expect(reply.status).toBe(200);
  return reply.body.campaign;
};

describe('a campaign for 太平村’s shiitake from hour 1 to hour 3', () => {
  let cancelled: { id: string };

  it('is created by chamber staff only, and starts with nothing counted', async () => {
    const body = {
      name: '太平村香菇消费帮扶行动',
      startsAt: at(1),
      endsAt: at(3),
      productCodes: ['shiitake'],
      villages: ['太平村'],
      targetValueFen: 100_000,
      targetGrams: 100_000,
    };
    const refused = await canteen.agent.post<{ error: { code: string } }>('/api/campaigns', body);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const bad = await staff.agent.post<{ error: { fields: Record<string, string> } }>('/api/campaigns', {
      ...body,
      endsAt: at(0),
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['endsAt']);
    const created = await staff.agent.post<{ campaign: { id: string; progress: Progress; status: string } }>(
      '/api/campaigns',
      body,
    );
    expect(created.status).toBe(201);
    expect(created.body.campaign).toMatchObject({ status: 'upcoming', progress: { valueFen: 0, grams: 0, orders: 0 } });
    campaignId = created.body.campaign.id;
  });

  it('counts exactly the in-scope confirmed orders: not before, after, another product or another village', async () => {
    timed.setOffset(0); // before the campaign
    await aConfirmedOrder(timed, farmA, canteen);
    timed.setOffset(2 * HOUR); // inside
    await aConfirmedOrder(timed, farmA, canteen, { grams: 10_000, priceFenPerKg: 1200 });
    await aConfirmedOrder(timed, farmA, retailer, { grams: 20_000, priceFenPerKg: 1200 });
    await aConfirmedOrder(timed, farmA, canteen, { productCode: 'bok_choy' });
    await aConfirmedOrder(timed, farmB, canteen);
    timed.setOffset(4 * HOUR); // after
    await aConfirmedOrder(timed, farmA, retailer);
    timed.setOffset(2 * HOUR);
    const { progress, leaderboard } = await campaign();
    expect(progress).toEqual({ valueFen: 36_000, grams: 30_000, orders: 2, buyers: 2 });
    expect(leaderboard.villages.map((v) => v.name)).toEqual(['太平村']);
  });

  it('goes out live on the chamber’s sockets and the campaign room, and a cancelled order drops out', async () => {
    const chamberSocket: ClientSocket = await timed.app.socket(staff.agent);
    const watcher: ClientSocket = await timed.app.socket(canteen.agent);
    expect(await emitWithAck(watcher, 'campaign:watch', { campaignId })).toEqual({ ok: true, data: { campaignId } });
    const heardByChamber = nextEvent(chamberSocket, 'programme:campaign');
    const heardByWatcher = nextEvent(watcher, 'programme:campaign');
    cancelled = await aConfirmedOrder(timed, farmA, enterprise, { grams: 5_000, priceFenPerKg: 1000 });
    const [live, watched] = await Promise.all([heardByChamber, heardByWatcher]);
    expect(live).toMatchObject({ campaignId, change: 'confirmed', orderId: cancelled.id });
    expect(live.progress).toEqual({ valueFen: 41_000, grams: 35_000, orders: 3, buyers: 3 });
    expect(watched.progress).toEqual(live.progress);

    const heardCancel = nextEvent(chamberSocket, 'programme:campaign');
    const cancel = await enterprise.agent.post(`/api/orders/${cancelled.id}/cancel`, { reason: '食堂临时停餐' });
    expect(cancel.status).toBe(200);
    expect(await heardCancel).toMatchObject({ change: 'cancelled', progress: { valueFen: 36_000, orders: 2 } });
    expect((await campaign()).progress).toEqual({ valueFen: 36_000, grams: 30_000, orders: 2, buyers: 2 });
  });

  it('lets buyers join (farms may not) and shows the orders: all to the chamber, its own to a buyer', async () => {
    expect((await canteen.agent.post(`/api/campaigns/${campaignId}/join`, {})).status).toBe(200);
    expect((await farmA.agent.post(`/api/campaigns/${campaignId}/join`, {})).status).toBe(403);
    const all = await staff.agent.get<{ items: { buyerOrgId: string }[] }>(`/api/campaigns/${campaignId}/orders`);
    expect(all.body.items).toHaveLength(2);
    const own = await canteen.agent.get<{ items: { buyerOrgId: string }[] }>(`/api/campaigns/${campaignId}/orders`);
    expect(own.body.items.map((o) => o.buyerOrgId)).toEqual([canteen.organisationId]);
    const poster = await canteen.agent.get<{ poster: { progress: Progress; enterprises: string[] } }>(
      `/api/campaigns/${campaignId}/poster`,
    );
    expect(poster.status).toBe(200);
    expect(poster.body.poster.progress.valueFen).toBe(36_000);
    expect(poster.body.poster.enterprises).toHaveLength(1);
  });
});

describe('pairing the canteen with farm A', () => {
  let pairingId: string;
  const body = () => ({
    enterpriseOrgId: canteen.organisationId,
    farmIds: [farmA.organisationId],
    startsAt: at(1),
    endsAt: at(3),
    pledgeGrams: 100_000,
  });

  it('is made by chamber staff only', async () => {
    expect((await canteen.agent.post('/api/pairings', body())).status).toBe(403);
    expect((await farmA.agent.post('/api/pairings', body())).status).toBe(403);
    const made = await staff.agent.post<{ pairing: { id: string } }>('/api/pairings', body());
    expect(made.status).toBe(201);
    pairingId = made.body.pairing.id;
  });

  it('progresses with the canteen’s own orders from farm A in the period (any product), against its pledge', async () => {
    const got = await staff.agent.get<{ pairing: { progress: Progress; gramsPermille: number } }>(
      `/api/pairings/${pairingId}`,
    );
    // In the period the canteen bought 10 kg of shiitake and 10 kg of bok choy from farm A (farm B's does not count).
    expect(got.body.pairing.progress).toMatchObject({ grams: 20_000, orders: 2, buyers: 1 });
    expect(got.body.pairing.gramsPermille).toBe(200);
  });

  it('is seen by its two sides and the chamber; another enterprise gets 404 and an empty list', async () => {
    expect((await canteen.agent.get(`/api/pairings/${pairingId}`)).status).toBe(200);
    expect((await farmA.agent.get(`/api/pairings/${pairingId}`)).status).toBe(200);
    expect((await retailer.agent.get(`/api/pairings/${pairingId}`)).status).toBe(404);
    expect((await farmB.agent.get(`/api/pairings/${pairingId}`)).status).toBe(404);
    const theirs = await retailer.agent.get<{ items: unknown[] }>('/api/pairings');
    expect(theirs.body.items).toEqual([]);
    const mine = await canteen.agent.get<{ items: { id: string }[] }>('/api/pairings');
    expect(mine.body.items.map((p) => p.id)).toEqual([pairingId]);
  });

  it('keeps its history when the pledge changes and when it ends', async () => {
    await staff.agent.patch(`/api/pairings/${pairingId}`, { pledgeFen: 500_000 });
    const ended = await staff.agent.post<{ pairing: { status: string; history: { action: string }[] } }>(
      `/api/pairings/${pairingId}/end`,
      { note: '季度结束' },
    );
    expect(ended.body.pairing.status).toBe('ended');
    expect(ended.body.pairing.history.map((h) => h.action)).toEqual(['pair', 'pledge', 'end']);
  });
});
