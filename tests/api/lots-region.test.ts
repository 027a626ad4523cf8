/**
 * A lot carries its farm's region (city + county) as it was when the lot was posted, and the board can be
 * listed by region: GET /api/lots?region=.
 */
import { Types } from 'mongoose';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { lotList } from '../../shared/schemas/market-views';

let app: TestApp;
let xingan: Member;
let xunwu: Member;
let buyer: Member;

beforeAll(async () => {
  app = await startTestApp();
  [xingan, xunwu, buyer] = await Promise.all([aFarm(app), aFarm(app), aRestaurant(app)]);
  await movedTo(xingan, '吉安市', '新干县');
  await movedTo(xunwu, '赣州市', '寻乌县');
});
afterAll(async () => {
  await app.close();
});

async function movedTo(farm: Member, city: string, county: string) {
  await app.db.connection
    .collection('organisations')
    .updateOne(
      { _id: new Types.ObjectId(farm.organisationId) },
      { $set: { 'address.city': city, 'address.county': county } },
    );
}

const postLot = async (farm: Member, productCode = 'tofu') => {
  const posted = await farm.agent.post<{ id: string; region?: string }>('/api/lots', {
    productCode,
    quantityGrams: 50_000,
    harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 500,
    askPriceFenPerKg: 700,
  });
  expect(posted.status).toBe(201);
  return posted.body;
};

describe('lots by region', () => {
  it('a new lot carries the farm’s city and county, and keeps them when the farm moves', async () => {
    const farm = await aFarm(app);
    await movedTo(farm, '宜春市', '樟树市');
    const lot = await postLot(farm);
    expect(lot.region).toBe('宜春市樟树市');
    await movedTo(farm, '九江市', '修水县');
    const read = await buyer.agent.get<{ region?: string }>(`/api/lots/${lot.id}`);
    expect(read.body.region).toBe('宜春市樟树市');
  });

  it('?region= lists only that region’s lots, and they parse as the documented lot', async () => {
    const [a, b, c] = [await postLot(xingan), await postLot(xunwu), await postLot(xingan, 'navel_orange')];
    const reply = await buyer.agent.get(`/api/lots?region=${encodeURIComponent('吉安市新干县')}&status=open&limit=200`);
    expect(reply.status).toBe(200);
    const ids = lotList.parse(reply.body).items.map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, c.id]));
    expect(ids).not.toContain(b.id);
    expect(lotList.parse(reply.body).items.every((l) => l.region === '吉安市新干县')).toBe(true);

    const both = await buyer.agent.get(
      `/api/lots?region=${encodeURIComponent('吉安市新干县')}&productCode=navel_orange&limit=200`,
    );
    expect(lotList.parse(both.body).items.map((l) => l.id)).toEqual([c.id]);
  });

  it('refuses an empty or over-long region, naming the field', async () => {
    for (const region of ['%20%20', 'x'.repeat(41)]) {
      const reply = await buyer.agent.get<{ error: { code: string; fields?: Record<string, string> } }>(
        `/api/lots?region=${region}`,
      );
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.error.fields ?? {})).toEqual(['region']);
    }
  });
});
