/**
 * Refused input over real HTTP and a real socket: every field at fault keeps its readable English message
 * (`fields`) and also carries a machine-readable issue with its limit (`fieldIssues`), for clients that
 * say it in the person's language.
 */
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { emitWithAck, startTestApp, type ClientSocket, type TestApp } from '../fixtures/test-app';

interface Refusal {
  error: {
    code: string;
    message: string;
    fields?: Record<string, string>;
    fieldIssues?: Record<string, Record<string, unknown>>;
  };
}

let app: TestApp;
let farm: Member;
let cook: Member;
let cookSocket: ClientSocket;

beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
  cook = await aRestaurant(app);
  cookSocket = await app.socket(cook.agent);
});
afterAll(async () => {
  await app.close();
});

const aLot = (over: Record<string, unknown> = {}) => ({
  productCode: 'shiitake',
  quantityGrams: 100_000,
  harvestedAt: new Date(Date.now() - 3_600_000).toISOString(),
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1500,
  ...over,
});

describe('a refused field names its problem machine-readably', () => {
  it('when a farm posts 10,000 t at ¥10⁹/kg, then 400 names both fields with too_big and the limits, nothing is stored', async () => {
    const r = await farm.agent.post<Refusal>(
      '/api/lots',
      aLot({ quantityGrams: 10_000_000_000, askPriceFenPerKg: 100_000_000_000 }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION');
    expect(r.body.error.fields?.quantityGrams).toMatch(/at most/);
    expect(r.body.error.fieldIssues).toEqual({
      quantityGrams: { code: 'too_big', maximum: 1_000_000_000, inclusive: true, origin: 'number' },
      askPriceFenPerKg: { code: 'too_big', maximum: 10_000_000, inclusive: true, origin: 'number' },
    });
    const mine = await farm.agent.get<{ items: unknown[] }>(`/api/lots?sellerOrgId=${farm.organisationId}&limit=50`);
    expect(mine.body.items).toHaveLength(0);
  });

  it('a missing field is "required", a wrong type "invalid_type"', async () => {
    const r = await farm.agent.post<Refusal>('/api/lots', aLot({ storage: undefined, quantityGrams: 'lots' }));
    expect(r.status).toBe(400);
    expect(r.body.error.fieldIssues?.storage).toEqual({ code: 'required' });
    expect(r.body.error.fieldIssues?.quantityGrams).toMatchObject({ code: 'invalid_type', expected: 'number' });
  });

  it('over the socket, a bid of a fraction of a gram is refused with the same issue in the ack', async () => {
    const lot = await farm.agent.post<{ id: string }>('/api/lots', aLot());
    expect(lot.status).toBe(201);
    const ack = await emitWithAck<{ ok: false; error: { code: string; details?: Record<string, unknown> } }>(
      cookSocket,
      'market:bid',
      { lotId: lot.body.id, quantityGrams: 1.5, priceFenPerKg: 1200 },
    );
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('VALIDATION');
    expect(ack.error.details?.fields).toHaveProperty('quantityGrams');
    expect(ack.error.details?.fieldIssues).toEqual({ quantityGrams: { code: 'not_integer' } });
  });
});
