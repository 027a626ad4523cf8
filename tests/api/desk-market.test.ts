import { startDeskApp, type Client, type DeskApp } from '../fixtures/desk-api';

const T0 = new Date('2026-11-26T08:00:00+08:00');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);

/** Market events are handled asynchronously; wait until the ledger shows what we expect. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the desk on the live market', () => {
  let app: DeskApp;
  let farm: Client;
  let restaurant: Client;
  let staff: Client;
  let lotId: string;

  beforeAll(async () => {
    app = await startDeskApp('desk_market', T0, { realMarket: true });
    const farmOrg = await app.org('farm', { name: '绿源食用菌合作社', township: '生米镇', village: '南边村' });
    farm = await app.signIn('farm', { orgId: farmOrg.id });
    restaurant = await app.signIn('restaurant');
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
  });
  afterAll(() => app.close());

  const ledgerTotal = async () => (await (await staff.get('/api/ledger?from=2026-11-26&to=2026-11-26')).json()).total;

  async function bid(grams: number): Promise<string> {
    // a restaurant's own bid, no broker involved
    const res = await restaurant.post(`/api/lots/${lotId}/bids`, { quantityGrams: grams, priceFenPerKg: 1300 });
    expect(res.status).toBe(201);
    return (await res.json()).id;
  }

  it('puts the lot on the at-risk board (36 h left)', async () => {
    const board = await (await staff.get('/api/desk/at-risk')).json();
    expect(board.items).toEqual([
      expect.objectContaining({ lotId, sellerName: '绿源食用菌合作社', unsoldPermille: 1000, hoursLeft: 36 }),
    ]);
    const plan = await (await staff.post(`/api/desk/lots/${lotId}/find-buyers`, {})).json();
    expect(plan).toMatchObject({ lotId, proposals: [], candidates: 0 }); // no demand yet
  });

  it('leaves an order nobody brokered out of the ledger', async () => {
    const offerId = await bid(100_000);
    expect((await farm.post(`/api/bids/${offerId}/accept`, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await ledgerTotal()).orders).toBe(0);
  });

  it('records an order a broker made on the restaurant’s behalf (On-Behalf-Of), and voids it when the order is cancelled', async () => {
    const made = await staff.post(
      `/api/lots/${lotId}/bids`,
      { quantityGrams: 200_000, priceFenPerKg: 1300 },
      { 'On-Behalf-Of': restaurant.orgId },
    );
    expect(made.status).toBe(201);
    const offerId = (await made.json()).id as string;

    app.time.now = hours(1);
    const accepted = await farm.post(`/api/bids/${offerId}/accept`, {});
    expect(accepted.status).toBe(200);
    const orderId = (await accepted.json()).order.id as string;

    const total = await eventually(ledgerTotal, (t) => t.orders === 1);
    expect(total).toMatchObject({
      orders: 1,
      valueFen: 260_000,
      quantityGrams: 200_000,
      atRiskGrams: 200_000,
      enterprises: 1,
      villages: 1,
    });
    const entry = (await (await staff.get('/api/ledger?from=2026-11-26&to=2026-11-26')).json()).items[0];
    expect(entry).toMatchObject({
      orderId,
      broker: { userId: staff.userId, name: '李明' },
      farm: { name: '绿源食用菌合作社', village: '南边村' },
      atRisk: true,
    });

    expect((await farm.post(`/api/orders/${orderId}/cancel`, { reason: '冷库故障' })).status).toBe(200);
    expect((await eventually(ledgerTotal, (t) => t.orders === 0)).orders).toBe(0);
  });

  it('from demand to ledger: the board shows unanswered demand, the desk proposes, the broker sends, the restaurant accepts', async () => {
    const posted = await restaurant.post('/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 50_000,
      maxPriceFenPerKg: 1500,
      neededBy: '2026-11-27T10:00:00+08:00',
    });
    expect(posted.status).toBe(201);
    const demandId = (await posted.json()).id as string;

    const board = await (await staff.get('/api/desk/at-risk')).json();
    expect(board.unansweredDemand.map((d: { id: string }) => d.id)).toEqual([demandId]);

    const plan = await (await staff.post(`/api/desk/lots/${lotId}/find-buyers`, {})).json();
    expect(plan.proposals).toEqual([
      expect.objectContaining({
        lotId,
        demandId,
        quantityGrams: 50_000,
        priceFenPerKg: 1300,
        buyerOrgId: restaurant.orgId,
      }),
    ]);
    const proposal = plan.proposals[0];

    // The broker edits the price before sending.
    const sent = await staff.post('/api/desk/proposals/send', {
      lotId,
      demandId,
      quantityGrams: proposal.quantityGrams,
      priceFenPerKg: 1250,
    });
    expect(sent.status).toBe(201);
    const { offerId } = await sent.json();
    const offer = await app.handle.market.repositories.offers.findById(offerId);
    expect(offer).toMatchObject({
      kind: 'sell_offer',
      demandId,
      priceFenPerKg: 1250,
      history: [expect.objectContaining({ userId: staff.userId, viaBroker: true })],
    });

    const after = await (await staff.get('/api/desk/at-risk')).json();
    expect(after.unansweredDemand).toEqual([]);

    const accepted = await restaurant.post(`/api/offers/${offerId}/accept`, {});
    expect(accepted.status).toBe(200);
    const total = await eventually(ledgerTotal, (t) => t.orders === 1);
    expect(total).toMatchObject({ orders: 1, valueFen: 62_500, quantityGrams: 50_000 });
  });

  it('refuses to send more than the lot holds, saying why', async () => {
    const posted = await restaurant.post('/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 5_000_000,
      maxPriceFenPerKg: 1500,
      neededBy: '2026-11-27T10:00:00+08:00',
    });
    const demandId = (await posted.json()).id as string;
    const res = await staff.post('/api/desk/proposals/send', {
      lotId,
      demandId,
      quantityGrams: 5_000_000,
      priceFenPerKg: 1300,
    });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'MARKET_REFUSED', marketReason: expect.any(String) });
  });

  it('reads sell-through from the lots: reserved grams sold, expired leftovers spoiled', async () => {
    const body = await (await staff.get('/api/ledger/sell-through?from=2026-11-20&to=2026-11-30&period=week')).json();
    // 100 kg + 50 kg sold; the brokered 200 kg was cancelled and went back on the lot.
    expect(body.farms).toEqual([
      expect.objectContaining({
        farmName: '绿源食用菌合作社',
        overall: expect.objectContaining({ soldGrams: 150_000, spoiledGrams: 0 }),
      }),
    ]);
  });
});
