/**
 * Who sees what of the programme beyond the chamber: the campaign poster names the enterprises that joined,
 * so a stranger (not signed in) sees it only through the chamber's share link, which the chamber can replace
 * or withdraw; and a pairing's changes reach both of its sides live (the enterprise and the farm), not only
 * the chamber — and nobody else.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { emitWithAck, nextEvent, startTestApp, type ClientSocket } from '../fixtures/test-app';
import {
  aBuyer,
  aChamberUser,
  aConfirmedOrder,
  aFarm,
  HOUR,
  startTimedApp,
  type TimedApp,
  type Member,
} from '../fixtures/programme-api';

interface PairingEvent {
  pairingId: string;
  change: string;
  orderId?: string;
  progress: { grams: number; orders: number };
  pairing: { id: string; status: string; pledgeGrams?: number; progress: { grams: number } };
}

let timed: TimedApp;
let staff: Member;
let farm: Member;
let otherFarm: Member;
let canteen: Member;
let retailer: Member;
const at = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

beforeAll(async () => {
  timed = await startTimedApp();
  const { app } = timed;
  staff = await aChamberUser(app, { admin: false });
  farm = await aFarm(app);
  otherFarm = await aFarm(app);
  canteen = await aBuyer(app, 'canteen');
  retailer = await aBuyer(app, 'retailer');
}, 60_000);
afterAll(() => timed.app.close());

describe('the campaign poster', () => {
  let campaignId: string;
  let token: string;
  const poster = (query = '') =>
    timed.app
      .agent()
      .get<{ poster?: { enterprises: string[] }; error?: { code: string } }>(
        `/api/campaigns/${campaignId}/poster${query}`,
      );

  beforeAll(async () => {
    const made = await staff.agent.post<{ campaign: { id: string; posterToken: string } }>('/api/campaigns', {
      name: '海报测试行动',
      startsAt: at(-1),
      endsAt: at(24),
    });
    expect(made.status).toBe(201);
    campaignId = made.body.campaign.id;
    token = made.body.campaign.posterToken;
    expect((await canteen.agent.post(`/api/campaigns/${campaignId}/join`, {})).status).toBe(200);
  });

  const stored = () =>
    timed.app.db.connection
      .collection('programme_campaigns')
      .findOne({ _id: new Types.ObjectId(campaignId) }) as Promise<Record<string, unknown>>;
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

  it('gives the chamber an unguessable share token, and shows it to nobody else', async () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const seenByCanteen = await canteen.agent.get<{ campaign: Record<string, unknown> }>(
      `/api/campaigns/${campaignId}`,
    );
    expect(seenByCanteen.body.campaign).not.toHaveProperty('posterToken');
    expect(seenByCanteen.body.campaign).not.toHaveProperty('posterShared');
  });

  it('keeps only the token’s SHA-256 in the database, and shows the link once: later reads say only that one exists', async () => {
    const doc = await stored();
    expect(doc.posterTokenHash).toBe(sha256(token));
    expect(doc).not.toHaveProperty('posterToken');
    expect(JSON.stringify(doc)).not.toContain(token);
    const later = await staff.agent.get<{ campaign: Record<string, unknown> }>(`/api/campaigns/${campaignId}`);
    expect(later.body.campaign).not.toHaveProperty('posterToken');
    expect(later.body.campaign.posterShared).toBe(true);
  });

  it('is 404 to a stranger without the token or with a wrong one, and names the joined enterprises with it', async () => {
    const without = await poster();
    expect([without.status, without.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    expect(without.body).not.toHaveProperty('poster');
    expect((await poster(`?token=${token.slice(0, -1)}x`)).status).toBe(404);
    expect((await poster('?token=')).status).toBe(404);
    const withToken = await poster(`?token=${token}`);
    expect(withToken.status).toBe(200);
    expect(withToken.body.poster?.enterprises).toHaveLength(1);
  });

  it('is open to signed-in members without the token', async () => {
    expect((await retailer.agent.get(`/api/campaigns/${campaignId}/poster`)).status).toBe(200);
  });

  it('stops opening with the old token once the chamber replaces it, and for everyone once it is withdrawn', async () => {
    expect((await canteen.agent.post(`/api/campaigns/${campaignId}/poster-link`, {})).status).toBe(403);
    const replaced = await staff.agent.post<{ posterToken: string }>(`/api/campaigns/${campaignId}/poster-link`, {});
    expect(replaced.status).toBe(200);
    expect(replaced.body.posterToken).not.toBe(token);
    expect((await poster(`?token=${token}`)).status).toBe(404);
    expect((await poster(`?token=${replaced.body.posterToken}`)).status).toBe(200);

    expect((await stored()).posterTokenHash).toBe(sha256(replaced.body.posterToken));

    const withdrawn = await staff.agent.post<{ posterToken: null }>(`/api/campaigns/${campaignId}/poster-link`, {
      share: false,
    });
    expect(withdrawn.body.posterToken).toBeNull();
    expect((await poster(`?token=${replaced.body.posterToken}`)).status).toBe(404);
    expect((await canteen.agent.get(`/api/campaigns/${campaignId}/poster`)).status).toBe(200);
    expect(await stored()).not.toHaveProperty('posterTokenHash');
    const later = await staff.agent.get<{ campaign: Record<string, unknown> }>(`/api/campaigns/${campaignId}`);
    expect(later.body.campaign.posterShared).toBe(false);
  });

  it('hashes a plain token stored before hashing at the next start, and the link handed out still opens the poster', async () => {
    const legacy = 'legacy-plain-token-made-before-hashing-0000000';
    await timed.app.db.connection
      .collection('programme_campaigns')
      .updateOne(
        { _id: new Types.ObjectId(campaignId) },
        { $set: { posterToken: legacy }, $unset: { posterTokenHash: 1 } },
      );
    const restarted = await startTestApp({ db: timed.app.db });
    try {
      const doc = await stored();
      expect(doc).not.toHaveProperty('posterToken');
      expect(doc.posterTokenHash).toBe(sha256(legacy));
      const opened = await restarted.agent().get(`/api/campaigns/${campaignId}/poster?token=${legacy}`);
      expect(opened.status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});

describe('a pairing, live on both sides', () => {
  let enterpriseSocket: ClientSocket;
  let farmSocket: ClientSocket;
  let chamberSocket: ClientSocket;
  let bystanderSocket: ClientSocket;
  let otherFarmSocket: ClientSocket;
  let pairingId: string;
  const heardBy = (socket: ClientSocket) => nextEvent(socket, 'programme:pairing') as Promise<PairingEvent>;
  const bystanderHeard: unknown[] = [];

  beforeAll(async () => {
    [enterpriseSocket, farmSocket, chamberSocket, bystanderSocket, otherFarmSocket] = await Promise.all([
      timed.app.socket(canteen.agent),
      timed.app.socket(farm.agent),
      timed.app.socket(staff.agent),
      timed.app.socket(retailer.agent),
      timed.app.socket(otherFarm.agent),
    ]);
    for (const s of [bystanderSocket, otherFarmSocket]) s.on('programme:pairing', (e) => bystanderHeard.push(e));
  });

  it('reaches the enterprise, the farm and the chamber when it is made', async () => {
    const heard = [heardBy(enterpriseSocket), heardBy(farmSocket), heardBy(chamberSocket)];
    const made = await staff.agent.post<{ pairing: { id: string } }>('/api/pairings', {
      enterpriseOrgId: canteen.organisationId,
      farmIds: [farm.organisationId],
      startsAt: at(-1),
      endsAt: at(24),
      pledgeGrams: 100_000,
    });
    expect(made.status).toBe(201);
    pairingId = made.body.pairing.id;
    for (const event of await Promise.all(heard)) {
      expect(event).toMatchObject({ pairingId, change: 'created', pairing: { id: pairingId, status: 'active' } });
      expect(event.progress.orders).toBe(0);
    }
  });

  it('carries the new progress to both sides when the enterprise buys from the farm', async () => {
    const heard = [heardBy(enterpriseSocket), heardBy(farmSocket), heardBy(chamberSocket)];
    const order = await aConfirmedOrder(timed, farm, canteen, { grams: 20_000 });
    for (const event of await Promise.all(heard)) {
      expect(event).toMatchObject({ pairingId, change: 'order', orderId: order.id });
      expect(event.progress).toMatchObject({ grams: 20_000, orders: 1 });
      expect(event.pairing.progress.grams).toBe(20_000);
    }
  });

  it('carries a pledge change and the end to both sides', async () => {
    let heard = [heardBy(enterpriseSocket), heardBy(farmSocket)];
    expect((await staff.agent.patch(`/api/pairings/${pairingId}`, { pledgeGrams: 200_000 })).status).toBe(200);
    for (const event of await Promise.all(heard))
      expect(event).toMatchObject({ change: 'pledge', pairing: { pledgeGrams: 200_000 } });
    heard = [heardBy(enterpriseSocket), heardBy(farmSocket)];
    expect((await staff.agent.post(`/api/pairings/${pairingId}/end`, {})).status).toBe(200);
    for (const event of await Promise.all(heard))
      expect(event).toMatchObject({ change: 'ended', pairing: { status: 'ended' } });
  });

  it('reaches nobody outside the pairing (another enterprise, another farm)', async () => {
    // An acknowledged round trip on each bystander's socket: anything sent to it before has arrived by then.
    for (const s of [bystanderSocket, otherFarmSocket])
      await emitWithAck(s, 'campaign:watch', { campaignId: '0123456789abcdef01234567' });
    expect(bystanderHeard).toEqual([]);
  });
});
