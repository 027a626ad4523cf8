import {
  allocationProblemFrom,
  buildCandidates,
  haversineKm,
  transitMs,
  type CandidateResult,
} from '../../shared/domain/matching/candidates';
import { allocate } from '../../shared/domain/matching/allocate';
import { HOUR, NOW, SHANGHAI, aDemand, aLot, someParams } from '../fixtures/matching';

/** Hangzhou West Lake, ~165 km from central Shanghai. */
const HANGZHOU = { lat: 30.2741, lng: 120.1551 };

function edgesOf(result: CandidateResult): NonNullable<Extract<CandidateResult, { ok: true }>['edges']> {
  if (!result.ok) throw new Error(result.detail);
  return result.edges;
}

describe('distance and transit', () => {
  test('haversine: Shanghai–Hangzhou is about 165 km; a point to itself is 0', () => {
    expect(haversineKm(SHANGHAI, HANGZHOU)).toBeGreaterThan(160);
    expect(haversineKm(SHANGHAI, HANGZHOU)).toBeLessThan(170);
    expect(haversineKm(SHANGHAI, SHANGHAI)).toBe(0);
  });

  test('one degree of latitude is 2πR/360 km', () => {
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo((2 * Math.PI * 6371.0088) / 360, 6);
  });

  test('transit time is rounded up to the next millisecond', () => {
    expect(transitMs(60, 60)).toBe(HOUR);
    expect(transitMs(1, 3 * 3_600_000)).toBe(1); // 1/3 ms → 1 ms
    expect(transitMs(0, 60)).toBe(0);
  });
});

describe('feasibility at the edges of the window and of the lot life', () => {
  test('a same-place delivery with 2 h handling lands exactly when the window closes: kept (window ends included)', () => {
    const demand = aDemand({ window: { from: NOW, to: NOW + 2 * HOUR } });
    expect(edgesOf(buildCandidates([aLot()], [demand], someParams({ handlingHours: 2 })))).toHaveLength(1);
  });

  test('one millisecond later than the window closes is WINDOW_MISSED', () => {
    const demand = aDemand({ window: { from: NOW, to: NOW + 2 * HOUR - 1 } });
    const result = buildCandidates([aLot()], [demand], someParams({ handlingHours: 2 }));
    expect(edgesOf(result)).toHaveLength(0);
    expect(result.ok && result.rejected.WINDOW_MISSED).toBe(1);
  });

  test('a truck that is early waits for the window to open; the delivery is stamped at the opening', () => {
    const demand = aDemand({ window: { from: NOW + 10 * HOUR, to: NOW + 11 * HOUR } });
    const [edge] = edgesOf(buildCandidates([aLot()], [demand], someParams()));
    expect(edge.deliverAt).toBe(NOW + 10 * HOUR);
  });

  test('the lot must still be sellable on arrival: arriving at the expiry instant is too late', () => {
    const lot = aLot({ expiresAt: NOW + 3 * HOUR });
    const atExpiry = aDemand({ window: { from: NOW + 3 * HOUR, to: NOW + 3 * HOUR } });
    const justBefore = aDemand({ window: { from: NOW + 3 * HOUR - 1, to: NOW + 3 * HOUR } });
    const result = buildCandidates([lot], [atExpiry, justBefore], someParams());
    expect(edgesOf(result).map((e) => e.demand)).toEqual([justBefore.id]);
    expect(result.ok && result.rejected.EXPIRES_BEFORE_DELIVERY).toBe(1);
  });

  test("the market's rule: a lot expiring before the window closes (the needed-by) is no candidate, even if it could arrive in time", () => {
    const lot = aLot({ expiresAt: NOW + 3 * HOUR });
    const closesAfterExpiry = aDemand({ window: { from: NOW, to: NOW + 3 * HOUR + 1 } });
    const closesAtExpiry = aDemand({ window: { from: NOW, to: NOW + 3 * HOUR } });
    const result = buildCandidates([lot], [closesAfterExpiry, closesAtExpiry], someParams());
    expect(edgesOf(result).map((e) => e.demand)).toEqual([closesAtExpiry.id]);
    expect(result.ok && result.rejected.EXPIRES_BEFORE_DELIVERY).toBe(1);
  });

  test('transit counts: Hangzhou to Shanghai at 60 km/h takes ~2.75 h, so a 2 h window misses and a 3 h one fits', () => {
    const lot = aLot({ pickup: HANGZHOU });
    const tooSoon = aDemand({ window: { from: NOW, to: NOW + 2 * HOUR } });
    const fits = aDemand({ window: { from: NOW, to: NOW + 3 * HOUR } });
    const result = buildCandidates([lot], [tooSoon, fits], someParams());
    const [edge] = edgesOf(result);
    expect(edge.demand).toBe(fits.id);
    expect(edge.deliverAt).toBe(NOW + transitMs(haversineKm(HANGZHOU, SHANGHAI), 60));
    expect(result.ok && result.rejected.WINDOW_MISSED).toBe(1);
  });

  test('transit also eats into the lot life: expiry 1 h after a 2.75 h drive is infeasible, 3 h is fine', () => {
    const shortLived = aLot({ pickup: HANGZHOU, expiresAt: NOW + 2 * HOUR });
    const fresh = aLot({ pickup: HANGZHOU, expiresAt: NOW + 3 * HOUR });
    const result = buildCandidates(
      [shortLived, fresh],
      [aDemand({ window: { from: NOW, to: NOW + 3 * HOUR } })],
      someParams(),
    );
    expect(edgesOf(result).map((e) => e.lot)).toEqual([fresh.id]);
    expect(result.ok && result.rejected.EXPIRES_BEFORE_DELIVERY).toBe(1);
  });

  test('empty lots and demands are rejected pair by pair', () => {
    const result = buildCandidates(
      [aLot({ remainingGrams: 0 }), aLot()],
      [aDemand(), aDemand({ grams: 0 })],
      someParams(),
    );
    expect(result.ok && result.rejected).toEqual({
      LOT_EMPTY: 2,
      DEMAND_EMPTY: 1,
      WINDOW_MISSED: 0,
      EXPIRES_BEFORE_DELIVERY: 0,
      NOT_PROFITABLE: 0,
    });
  });
});

describe('value per kg', () => {
  test('buyer max − reserve − transport (fen per kg·km × km, rounded) with no bonus for a lot expiring later', () => {
    const lot = aLot({ pickup: HANGZHOU, reservePriceFenPerKg: 1_800, expiresAt: NOW + 96 * HOUR });
    const demand = aDemand({ maxPriceFenPerKg: 2_600 });
    const [edge] = edgesOf(buildCandidates([lot], [demand], someParams({ transportFenPerKgKm: 0.5 })));
    const km = haversineKm(HANGZHOU, SHANGHAI);
    expect(edge.valuePerKg).toBe(2_600 - 1_800 - Math.round(0.5 * km));
    expect(edge.urgent).toBe(false);
    expect(Number.isInteger(edge.valuePerKg)).toBe(true);
  });

  test('transport rounds to the nearest fen: 3 km at 0.3 fen is 1 fen, at 0.1 fen it is 0', () => {
    // 3 km due north along a meridian.
    const pickup = { lat: SHANGHAI.lat + 3 / ((2 * Math.PI * 6371.0088) / 360), lng: SHANGHAI.lng };
    const lot = aLot({ pickup, reservePriceFenPerKg: 1_000 });
    const demand = aDemand({ maxPriceFenPerKg: 1_500 });
    const [dear] = edgesOf(buildCandidates([lot], [demand], someParams({ transportFenPerKgKm: 0.3 })));
    const [cheap] = edgesOf(buildCandidates([lot], [demand], someParams({ transportFenPerKgKm: 0.1 })));
    expect(dear.distanceKm).toBeCloseTo(3, 9);
    expect(dear.valuePerKg).toBe(1_500 - 1_000 - 1);
    expect(cheap.valuePerKg).toBe(1_500 - 1_000);
  });

  test('urgency bonus applies when the lot expires within the urgency window, ends included', () => {
    const atEdge = aLot({ expiresAt: NOW + 24 * HOUR, reservePriceFenPerKg: 2_000 });
    const later = aLot({ expiresAt: NOW + 24 * HOUR + 1, reservePriceFenPerKg: 2_000 });
    const edges = edgesOf(
      buildCandidates(
        [atEdge, later],
        [aDemand({ maxPriceFenPerKg: 2_500 })],
        someParams({ urgencyBonusFenPerKg: 300 }),
      ),
    );
    expect(edges.map((e) => [e.lot, e.valuePerKg, e.urgent])).toEqual([
      [atEdge.id, 800, true],
      [later.id, 500, false],
    ]);
  });

  test('unprofitable pairs are dropped by default and counted; keepNonPositive keeps them', () => {
    const lot = aLot({ reservePriceFenPerKg: 3_000 });
    const demand = aDemand({ maxPriceFenPerKg: 3_000 });
    const dropped = buildCandidates([lot], [demand], someParams());
    expect(edgesOf(dropped)).toHaveLength(0);
    expect(dropped.ok && dropped.rejected.NOT_PROFITABLE).toBe(1);
    const kept = buildCandidates([lot], [demand], someParams({ keepNonPositive: true }));
    expect(edgesOf(kept).map((e) => e.valuePerKg)).toEqual([0]);
  });
});

describe('parameters and hand-off to the allocator', () => {
  test('a non-positive speed is an INVALID_PARAMS result', () => {
    expect(buildCandidates([aLot()], [aDemand()], someParams({ speedKmPerHour: 0 }))).toMatchObject({
      ok: false,
      reason: 'INVALID_PARAMS',
    });
  });

  test('a tolerance of +10 % at 20 % off becomes extra grams with a per-kg discount, and the allocator uses it', () => {
    const lot = aLot({ farmId: 'farm-1', remainingGrams: 50_000, reservePriceFenPerKg: 1_000 });
    const demand = aDemand({
      grams: 20_000,
      maxPriceFenPerKg: 3_000,
      tolerance: { extraPercent: 10, discountPercent: 20 },
    });
    const { edges } = (() => {
      const r = buildCandidates([lot], [demand], someParams());
      if (!r.ok) throw new Error(r.detail);
      return r;
    })();
    const problem = allocationProblemFrom([{ id: 'farm-1', dispatchGramsPerDay: 100_000 }], [lot], [demand], edges);
    expect(problem.demands[0]).toEqual({ id: demand.id, grams: 20_000, extraGrams: 2_000, extraDiscountFenPerKg: 600 });
    const plan = allocate(problem);
    expect(plan).toMatchObject({ ok: true, allocations: [{ lot: lot.id, demand: demand.id, grams: 22_000 }] });
    expect(plan.ok && plan.objective).toBe((22_000 * 2_000 - 2_000 * 600) / 1000);
  });
});
