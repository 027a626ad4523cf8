/**
 * Recommendations on a generated market: for a farm with shiitake to place, a buyer that bought shiitake
 * in the last 30 days ranks above one that never did; the reason says so; a buyer with open demand gets a
 * ready brokered offer the desk's existing send path takes; research topics, plans, outcomes and the
 * dashboard count what happened.
 */
import { shanghaiDate } from '../../shared/domain/calendar';
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

interface Rec {
  orgId: string;
  score: number;
  reason: { 'zh-CN': string; en: string };
  offer?: { lotId: string; demandId: string; quantityGrams: number; priceFenPerKg: number };
}

let timed: TimedApp;
let staff: Member;
let farm: Member;
let otherFarm: Member;
let regular: Member;
let newcomer: Member;
let asking: Member;

beforeAll(async () => {
  timed = await startTimedApp();
  const { app } = timed;
  staff = await aChamberUser(app, { admin: false });
  farm = await aFarm(app);
  otherFarm = await aFarm(app);
  await setVillage(app, farm.organisationId, '太平村', { lat: 28.71, lng: 115.73 });
  regular = await aBuyer(app, 'canteen');
  newcomer = await aBuyer(app, 'retailer');
  asking = await aBuyer(app, 'enterprise');
  // A generated market: the regular bought shiitake (from another farm) twice; everyone else bought lettuce.
  for (let i = 0; i < 2; i++) await aConfirmedOrder(timed, otherFarm, regular, { grams: 600_000 });
  await aConfirmedOrder(timed, otherFarm, newcomer, { productCode: 'lettuce', grams: 20_000 });
  // The farm has shiitake on the market now; the enterprise asks for some.
  await farm.agent.post('/api/lots', {
    productCode: 'shiitake',
    quantityGrams: 200_000,
    harvestedAt: new Date(timed.now().getTime() - HOUR).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 800,
    askPriceFenPerKg: 1400,
  });
  await asking.agent.post('/api/demand', {
    productCode: 'shiitake',
    quantityGrams: 30_000,
    maxPriceFenPerKg: 1600,
    neededBy: new Date(timed.now().getTime() + 24 * HOUR).toISOString(),
  });
}, 90_000);
afterAll(() => timed.app.close());

describe('recommending buyers for a farm with shiitake', () => {
  let items: Rec[];
  beforeAll(async () => {
    const reply = await staff.agent.get<{ items: Rec[]; target: { productCodes: string[] } }>(
      `/api/recommendations?farmId=${farm.organisationId}`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.target.productCodes).toContain('shiitake');
    items = reply.body.items;
  });
  const rank = (m: Member) => items.findIndex((r) => r.orgId === m.organisationId);

  it('ranks the buyer with shiitake history above the one without, and says why', () => {
    expect(rank(regular)).toBeGreaterThanOrEqual(0);
    expect(rank(regular)).toBeLessThan(rank(newcomer));
    const reason = items[rank(regular)].reason;
    expect(reason['zh-CN']).toMatch(/^近30天买过1\.2吨鲜香菇/);
    expect(reason.en).toMatch(/^bought 1\.2 t of Fresh shiitake in the last 30 days/);
  });

  it('offers a ready brokered offer to the buyer asking for shiitake, which the desk sends', async () => {
    const offer = items[rank(asking)].offer;
    expect(offer).toMatchObject({ quantityGrams: 30_000, priceFenPerKg: 1400 });
    const sent = await staff.agent.post<{ offerId: string }>('/api/desk/proposals/send', offer);
    expect(sent.status).toBe(201);
  });

  it('is for chamber staff only, and names the field when neither farm nor village is given', async () => {
    expect((await regular.agent.get(`/api/recommendations?farmId=${farm.organisationId}`)).status).toBe(403);
    const bad = await staff.agent.get<{ error: { fields: Record<string, string> } }>('/api/recommendations');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['farmId']);
    const byVillage = await staff.agent.get<{ items: Rec[] }>(
      `/api/recommendations?village=${encodeURIComponent('太平村')}`,
    );
    expect(byVillage.status).toBe(200);
  });
});

describe('research topics, remediation plans, outcomes and the dashboard', () => {
  it('groups, plans, records and counts them for the period', async () => {
    const today = shanghaiDate(timed.now());
    const topic = await staff.agent.post<{ topic: { id: string } }>('/api/research-topics', {
      title: '食用菌销路调研',
    });
    expect(topic.status).toBe(201);
    const plan = await staff.agent.post<{ plan: { id: string; status: string } }>('/api/remediation-plans', {
      title: '冷链短板专项整治',
      topicId: topic.body.topic.id,
      tasks: [{ title: '对接冷库', owner: '张干事', dueOn: today }],
    });
    expect(plan.status).toBe(201);
    const done = await staff.agent.post<{ plan: { status: string } }>(
      `/api/remediation-plans/${plan.body.plan.id}/tasks/0`,
      { done: true },
    );
    expect(done.body.plan.status).toBe('done');
    const outcome = await staff.agent.post('/api/programme-outcomes', {
      title: '香菇进企业食堂',
      achievedOn: today,
      planIds: [plan.body.plan.id],
    });
    expect(outcome.status).toBe(201);
    const board = await staff.agent.get<{ plans: number; outcomes: number; farms: unknown[] }>(
      `/api/programme/dashboard?from=${today}&to=${today}`,
    );
    expect(board.status).toBe(200);
    expect(board.body).toMatchObject({ plans: 1, outcomes: 1 });
  });
});
