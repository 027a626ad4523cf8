/**
 * Property: every proposal the desk's solver makes for a generated market is one the market takes —
 * sent as a brokered sell offer (the market's acceptance: the shared feasibility rule) and accepted by
 * the restaurant (an order is confirmed). Seeded generator (no fast-check in the project), a modest
 * number of markets against the real services on the embedded database. Lots often expire between the
 * truck's arrival and the demand's needed-by: exactly the pairs the desk used to propose and the
 * market refused.
 */
import { aChamberUser, aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

const CASES = 5;

/** mulberry32: a small seeded PRNG, so a failure names its seed and replays. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

interface Proposal {
  lotId: string;
  demandId: string;
  buyerOrgId: string;
  quantityGrams: number;
  priceFenPerKg: number;
}

let app: TestApp;
let staff: Member;
beforeAll(async () => {
  app = await startTestApp();
  staff = await aChamberUser(app, { admin: false });
});
afterAll(async () => {
  await app.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

async function generateMarket(seed: number): Promise<Map<string, Member>> {
  const r = random(seed);
  const farms = await Promise.all([aFarm(app), aFarm(app)]);
  const buyers = await Promise.all([aRestaurant(app), aRestaurant(app)]);
  const products = ['shiitake', 'enoki'] as const;
  for (let i = 0; i < 4; i++) {
    const reserve = r.int(600, 1200);
    const lot = await r.pick(farms).agent.post('/api/lots', {
      productCode: r.pick(products),
      quantityGrams: r.int(20, 200) * 1000,
      harvestedAt: inHours(-1),
      storage: 'cold',
      reservePriceFenPerKg: reserve,
      askPriceFenPerKg: reserve + r.int(0, 600),
      expiresAt: inHours(r.int(3, 90)),
    });
    expect(lot.status).toBe(201);
  }
  for (let i = 0; i < 4; i++) {
    const neededIn = r.int(4, 96);
    const demand = await r.pick(buyers).agent.post('/api/demand', {
      productCode: r.pick(products),
      quantityGrams: r.int(10, 150) * 1000,
      maxPriceFenPerKg: r.int(900, 2200),
      neededBy: inHours(neededIn),
      ...(r.chance(0.5) ? { deliverFrom: inHours(Math.max(1, neededIn - r.int(1, 12))) } : {}),
    });
    expect(demand.status).toBe(201);
  }
  return new Map(buyers.map((b) => [b.organisationId, b]));
}

let proposalsSeen = 0;

describe('every proposal the desk makes, the market takes', () => {
  const seeds = Array.from({ length: CASES }, (_, i) => 1201 + i * 7919);
  it.each(seeds)('seed %i: each proposal is sent and accepted into a confirmed order', async (seed) => {
    const buyers = await generateMarket(seed);
    const plan = await staff.agent.post<{ proposals: Proposal[] }>('/api/desk/match-all', {});
    expect(plan.status).toBe(200);
    proposalsSeen += plan.body.proposals.length;
    // Earlier seeds' leftovers are in the market too; the property holds for every proposal.
    for (const p of plan.body.proposals) {
      const sent = await staff.agent.post<{ offerId: string; error?: { code: string; message: string } }>(
        '/api/desk/proposals/send',
        { lotId: p.lotId, demandId: p.demandId, quantityGrams: p.quantityGrams, priceFenPerKg: p.priceFenPerKg },
      );
      expect({ seed, proposal: p, status: sent.status, error: sent.body.error }).toMatchObject({ status: 201 });
      const buyer = buyers.get(p.buyerOrgId);
      if (!buyer) continue; // a proposal for an earlier seed's restaurant: sent is the property; accepting needs its agent
      const accepted = await buyer.agent.post<{ order: { status: string; brokered?: boolean } }>(
        `/api/offers/${sent.body.offerId}/accept`,
        {},
      );
      expect({ seed, proposal: p, status: accepted.status }).toMatchObject({ status: 200 });
      expect(accepted.body.order).toMatchObject({ status: 'confirmed', brokered: true });
    }
    // The deal log, read again as after a reload, shows each accepted deal's order status.
    const log = await staff.agent.get<{ items: { offerId: string; status: string; orderStatus: string | null }[] }>(
      '/api/desk/brokered-offers?limit=200',
    );
    const accepted = log.body.items.filter((d) => d.status === 'accepted');
    expect(accepted.every((d) => d.orderStatus === 'confirmed')).toBe(true);
  });

  it('the generated markets did produce proposals (the property is not vacuous)', () => {
    expect(proposalsSeen).toBeGreaterThan(CASES);
  });
});
