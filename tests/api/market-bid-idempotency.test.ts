/**
 * Bids and sell offers with an Idempotency-Key over real HTTP: the same key from the same organisation
 * makes at most one offer — on a plain retry, and when many requests with the key race each other —
 * and a key reused for other terms is refused. Bids without a key behave as they always did.
 */
import { aChamberUser, aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;
let runKeys = 0;
const aKey = () => `bid-key-${process.pid}-${Date.now()}-${++runKeys}`;
const keyed = (key: string) => ({ headers: { 'idempotency-key': key } });
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
  cook = await aRestaurant(app);
});
afterAll(async () => {
  await app.close();
});

interface OfferBody {
  id: string;
  kind: string;
  status: string;
  buyerOrgId: string;
  quantityGrams: number;
  priceFenPerKg: number;
  history: { viaBroker?: boolean }[];
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; offerId?: string };
}

async function postLot(productCode = 'shiitake', reservePriceFenPerKg = 1000): Promise<string> {
  const lot = await farm.agent.post<{ id: string }>('/api/lots', {
    productCode,
    quantityGrams: 500_000,
    harvestedAt: inHours(-1),
    storage: 'cold',
    reservePriceFenPerKg,
    askPriceFenPerKg: 1400,
  });
  expect(lot.status).toBe(201);
  return lot.body.id;
}

const statuses = (replies: { status: number }[]) => replies.map((r) => r.status).sort((a, b) => a - b);
const offersOn = async (member: Member, lotId: string) =>
  (await member.agent.get<{ items: OfferBody[] }>(`/api/offers?lotId=${lotId}`)).body.items;
const BID = { quantityGrams: 20_000, priceFenPerKg: 1200 };

describe('a bid with an Idempotency-Key', () => {
  it('sent twice makes one offer: 201 the first time, 200 with the same offer the second', async () => {
    const lotId = await postLot();
    const key = aKey();
    const first = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, keyed(key));
    const again = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, keyed(key));
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await offersOn(cook, lotId)).map((o) => o.id)).toEqual([first.body.id]);
  });

  it('when 20 requests with one key race, makes exactly one offer and every request gets it', async () => {
    const lotId = await postLot();
    const key = aKey();
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, keyed(key))),
    );
    expect(statuses(replies)).toEqual([...Array<number>(19).fill(200), 201]);
    const ids = new Set(replies.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect((await offersOn(cook, lotId)).map((o) => o.id)).toEqual([...ids]);
    expect((await offersOn(farm, lotId)).map((o) => o.id)).toEqual([...ids]);
  });

  it('reused with other terms (price, quantity, another lot) is refused with 409 IDEMPOTENCY_KEY_REUSED naming the header', async () => {
    const lotId = await postLot();
    const otherLotId = await postLot();
    const key = aKey();
    const first = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, keyed(key));
    expect(first.status).toBe(201);
    for (const [lot, body] of [
      [lotId, { ...BID, priceFenPerKg: 1300 }],
      [lotId, { ...BID, quantityGrams: 30_000 }],
      [lotId, { ...BID, validUntil: inHours(5) }],
      [otherLotId, BID],
    ] as const) {
      const reused = await cook.agent.post<ErrorBody>(`/api/lots/${lot}/bids`, body, keyed(key));
      expect(reused.status).toBe(409);
      expect(reused.body.error).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        fields: { 'Idempotency-Key': expect.any(String) },
        offerId: first.body.id,
      });
    }
    expect((await offersOn(cook, lotId)).map((o) => o.id)).toEqual([first.body.id]);
    expect(await offersOn(cook, otherLotId)).toEqual([]);
  });

  it('is found again even after the lot has closed, while a new bid is refused', async () => {
    const lotId = await postLot();
    const key = aKey();
    const first = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, keyed(key));
    expect((await farm.agent.post(`/api/lots/${lotId}/withdraw`, {})).status).toBe(200);
    const again = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, keyed(key));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await cook.agent.post<ErrorBody>(`/api/lots/${lotId}/bids`, BID, keyed(aKey()))).status).toBe(409);
  });

  it('belongs to the organisation that sent it: another restaurant with the same key makes its own offer', async () => {
    const lotId = await postLot();
    const other = await aRestaurant(app);
    const key = aKey();
    const mine = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, keyed(key));
    const theirs = await other.agent.post<OfferBody>(
      `/api/lots/${lotId}/bids`,
      { ...BID, priceFenPerKg: 1250 },
      keyed(key),
    );
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.buyerOrgId).toBe(other.organisationId);
  });

  it('made by chamber staff on a restaurant’s behalf is the restaurant’s: the staff’s retry returns it', async () => {
    const lotId = await postLot();
    const desk = await aChamberUser(app, { admin: false });
    const key = aKey();
    const forCook = { headers: { 'on-behalf-of': cook.organisationId, 'idempotency-key': key } };
    const first = await desk.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, forCook);
    const again = await desk.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID, forCook);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toMatchObject({
      id: first.body.id,
      buyerOrgId: cook.organisationId,
      history: [{ viaBroker: true }],
    });
    expect((await offersOn(cook, lotId)).map((o) => o.id)).toEqual([first.body.id]);
  });

  it('a malformed key is a 400 naming the header, and nothing is made', async () => {
    const lotId = await postLot();
    const bad = await cook.agent.post<ErrorBody>(`/api/lots/${lotId}/bids`, BID, keyed('short'));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION', fields: { 'Idempotency-Key': expect.any(String) } });
    expect(await offersOn(cook, lotId)).toEqual([]);
  });
});

describe('bids without a key', () => {
  it('are unaffected: the same bid sent twice makes two offers', async () => {
    const lotId = await postLot();
    const first = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID);
    const second = await cook.agent.post<OfferBody>(`/api/lots/${lotId}/bids`, BID);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect((await offersOn(cook, lotId)).map((o) => o.id).sort()).toEqual([first.body.id, second.body.id].sort());
  });
});

describe('a sell offer to a demand with an Idempotency-Key', () => {
  it('sent twice makes one offer; other terms under the key are refused', async () => {
    const demand = await cook.agent.post<{ id: string }>('/api/demand', {
      productCode: 'enoki',
      quantityGrams: 30_000,
      maxPriceFenPerKg: 900,
      neededBy: inHours(24),
    });
    expect(demand.status).toBe(201);
    const lotId = await postLot('enoki', 700);
    const key = aKey();
    const terms = { lotId, quantityGrams: 30_000, priceFenPerKg: 880 };
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        farm.agent.post<OfferBody>(`/api/demand/${demand.body.id}/offers`, terms, keyed(key)),
      ),
    );
    expect(statuses(replies)).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies[0].body.kind).toBe('sell_offer');

    const reused = await farm.agent.post<ErrorBody>(
      `/api/demand/${demand.body.id}/offers`,
      { ...terms, priceFenPerKg: 870 },
      keyed(key),
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      fields: { 'Idempotency-Key': expect.any(String) },
    });
    expect((await offersOn(farm, lotId)).map((o) => o.id)).toEqual([replies[0].body.id]);
  });
});
