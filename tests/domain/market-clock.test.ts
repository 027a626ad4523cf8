import { currentPrice, setupClock, take, type ClockSale, type ClockSetup } from '../../shared/domain/clock';
import { T0, aLot, at } from '../fixtures/market';

/** Lot expires at T0+24h, reserve ¥10/kg; clock from ¥16 to ¥10, floor 4 h before expiry. */
const lot = { ...aLot({ expiresAt: at(24) }), id: 'lot-clock' };
const setup = (over: Partial<ClockSetup> = {}): ClockSetup => ({
  startPriceFenPerKg: 1600,
  floorHoursBeforeExpiry: 4,
  ...over,
});

function clock(over: Partial<ClockSetup> = {}): ClockSale {
  const r = setupClock(setup(over), lot, T0);
  if (!r.ok) throw new Error(r.reason);
  return r.clock;
}

describe('setting up a clock sale', () => {
  it('falls from the start price to the reserve, reaching it N hours before expiry', () => {
    expect(clock()).toEqual({
      lotId: 'lot-clock',
      startPriceFenPerKg: 1600,
      floorPriceFenPerKg: 1000,
      startsAt: T0,
      floorAt: at(20),
      endsAt: at(24),
      minTakeGrams: 1,
    });
  });

  it.each<[string, Partial<ClockSetup>, string]>([
    ['a floor below the reserve', { floorPriceFenPerKg: 900 }, 'FLOOR_BELOW_RESERVE'],
    ['a start at the floor', { startPriceFenPerKg: 1000 }, 'START_NOT_ABOVE_FLOOR'],
    ['a floor before the start', { floorHoursBeforeExpiry: 24 }, 'NO_TIME_TO_FALL'],
    ['a negative floor time', { floorHoursBeforeExpiry: -1 }, 'NO_TIME_TO_FALL'],
    ['a zero step', { stepMinutes: 0 }, 'INVALID_STEP'],
    ['a zero minimum take', { minTakeGrams: 0 }, 'INVALID_QUANTITY'],
    ['a fractional price', { startPriceFenPerKg: 1500.5 }, 'INVALID_PRICE'],
  ])('refuses %s', (_name, over, reason) => {
    expect(setupClock(setup(over), lot, T0)).toMatchObject({ ok: false, reason });
  });

  it('refuses an expired or closed lot', () => {
    expect(setupClock(setup(), lot, at(24))).toMatchObject({ ok: false, reason: 'LOT_EXPIRED' });
    expect(setupClock(setup(), { ...lot, status: 'sold_out' }, T0)).toMatchObject({
      ok: false,
      reason: 'LOT_NOT_OPEN',
    });
  });

  it('may start later, never earlier than now', () => {
    expect(clock({ startsAt: at(2) }).startsAt).toEqual(at(2));
    expect(clock({ startsAt: at(-2) }).startsAt).toEqual(T0);
  });
});

describe('the price on a linear clock', () => {
  const c = clock();

  it.each([
    [0, 1600],
    [5, 1450], // a quarter of the way: 1600 − 600/4
    [10, 1300],
    [19, 1030],
    [19.999, 1001], // rounded up: never under the line
  ])('at T0+%s h it is %i fen/kg and falling', (h, price) => {
    expect(currentPrice(c, at(h))).toEqual({ phase: 'falling', priceFenPerKg: price });
  });

  it('stops at the floor and holds there until the lot expires', () => {
    expect(currentPrice(c, at(20))).toEqual({ phase: 'at_floor', priceFenPerKg: 1000 });
    expect(currentPrice(c, at(23.99))).toEqual({ phase: 'at_floor', priceFenPerKg: 1000 });
    expect(currentPrice(c, at(24))).toEqual({ phase: 'ended', priceFenPerKg: null });
  });

  it('has no price before it starts', () => {
    expect(currentPrice(clock({ startsAt: at(2) }), at(1))).toEqual({
      phase: 'scheduled',
      priceFenPerKg: null,
      nextChangeAt: at(2),
    });
  });

  it('never rises and never goes under the floor', () => {
    let last = Infinity;
    for (let m = 0; m < 24 * 60; m += 7) {
      const p = currentPrice(c, new Date(T0.getTime() + m * 60_000)).priceFenPerKg;
      if (p === null) continue;
      expect(p).toBeLessThanOrEqual(last);
      expect(p).toBeGreaterThanOrEqual(1000);
      last = p;
    }
  });

  it('stays exact over a long span (a rice lot)', () => {
    const rice = { ...aLot({ expiresAt: at(24 * 180), reservePriceFenPerKg: 400 }), id: 'rice' };
    const r = setupClock({ startPriceFenPerKg: 10_000_000, floorHoursBeforeExpiry: 0 }, rice, T0);
    if (!r.ok) throw new Error(r.reason);
    expect(currentPrice(r.clock, at(24 * 90)).priceFenPerKg).toBe(5_000_200);
  });
});

describe('a stepped clock', () => {
  const c = clock({ stepMinutes: 60 });

  it('drops once an hour and says when the next drop comes', () => {
    expect(currentPrice(c, at(0.5))).toEqual({ phase: 'falling', priceFenPerKg: 1600, nextChangeAt: at(1) });
    expect(currentPrice(c, at(1))).toEqual({ phase: 'falling', priceFenPerKg: 1570, nextChangeAt: at(2) });
    expect(currentPrice(c, at(19.5))).toEqual({ phase: 'falling', priceFenPerKg: 1030, nextChangeAt: at(20) });
    expect(currentPrice(c, at(20))).toEqual({ phase: 'at_floor', priceFenPerKg: 1000 });
  });
});

describe('taking from the clock', () => {
  const c = clock({ minTakeGrams: 5_000 });

  it('sells at the current price with the total rounded to the fen', () => {
    expect(take(c, at(10), 12_345, 100_000)).toEqual({
      ok: true,
      take: { grams: 12_345, priceFenPerKg: 1300, totalFen: 16_049 },
    });
  });

  it('sells at the floor after the clock stops', () => {
    expect(take(c, at(22), 10_000, 100_000)).toMatchObject({
      ok: true,
      take: { priceFenPerKg: 1000, totalFen: 10_000 },
    });
  });

  it.each<[string, number, number, number, string]>([
    ['before the start', -1, 10_000, 100_000, 'CLOCK_NOT_STARTED'],
    ['after the lot expired', 24, 10_000, 100_000, 'CLOCK_ENDED'],
    ['zero grams', 1, 0, 100_000, 'INVALID_QUANTITY'],
    ['more than is left', 1, 100_001, 100_000, 'NOT_ENOUGH_LEFT'],
    ['less than the minimum take', 1, 4_999, 100_000, 'BELOW_MIN_TAKE'],
  ])('refuses a take %s', (_name, h, grams, remaining, reason) => {
    const starting = h < 0 ? clock({ startsAt: at(1), minTakeGrams: 5_000 }) : c;
    expect(take(starting, at(Math.max(h, 0)), grams, remaining)).toMatchObject({ ok: false, reason });
  });

  it('lets the last small piece go below the minimum', () => {
    expect(take(c, at(1), 3_000, 3_000).ok).toBe(true);
  });

  it('protects a buyer whose limit is below the price now', () => {
    expect(take(c, at(10), 10_000, 100_000, 1299)).toMatchObject({ ok: false, reason: 'PRICE_ABOVE_LIMIT' });
    expect(take(c, at(10), 10_000, 100_000, 1300).ok).toBe(true);
  });
});
