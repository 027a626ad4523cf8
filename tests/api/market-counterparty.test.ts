/**
 * Suspension stops a farm's or restaurant's trading on both sides: the suspended organisation cannot act
 * (`requireVerified`), and nobody can start a new trade with it either — no clock takes from its lots, no
 * bids on them, no accepting its counters, no sell offers to its demand (409 COUNTERPARTY_NOT_VERIFIED).
 */
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { aChamberUser, aFarm, aPendingFarm, aRestaurant, type Member } from '../fixtures/accounts';

let app: TestApp;
let staff: Member;
beforeAll(async () => {
  app = await startTestApp();
  staff = await aChamberUser(app, { admin: false });
}, 60_000);
afterAll(async () => {
  await app.close();
});

type Id = { id: string };
type ErrorBody = { error: { code: string } };
const inHours = (h: number) => new Date(Date.now() + h * 60 * 60 * 1000).toISOString();
const lotBody = () => ({
  productCode: 'shiitake',
  quantityGrams: 100_000,
  harvestedAt: inHours(-1),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1500,
});
const suspend = async (member: Member) =>
  expect(
    (await staff.agent.post(`/api/admin/organisations/${member.organisationId}/suspend`, { reason: '投诉' })).status,
  ).toBe(200);

describe('when a farm is suspended', () => {
  it('then its clock sale stops selling, its lots take no bids, and its counter cannot be accepted', async () => {
    const farm = await aFarm(app);
    const cook = await aRestaurant(app);
    const lot = (await farm.agent.post<Id>('/api/lots', lotBody())).body;
    expect(
      (await farm.agent.post(`/api/lots/${lot.id}/clock`, { startPriceFenPerKg: 2000, floorHoursBeforeExpiry: 24 }))
        .status,
    ).toBe(200);
    const bid = (await cook.agent.post<Id>(`/api/lots/${lot.id}/bids`, { quantityGrams: 5_000, priceFenPerKg: 1200 }))
      .body;
    expect((await farm.agent.post(`/api/bids/${bid.id}/counter`, { priceFenPerKg: 1400 })).status).toBe(200);

    await suspend(farm);

    const take = await cook.agent.post<ErrorBody>(`/api/lots/${lot.id}/clock/take`, { quantityGrams: 5_000 });
    expect([take.status, take.body.error.code]).toEqual([409, 'COUNTERPARTY_NOT_VERIFIED']);
    const newBid = await cook.agent.post<ErrorBody>(`/api/lots/${lot.id}/bids`, {
      quantityGrams: 5_000,
      priceFenPerKg: 1200,
    });
    expect([newBid.status, newBid.body.error.code]).toEqual([409, 'COUNTERPARTY_NOT_VERIFIED']);
    const accept = await cook.agent.post<ErrorBody>(`/api/bids/${bid.id}/accept`, {});
    expect([accept.status, accept.body.error.code]).toEqual([409, 'COUNTERPARTY_NOT_VERIFIED']);
    expect((await cook.agent.get<{ items: unknown[] }>('/api/orders')).body.items).toEqual([]);
  }, 60_000);
});

describe('when a restaurant is suspended', () => {
  it('then its bids cannot be accepted and its demand takes no sell offers', async () => {
    const farm = await aFarm(app);
    const cook = await aRestaurant(app);
    const lot = (await farm.agent.post<Id>('/api/lots', lotBody())).body;
    const bid = (await cook.agent.post<Id>(`/api/lots/${lot.id}/bids`, { quantityGrams: 5_000, priceFenPerKg: 1200 }))
      .body;
    const demand = (
      await cook.agent.post<Id>('/api/demand', {
        productCode: 'shiitake',
        quantityGrams: 5_000,
        maxPriceFenPerKg: 2000,
        neededBy: inHours(24),
      })
    ).body;

    await suspend(cook);

    const accept = await farm.agent.post<ErrorBody>(`/api/bids/${bid.id}/accept`, {});
    expect([accept.status, accept.body.error.code]).toEqual([409, 'COUNTERPARTY_NOT_VERIFIED']);
    const offer = await farm.agent.post<ErrorBody>(`/api/demand/${demand.id}/offers`, {
      lotId: lot.id,
      quantityGrams: 5_000,
      priceFenPerKg: 1500,
    });
    expect([offer.status, offer.body.error.code]).toEqual([409, 'COUNTERPARTY_NOT_VERIFIED']);
    expect((await farm.agent.get<{ remainingGrams: number }>(`/api/lots/${lot.id}`)).body.remainingGrams).toBe(100_000);
  }, 60_000);
});

describe('a standing order names its farm', () => {
  it('only a verified farm can be named: not a pending farm, another restaurant or a made-up id', async () => {
    const cook = await aRestaurant(app);
    const [pending, otherCook, farm] = await Promise.all([aPendingFarm(app), aRestaurant(app), aFarm(app)]);
    const standingOrder = (sellerOrgId: string) =>
      cook.agent.post<ErrorBody & Id>('/api/standing-orders', {
        productCode: 'shiitake',
        gramsPerOccurrence: 50_000,
        weekdays: [2, 5],
        priceFenPerKg: 1200,
        startDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        sellerOrgId,
      });
    for (const sellerOrgId of [pending.organisationId, otherCook.organisationId, '5f0000000000000000000000']) {
      const refused = await standingOrder(sellerOrgId);
      expect([refused.status, refused.body.error?.code]).toEqual([409, 'COUNTERPARTY_NOT_VERIFIED']);
    }
    expect((await standingOrder(farm.organisationId)).status).toBe(201);
  }, 60_000);
});
