/**
 * More kinds of buyer: enterprise canteens, retailers and other member enterprises buy as restaurants do,
 * only farms sell, and the chamber may buy itself (direct procurement), recorded as such in the ledger.
 */
import { aBuyer, aChamberUser, aFarm, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

const HOUR = 3_600_000;
const aLotBody = () => ({
  productCode: 'shiitake',
  quantityGrams: 100_000,
  harvestedAt: new Date(Date.now() - HOUR).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1500,
});

let app: TestApp;
let farm: Member;
beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
}, 60_000);
afterAll(() => app.close());

const postLot = async () => (await farm.agent.post<{ id: string }>('/api/lots', aLotBody())).body.id;

describe.each(['canteen', 'retailer', 'enterprise'] as const)('a verified %s', (kind) => {
  let buyer: Member;
  beforeAll(async () => {
    buyer = await aBuyer(app, kind);
  });

  it('bids, and its bid accepted becomes its order', async () => {
    const lotId = await postLot();
    const bid = await buyer.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
      quantityGrams: 10_000,
      priceFenPerKg: 1200,
    });
    expect(bid.status).toBe(201);
    const accepted = await farm.agent.post<{ order: { buyerOrgId: string; totalFen: number } }>(
      `/api/bids/${bid.body.id}/accept`,
      {},
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.order).toMatchObject({ buyerOrgId: buyer.organisationId, totalFen: 12_000 });
  });

  it('posts demand but may not post a lot', async () => {
    const demand = await buyer.agent.post('/api/demand', {
      productCode: 'shiitake',
      quantityGrams: 10_000,
      maxPriceFenPerKg: 2000,
      neededBy: new Date(Date.now() + 24 * HOUR).toISOString(),
    });
    expect(demand.status).toBe(201);
    const lot = await buyer.agent.post<{ error: { code: string } }>('/api/lots', aLotBody());
    expect([lot.status, lot.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

it('signs up as a canteen and shows as one to the chamber', async () => {
  const canteen = await aBuyer(app, 'canteen', 'pending');
  const staff = await aChamberUser(app, { admin: false });
  const seen = await staff.agent.get<{ organisation: { kind: string } }>(
    `/api/admin/organisations/${canteen.organisationId}`,
  );
  expect(seen.body.organisation.kind).toBe('canteen');
});

it('lets the chamber buy for itself, and the ledger records it as direct procurement', async () => {
  const staff = await aChamberUser(app, { admin: false });
  const lotId = await postLot();
  const bid = await staff.agent.post<{ id: string }>(`/api/lots/${lotId}/bids`, {
    quantityGrams: 20_000,
    priceFenPerKg: 1300,
  });
  expect(bid.status).toBe(201);
  const accepted = await farm.agent.post<{ order: { id: string } }>(`/api/bids/${bid.body.id}/accept`, {});
  expect(accepted.status).toBe(200);
  const orderId = accepted.body.order.id;
  let entry: { programme?: string; valueFen?: number; broker?: { userId: string } } | undefined;
  for (let i = 0; i < 50 && !entry; i++) {
    const ledger = await staff.agent.get<{ items: { orderId: string; programme: string }[] }>('/api/ledger');
    entry = ledger.body.items.find((e) => e.orderId === orderId);
    if (!entry) await new Promise((r) => setTimeout(r, 50));
  }
  expect(entry).toMatchObject({ programme: '农副产品直接采购', valueFen: 26_000, broker: { userId: staff.userId } });
});
