import { HONGGUTAN, proposedPrice, proposeOffers } from '../../shared/domain/desk/proposals';
import { aDeskDemand, aDeskLot, at, T0 } from '../fixtures/desk';

describe('proposed price', () => {
  it("is the farm's ask when the buyer's ceiling covers it, else the midpoint of reserve and ceiling", () => {
    expect(proposedPrice({ reservePriceFenPerKg: 1000, askPriceFenPerKg: 1300 }, { maxPriceFenPerKg: 1400 })).toBe(
      1300,
    );
    expect(proposedPrice({ reservePriceFenPerKg: 1000, askPriceFenPerKg: 1300 }, { maxPriceFenPerKg: 1201 })).toBe(
      1100,
    );
  });
});

describe('proposing brokered offers', () => {
  it('matches only the same product and splits scarce stock to the most valuable demand first', () => {
    const lot = aDeskLot({ id: 'L', remainingGrams: 150_000 });
    const rich = aDeskDemand({ id: 'rich', maxPriceFenPerKg: 1600, quantityGrams: 100_000 });
    const poor = aDeskDemand({ id: 'poor', maxPriceFenPerKg: 1200, quantityGrams: 100_000 });
    const tomatoes = aDeskDemand({ id: 'tomato', productCode: 'tomato', maxPriceFenPerKg: 9000 });
    const result = proposeOffers([lot], [poor, rich, tomatoes], [], T0);
    if (!result.ok) throw new Error(result.message);
    const byDemand = Object.fromEntries(result.plan.proposals.map((p) => [p.demandId, p]));
    expect(Object.keys(byDemand).sort()).toEqual(['poor', 'rich']);
    expect(byDemand.rich).toMatchObject({
      quantityGrams: 100_000,
      priceFenPerKg: 1300,
      totalFen: 130_000,
      urgent: true,
      sellerOrgId: 'farm-1',
      buyerOrgId: 'rest-1',
    });
    expect(byDemand.poor).toMatchObject({ quantityGrams: 50_000, priceFenPerKg: 1100 });
    expect(result.plan.candidates).toBe(2);
  });

  it("respects a farm's dispatch capacity", () => {
    const result = proposeOffers(
      [aDeskLot({ sellerOrgId: 'f' })],
      [aDeskDemand({ quantityGrams: 300_000 })],
      [{ orgId: 'f', dispatchGramsPerDay: 120_000 }],
      T0,
    );
    expect(result.ok && result.plan.proposals.map((p) => p.quantityGrams)).toEqual([120_000]);
  });

  it('skips demand that cannot be delivered before the lot expires or before it is needed', () => {
    const result = proposeOffers(
      [aDeskLot({ expiresAt: at(0.5) })],
      [aDeskDemand({ id: 'due', neededBy: at(24) })],
      [],
      T0,
    );
    expect(result).toMatchObject({ ok: true, plan: { proposals: [], rejected: { EXPIRES_BEFORE_DELIVERY: 1 } } });
    const tooSoon = proposeOffers([aDeskLot()], [aDeskDemand({ neededBy: at(0.5) })], [], T0);
    expect(tooSoon).toMatchObject({ ok: true, plan: { proposals: [], rejected: { WINDOW_MISSED: 1 } } });
  });

  it('charges transport by distance from the pickup; places left blank count as the district centre', () => {
    const far = { lat: HONGGUTAN.lat + 1, lng: HONGGUTAN.lng }; // ≈ 111 km
    const result = proposeOffers([aDeskLot({ pickup: far })], [aDeskDemand()], [], T0);
    expect(result.ok && result.plan.proposals[0]).toMatchObject({ distanceKm: 111.2 });
    const near = proposeOffers([aDeskLot()], [aDeskDemand()], [], T0);
    expect(near.ok && near.plan.proposals[0].distanceKm).toBe(0);
  });

  it('reports invalid parameters as a value', () => {
    expect(
      proposeOffers([aDeskLot()], [aDeskDemand()], [], T0, {
        speedKmPerHour: 0,
        transportFenPerKgKm: 0,
        urgencyBonusFenPerKg: 0,
        urgencyWindowHours: 0,
      }),
    ).toMatchObject({
      ok: false,
      reason: 'INVALID_PARAMS',
    });
  });
});
