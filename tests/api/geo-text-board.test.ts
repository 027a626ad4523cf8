/**
 * The board's use of the embedded server's geo and text search (issue 14): lots carry a pickup point (the
 * lot's own coordinates, else the farm's location), a buyer sets its delivery point on its organisation,
 * `sort=distance` lists nearest first with the distance in km ($geoNear on a 2dsphere index) and pages
 * on, and `q=` searches with $text — Chinese by character bigrams, so 香菇 finds 鲜香菇.
 */
import { Types } from 'mongoose';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { lotList } from '../../shared/schemas/market-views';

let app: TestApp;
let nearFarm: Member;
let farFarm: Member;
let cook: Member;
let lost: Member;

/** Nanchang city centre, a farm ~15 km out, one in Ganzhou (~330 km), a pickup in Jiujiang (~115 km). */
const NANCHANG = { lat: 28.682, lng: 115.858 };
const XINJIAN = { lat: 28.692, lng: 115.815 + 0.2 };
const GANZHOU = { lat: 25.831, lng: 114.933 };
const JIUJIANG = { lat: 29.705, lng: 116.001 };

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

beforeAll(async () => {
  app = await startTestApp();
  [nearFarm, farFarm, cook, lost] = await Promise.all([aFarm(app), aFarm(app), aRestaurant(app), aRestaurant(app)]);
  for (const [member, at] of [
    [nearFarm, XINJIAN],
    [farFarm, GANZHOU],
    [cook, NANCHANG],
  ] as const) {
    const set = await member.agent.patch('/api/organisation/location', at);
    expect(set.status).toBe(200);
  }
  const organisations = app.db.connection.collection('organisations');
  await organisations.updateOne({ _id: new Types.ObjectId(lost.organisationId) }, { $unset: { location: 1 } });
  await organisations.updateOne(
    { _id: new Types.ObjectId(nearFarm.organisationId) },
    { $set: { name: '梅岭绿源合作社' } },
  );
});

/** Great-circle distance on mongod's sphere (radius 6378.1 km), computed here independently of the server. */
function km(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6378.1 * Math.asin(Math.sqrt(h));
}
afterAll(async () => {
  await app.close();
});

async function postLot(farm: Member, productCode: string, extra: Record<string, unknown> = {}) {
  const posted = await farm.agent.post<{ id: string; pickupPoint?: { lat: number; lng: number } }>('/api/lots', {
    productCode,
    quantityGrams: 20_000,
    harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
    ...extra,
  });
  expect(posted.status).toBe(201);
  return posted.body;
}

async function board(member: Member, query: string) {
  const reply = await member.agent.get(`/api/lots?${query}`);
  expect(reply.status).toBe(200);
  return lotList.parse(reply.body);
}

describe('distance from the buyer’s delivery point', () => {
  it('a lot’s pickup point is the farm’s location, or the coordinates posted with the lot', async () => {
    const fromFarm = await postLot(nearFarm, 'enoki');
    expect(fromFarm.pickupPoint).toEqual(XINJIAN);
    const ownPickup = await postLot(nearFarm, 'enoki', {
      pickup: { name: '九江冷库', address: '九江市濂溪区', ...JIUJIANG },
    });
    expect(ownPickup.pickupPoint).toEqual(JIUJIANG);
  });

  it('sort=distance lists nearest pickup first with the distance in km, page by page', async () => {
    const far = await postLot(farFarm, 'king_oyster');
    const near = await postLot(nearFarm, 'king_oyster');
    const middle = await postLot(nearFarm, 'king_oyster', {
      pickup: { name: '九江冷库', address: '九江', ...JIUJIANG },
    });
    const seen: { id: string; km?: number }[] = [];
    let cursor: string | null = null;
    do {
      const page = await board(
        cook,
        `productCode=king_oyster&sort=distance&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.items.map((l) => ({ id: l.id, km: l.distanceKm })));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((s) => s.id)).toEqual([near.id, middle.id, far.id]);
    // One decimal of a kilometre, as the board shows it.
    const expected = [XINJIAN, JIUJIANG, GANZHOU].map((p) => km(NANCHANG, p));
    seen.forEach((s, i) => expect(Math.abs((s.km ?? -1) - expected[i])).toBeLessThanOrEqual(0.051));
  });

  it('explicit lat/lng win over the organisation’s point; with neither a distance sort is a 400 naming lat', async () => {
    await postLot(farFarm, 'wood_ear');
    await postLot(nearFarm, 'wood_ear');
    const fromGanzhou = await board(lost, `productCode=wood_ear&sort=distance&lat=${GANZHOU.lat}&lng=${GANZHOU.lng}`);
    expect(fromGanzhou.items.map((l) => l.distanceKm)).toEqual([0, expect.any(Number)]);
    const nowhere = await lost.agent.get<ErrorBody>('/api/lots?sort=distance');
    expect(nowhere.status).toBe(400);
    expect(Object.keys(nowhere.body.error.fields ?? {})).toEqual(['lat']);
  });

  it('refuses coordinates out of range or half a point, naming the field', async () => {
    const cases: [string, string][] = [
      ['lat=91&lng=115', 'lat'],
      ['lat=28&lng=-181', 'lng'],
      ['lat=abc&lng=115', 'lat'],
      ['lng=115', 'lat'],
      ['lat=28', 'lng'],
    ];
    for (const [query, field] of cases) {
      const reply = await cook.agent.get<ErrorBody>(`/api/lots?sort=distance&${query}`);
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.error.fields ?? {})).toEqual([field]);
    }
    const setBad = await cook.agent.patch<ErrorBody>('/api/organisation/location', { lat: 28, lng: 200 });
    expect(setBad.status).toBe(400);
    expect(Object.keys(setBad.body.error.fields ?? {})).toEqual(['lng']);
    const setText = await cook.agent.patch<ErrorBody>('/api/organisation/location', { lat: '28', lng: 115 });
    expect(Object.keys(setText.body.error.fields ?? {})).toEqual(['lat']);
  });
});

describe('search with $text', () => {
  it('香菇 finds the 鲜香菇 lots and not 金针菇; English and the farm’s name work too', async () => {
    const shiitake = await postLot(nearFarm, 'shiitake');
    const enoki = await postLot(nearFarm, 'enoki');
    const hits = (await board(cook, `q=${encodeURIComponent('香菇')}&limit=50`)).items.map((l) => l.id);
    expect(hits).toContain(shiitake.id);
    expect(hits).not.toContain(enoki.id);
    expect((await board(cook, 'q=shiitake&limit=50')).items.map((l) => l.productCode)).toEqual(
      expect.arrayContaining(['shiitake']),
    );
    expect((await board(cook, 'q=shiitake&limit=50')).items.every((l) => l.productCode === 'shiitake')).toBe(true);
    const byFarm = await board(cook, `q=${encodeURIComponent('绿源')}&limit=200`);
    expect(byFarm.items.length).toBeGreaterThan(0);
    expect(byFarm.items.every((l) => l.sellerOrgId === nearFarm.organisationId)).toBe(true);
  });

  it('search and distance together: matching lots only, nearest first', async () => {
    const far = await postLot(farFarm, 'oyster_mushroom');
    const near = await postLot(nearFarm, 'oyster_mushroom');
    await postLot(nearFarm, 'tomato');
    const found = await board(cook, `q=${encodeURIComponent('平菇')}&sort=distance&limit=10`);
    expect(found.items.map((l) => l.id)).toEqual([near.id, far.id]);
  });
});
