import {
  addDays,
  daysBetween,
  isCalendarDate,
  shanghaiDate,
  shanghaiInstant,
  weekdayOf,
} from '../../shared/domain/calendar';
import { outlook, surplusOf, type FarmCapacity } from '../../shared/domain/capacity';
import {
  absorbSurplus,
  checkStandingOrder,
  expandOccurrences,
  fillOccurrence,
  initialStatus,
  isCommitment,
  STANDING_ORDER_STATUSES,
  standingOrderTransition,
  type StandingOrder,
  type StandingOrderTerms,
} from '../../shared/domain/standing-orders';

describe('Shanghai calendar days, whatever the server time zone', () => {
  it('puts 23:30 UTC on the next Shanghai day', () => {
    expect(shanghaiDate(new Date('2026-11-26T15:59:59Z'))).toBe('2026-11-26');
    expect(shanghaiDate(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-27');
  });

  it('turns a Shanghai wall-clock time into the instant', () => {
    expect(shanghaiInstant('2026-12-01', '10:00').toISOString()).toBe('2026-12-01T02:00:00.000Z');
    expect(shanghaiInstant('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('knows weekdays, month ends and leap years', () => {
    expect(weekdayOf('2026-11-26')).toBe(4); // a Thursday
    expect(weekdayOf('2026-11-29')).toBe(7);
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-25', '2027-01-01')).toBe(7);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-11-26')).toBe(true);
  });
});

const supper: StandingOrder = {
  id: 'so-1',
  buyerOrgId: 'restaurant-1',
  productCode: 'shiitake',
  gramsPerOccurrence: 50_000,
  weekdays: [2, 5], // Tuesday and Friday
  priceFenPerKg: 1200,
  startDate: '2026-11-26',
  deliverBy: '10:00',
  tolerance: { extraPercent: 20, discountPercent: 10 },
};

describe('a standing order: 50 kg shiitake every Tuesday and Friday, up to +20% at 10% off', () => {
  it('expands to dated occurrences due at 10:00 Shanghai time', () => {
    const occ = expandOccurrences(supper, '2026-11-26', '2026-12-08');
    expect(occ.map((o) => o.date)).toEqual(['2026-11-27', '2026-12-01', '2026-12-04', '2026-12-08']);
    expect(occ[0]).toEqual({
      standingOrderId: 'so-1',
      date: '2026-11-27',
      dueAt: new Date('2026-11-27T02:00:00Z'),
      baseGrams: 50_000,
      maxExtraGrams: 10_000,
    });
  });

  it('respects its start and end dates', () => {
    const bounded = { ...supper, startDate: '2026-12-01', endDate: '2026-12-04' };
    expect(expandOccurrences(bounded, '2026-11-01', '2026-12-31').map((o) => o.date)).toEqual([
      '2026-12-01',
      '2026-12-04',
    ]);
    expect(expandOccurrences(bounded, '2027-01-01', '2027-01-31')).toEqual([]);
  });

  it('fills the base at the agreed price and absorbs up to 10 kg extra at 10% off', () => {
    expect(fillOccurrence(supper, 70_000)).toEqual({
      baseGrams: 50_000,
      extraGrams: 10_000,
      basePriceFenPerKg: 1200,
      extraPriceFenPerKg: 1080,
      totalFen: 60_000 + 10_800,
      shortfallGrams: 0,
    });
  });

  it('takes only part of the extra when the surplus is small, and reports a short harvest', () => {
    expect(fillOccurrence(supper, 53_000)).toMatchObject({
      baseGrams: 50_000,
      extraGrams: 3_000,
      totalFen: 60_000 + 3_240,
    });
    expect(fillOccurrence(supper, 40_000)).toMatchObject({ baseGrams: 40_000, extraGrams: 0, shortfallGrams: 10_000 });
  });

  it('has no extra without a tolerance', () => {
    expect(fillOccurrence({ ...supper, tolerance: undefined }, 70_000)).toMatchObject({
      extraGrams: 0,
      totalFen: 60_000,
    });
  });

  it('shares a surplus among several standing orders, best price first', () => {
    const other = { ...supper, id: 'so-2', priceFenPerKg: 1400, tolerance: { extraPercent: 10, discountPercent: 10 } };
    expect(absorbSurplus(12_000, [supper, other])).toEqual({
      absorbed: [
        { standingOrderId: 'so-2', grams: 5_000, priceFenPerKg: 1260, totalFen: 6_300 },
        { standingOrderId: 'so-1', grams: 7_000, priceFenPerKg: 1080, totalFen: 7_560 },
      ],
      leftGrams: 0,
    });
    expect(absorbSurplus(100_000, [supper]).leftGrams).toBe(90_000);
    expect(absorbSurplus(-5, [supper])).toEqual({ absorbed: [], leftGrams: 0 });
  });

  const terms = (over: Partial<StandingOrderTerms>): StandingOrderTerms => ({ ...supper, ...over });
  it.each<[string, Partial<StandingOrderTerms>, string]>([
    ['an unknown product', { productCode: 'truffle' }, 'UNKNOWN_PRODUCT'],
    ['no weekdays', { weekdays: [] }, 'NO_WEEKDAYS'],
    ['a weekday 8', { weekdays: [8 as 1] }, 'NO_WEEKDAYS'],
    ['an end before the start', { endDate: '2026-11-01' }, 'END_BEFORE_START'],
    ['an impossible date', { startDate: '2026-02-30' }, 'INVALID_DATE'],
    ['a time of 25:00', { deliverBy: '25:00' }, 'INVALID_TIME'],
    ['a 150% tolerance', { tolerance: { extraPercent: 150, discountPercent: 10 } }, 'INVALID_TOLERANCE'],
    ['zero grams', { gramsPerOccurrence: 0 }, 'INVALID_QUANTITY'],
  ])('refuses %s', (_name, over, reason) => {
    expect(checkStandingOrder(terms(over))).toMatchObject({ ok: false, reason });
  });

  it('accepts the example', () => {
    expect(checkStandingOrder(supper)).toEqual({ ok: true });
  });
});

describe("a farm's 7-day outlook", () => {
  // The mushroom farm: 2–2.5 t of shiitake a day, more on weekends' flush; oyster mushrooms on weekdays.
  const farm: FarmCapacity = {
    orgId: 'farm-1',
    production: [
      { productCode: 'shiitake', dailyGrams: 2_000_000, weekdays: [1, 2, 3, 4, 5] },
      { productCode: 'shiitake', dailyGrams: 2_500_000, weekdays: [6, 7] },
      { productCode: 'oyster_mushroom', dailyGrams: 300_000, weekdays: [1, 3, 5] },
    ],
    coldStorageGrams: 1_000_000,
    dispatchGramsPerDay: 1_500_000,
    pickup: { name: '南昌县冷库', address: '江西省南昌市南昌县' },
  };

  it('is production minus what is already sold, per day and product', () => {
    const commitments = expandOccurrences(supper, '2026-11-26', '2026-12-02').map((o) => ({
      date: o.date,
      productCode: 'shiitake',
      grams: o.baseGrams,
    }));
    commitments.push({ date: '2026-11-26', productCode: 'shiitake', grams: 1_200_000 });
    const days = outlook(farm, commitments, '2026-11-26');
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(surplusOf(days, 'shiitake').map((d) => d.surplusGrams)).toEqual([
      800_000, 1_950_000, 2_500_000, 2_500_000, 2_000_000, 1_950_000, 2_000_000,
    ]);
    expect(days[1]).toMatchObject({
      weekday: 5,
      lines: [
        { productCode: 'oyster_mushroom', expectedGrams: 300_000, committedGrams: 0, surplusGrams: 300_000 },
        { productCode: 'shiitake', expectedGrams: 2_000_000, committedGrams: 50_000, surplusGrams: 1_950_000 },
      ],
      totalSurplusGrams: 2_250_000,
      storableSurplusGrams: 1_000_000,
      dispatchOverGrams: 0,
    });
  });

  it('shows a shortfall and a dispatch overload when too much was sold', () => {
    const [day] = outlook(farm, [{ date: '2026-11-26', productCode: 'shiitake', grams: 2_100_000 }], '2026-11-26', 1);
    expect(day.lines).toEqual([
      { productCode: 'shiitake', expectedGrams: 2_000_000, committedGrams: 2_100_000, surplusGrams: -100_000 },
    ]);
    expect(day.totalSurplusGrams).toBe(0);
    expect(day.dispatchOverGrams).toBe(600_000);
  });

  it('lists a product that was sold but not planned', () => {
    const [day] = outlook(farm, [{ date: '2026-11-26', productCode: 'enoki', grams: 10_000 }], '2026-11-26', 1);
    expect(day.lines.find((l) => l.productCode === 'enoki')).toEqual({
      productCode: 'enoki',
      expectedGrams: 0,
      committedGrams: 10_000,
      surplusGrams: -10_000,
    });
  });
});

describe('consent: the named farm agrees before a standing order binds it', () => {
  const accept = { type: 'accept' } as const;
  const decline = (reason: string) => ({ type: 'decline', reason }) as const;
  const cancel = (reason?: string) => ({ type: 'cancel', ...(reason === undefined ? {} : { reason }) }) as const;

  it('starts proposed when it names a farm, active when it names none (it binds nobody)', () => {
    expect(initialStatus({ sellerOrgId: 'farm-1' })).toBe('proposed');
    expect(initialStatus({})).toBe('active');
  });

  it('the farm accepts or declines (with a reason) a proposal; the restaurant may do neither', () => {
    expect(standingOrderTransition('proposed', 'seller', accept)).toEqual({ ok: true, to: 'active' });
    expect(standingOrderTransition('proposed', 'seller', decline('周末不采摘'))).toEqual({ ok: true, to: 'declined' });
    expect(standingOrderTransition('proposed', 'seller', decline('  '))).toMatchObject({
      ok: false,
      reason: 'REASON_REQUIRED',
      field: 'reason',
    });
    expect(standingOrderTransition('proposed', 'buyer', accept)).toMatchObject({ ok: false, reason: 'WRONG_SIDE' });
    expect(standingOrderTransition('proposed', 'buyer', decline('x'))).toMatchObject({
      ok: false,
      reason: 'WRONG_SIDE',
    });
  });

  it('accepting or declining twice, or after a cancel, is refused', () => {
    for (const status of ['active', 'declined', 'cancelled'] as const) {
      expect(standingOrderTransition(status, 'seller', accept)).toMatchObject({ ok: false, reason: 'WRONG_STATUS' });
      expect(standingOrderTransition(status, 'seller', decline('x'))).toMatchObject({
        ok: false,
        reason: 'WRONG_STATUS',
      });
    }
  });

  it('the restaurant cancels a proposed or active one, never a declined or cancelled one', () => {
    expect(standingOrderTransition('proposed', 'buyer', cancel())).toEqual({ ok: true, to: 'cancelled' });
    expect(standingOrderTransition('active', 'buyer', cancel())).toEqual({ ok: true, to: 'cancelled' });
    expect(standingOrderTransition('declined', 'buyer', cancel())).toMatchObject({ ok: false, reason: 'WRONG_STATUS' });
    expect(standingOrderTransition('cancelled', 'buyer', cancel())).toMatchObject({
      ok: false,
      reason: 'WRONG_STATUS',
    });
  });

  it('the farm ends only an active one, and only with a reason (a proposal it declines instead)', () => {
    expect(standingOrderTransition('active', 'seller', cancel('冷库检修'))).toEqual({ ok: true, to: 'cancelled' });
    expect(standingOrderTransition('active', 'seller', cancel())).toMatchObject({
      ok: false,
      reason: 'REASON_REQUIRED',
      field: 'reason',
    });
    expect(standingOrderTransition('proposed', 'seller', cancel('不做了'))).toMatchObject({
      ok: false,
      reason: 'WRONG_STATUS',
    });
  });

  it('only an active standing order is a commitment', () => {
    expect(STANDING_ORDER_STATUSES.filter((status) => isCommitment({ status }))).toEqual(['active']);
  });
});
