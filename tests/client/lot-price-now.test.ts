import { lotPriceNow, lotRef } from '../../client/src/state/market-format';

const MIN = 60_000;
const start = Date.parse('2026-12-02T08:00:00+08:00');
const clock = {
  startPriceFenPerKg: 2000,
  floorPriceFenPerKg: 1000,
  startsAt: new Date(start).toISOString(),
  floorAt: new Date(start + 100 * MIN).toISOString(),
  endsAt: new Date(start + 200 * MIN).toISOString(),
  minTakeGrams: 5000,
  // The server's reading when the lot was read; the page recomputes it each second.
  phase: 'scheduled' as const,
  priceFenPerKg: null,
};
const lot = { id: 'lot-1', status: 'open' as const, askPriceFenPerKg: 2400 };

describe("the chamber's price now", () => {
  it('is the ask when the lot has no clock sale', () => {
    expect(lotPriceNow(lot, start)).toEqual({ fenPerKg: 2400, clock: false });
  });

  it('is the clock price as it falls, not the ask, and holds at the floor', () => {
    const onClock = { ...lot, clock };
    expect(lotPriceNow(onClock, start)).toEqual({ fenPerKg: 2000, clock: true });
    expect(lotPriceNow(onClock, start + 50 * MIN)).toEqual({ fenPerKg: 1500, clock: true });
    expect(lotPriceNow(onClock, start + 150 * MIN)).toEqual({ fenPerKg: 1000, clock: true });
  });

  it('is the ask before the clock starts, after it ends, and for a lot no longer open', () => {
    const onClock = { ...lot, clock };
    expect(lotPriceNow(onClock, start - MIN)).toEqual({ fenPerKg: 2400, clock: false });
    expect(lotPriceNow(onClock, start + 201 * MIN)).toEqual({ fenPerKg: 2400, clock: false });
    expect(lotPriceNow({ ...onClock, status: 'sold_out' as const }, start + 50 * MIN).clock).toBe(false);
  });

  it('names a lot by the last six characters of its id', () => {
    expect(lotRef('6750a1b2c3d4e5f6a7b8c9d0')).toBe('#B8C9D0');
  });
});
