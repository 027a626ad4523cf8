/**
 * The chamber reads the whole market: GET /api/offers and /api/orders list every organisation's for
 * chamber staff (traders still see only their own), and the desk's deal log reads brokered offers
 * back from GET /api/desk/brokered-offers.
 */
import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');

describe('the chamber’s view of the market', () => {
  let app: DeskApp;
  let farm: Client;
  let restaurant: Client;
  let otherRestaurant: Client;
  let staff: Client;
  let lotId: string;
  let ownBidId: string;
  let othersOrderId: string;
  let brokeredOfferId: string;

  beforeAll(async () => {
    app = await startDeskApp('chamber_market_view', T0, { realMarket: true });
    farm = await app.signIn('farm', { orgId: (await app.org('farm', { name: '绿源合作社' })).id });
    restaurant = await app.signIn('restaurant', { orgId: (await app.org('restaurant', { name: '湘味小馆' })).id });
    otherRestaurant = await app.signIn('restaurant', { orgId: (await app.org('restaurant', { name: '老街饭店' })).id });
    staff = await app.signIn('chamber', { orgId: (await app.org('chamber')).id, displayName: '李明' });
    const posted = await farm.post('/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 1_000_000,
      harvestedAt: '2026-11-26T06:00:00+08:00',
      storage: 'cold',
      reservePriceFenPerKg: 1000,
      askPriceFenPerKg: 1300,
      expiresAt: '2026-11-27T20:00:00+08:00',
    });
    expect(posted.status).toBe(201);
    lotId = (await posted.json()).id;

    // The restaurant's own bid, still open.
    const own = await restaurant.post(`/api/lots/${lotId}/bids`, { quantityGrams: 10_000, priceFenPerKg: 1300 });
    expect(own.status).toBe(201);
    ownBidId = (await own.json()).id;

    // Another restaurant's bid, accepted by the farm: an order the first restaurant is no party to.
    const theirs = await otherRestaurant.post(`/api/lots/${lotId}/bids`, {
      quantityGrams: 20_000,
      priceFenPerKg: 1300,
    });
    expect(theirs.status).toBe(201);
    const accepted = await farm.post(`/api/bids/${(await theirs.json()).id}/accept`, {});
    expect(accepted.status).toBe(200);
    othersOrderId = (await accepted.json()).order.id;

    // A brokered offer: the desk sends a proposal for the other restaurant's demand.
    const demand = await otherRestaurant.post('/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 30_000,
      maxPriceFenPerKg: 1500,
      neededBy: '2026-11-27T10:00:00+08:00',
    });
    expect(demand.status).toBe(201);
    const sent = await staff.post('/api/desk/proposals/send', {
      lotId,
      demandId: (await demand.json()).id,
      quantityGrams: 30_000,
      priceFenPerKg: 1250,
    });
    expect(sent.status).toBe(201);
    brokeredOfferId = (await sent.json()).offerId;
  });
  afterAll(() => app.close());

  const items = async (client: Client, path: string) => {
    const res = await client.get(path);
    expect(res.status).toBe(200);
    return (await res.json()).items as { id: string; buyerOrgId: string; sellerOrgId: string; status: string }[];
  };

  it('shows chamber staff every organisation’s offers and orders', async () => {
    const offers = await items(staff, '/api/offers');
    expect(offers.map((o) => o.id)).toEqual(expect.arrayContaining([ownBidId, brokeredOfferId]));
    expect(new Set(offers.map((o) => o.buyerOrgId))).toEqual(new Set([restaurant.orgId, otherRestaurant.orgId]));
    const orders = await items(staff, '/api/orders');
    expect(orders).toEqual([
      expect.objectContaining({
        id: othersOrderId,
        buyerOrgId: otherRestaurant.orgId,
        sellerOrgId: farm.orgId,
        status: 'confirmed',
      }),
    ]);
  });

  it('keeps the same filters for chamber staff', async () => {
    const open = await items(staff, '/api/offers?status=open');
    expect(open.every((o) => o.status === 'open')).toBe(true);
    expect(open.map((o) => o.id)).toEqual(expect.arrayContaining([ownBidId, brokeredOfferId]));
    expect(await items(staff, '/api/orders?status=completed')).toEqual([]);
  });

  it('still shows a restaurant only its own offers and orders', async () => {
    const offers = await items(restaurant, '/api/offers');
    expect(offers.map((o) => o.id)).toEqual([ownBidId]);
    expect(await items(restaurant, '/api/orders')).toEqual([]);
  });

  it('lists brokered offers for the deal log, newest first, with status, order and names', async () => {
    const res = await staff.get('/api/desk/brokered-offers?limit=10');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items).toEqual([
      expect.objectContaining({
        offerId: brokeredOfferId,
        lotId,
        productCode: 'shiitake',
        sellerOrgId: farm.orgId,
        sellerName: '绿源合作社',
        buyerOrgId: otherRestaurant.orgId,
        buyerName: '老街饭店',
        quantityGrams: 30_000,
        priceFenPerKg: 1250,
        status: 'open',
        orderId: null,
        brokerUserId: staff.userId,
      }),
    ]);
  });

  it('shows the order a brokered offer became', async () => {
    const accepted = await otherRestaurant.post(`/api/offers/${brokeredOfferId}/accept`, {});
    expect(accepted.status).toBe(200);
    const orderId = (await accepted.json()).order.id;
    const body = await (await staff.get('/api/desk/brokered-offers')).json();
    expect(body.items).toEqual([expect.objectContaining({ offerId: brokeredOfferId, status: 'accepted', orderId })]);
  });

  it('refuses the brokered-offers log to a farm (403) and to anonymous callers (401), and a bad limit (400)', async () => {
    expect((await farm.get('/api/desk/brokered-offers')).status).toBe(403);
    expect((await restaurant.get('/api/desk/brokered-offers')).status).toBe(403);
    expect((await app.anonymous().get('/api/desk/brokered-offers')).status).toBe(401);
    expect((await staff.get('/api/desk/brokered-offers?limit=0')).status).toBe(400);
  });
});
