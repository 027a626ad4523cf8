/** The pure rules behind lot management: edits, minimum takes, the capacity warning, typed-precision prices. */
import { capacityWarning, checkLotEdit, checkMinTake, defaultMinTakeGrams } from '../../shared/domain/lots';
import { formatPriceAsTyped } from '../../shared/domain/units';

const now = new Date('2026-12-02T02:00:00Z');
const lot = {
  status: 'open' as const,
  quantityGrams: 20_000,
  remainingGrams: 12_000,
  reservePriceFenPerKg: 500,
  askPriceFenPerKg: 800,
  expiresAt: new Date('2026-12-04T02:00:00Z'),
};

describe('editing a lot', () => {
  it('moves what is left with the total, keeping what is sold', () => {
    const r = checkLotEdit(lot, { quantityGrams: 10_000 }, now);
    expect(r.ok && [r.terms.quantityGrams, r.terms.remainingGrams]).toEqual([10_000, 2_000]);
  });
  it('refuses a total below what is sold, a higher total, an ask below the reserve, naming the field', () => {
    expect(checkLotEdit(lot, { quantityGrams: 7_999 }, now)).toMatchObject({
      reason: 'BELOW_SOLD',
      field: 'quantityGrams',
    });
    expect(checkLotEdit(lot, { quantityGrams: 20_001 }, now)).toMatchObject({ field: 'quantityGrams' });
    expect(checkLotEdit(lot, { reservePriceFenPerKg: 900 }, now)).toMatchObject({
      reason: 'ASK_BELOW_RESERVE',
      field: 'reservePriceFenPerKg',
    });
    expect(checkLotEdit({ ...lot, clockFloorFenPerKg: 550 }, { reservePriceFenPerKg: 600 }, now)).toMatchObject({
      field: 'reservePriceFenPerKg',
    });
  });
  it('refuses edits to a lot that is closed or expired', () => {
    expect(checkLotEdit({ ...lot, status: 'withdrawn' }, { askPriceFenPerKg: 900 }, now)).toMatchObject({
      reason: 'LOT_NOT_OPEN',
    });
    expect(checkLotEdit(lot, { askPriceFenPerKg: 900 }, lot.expiresAt)).toMatchObject({ reason: 'LOT_EXPIRED' });
  });
});

describe('minimum take', () => {
  it('refuses less than the minimum unless it is all that is left', () => {
    expect(checkMinTake(4_999, 5_000, 20_000)).toMatchObject({ reason: 'BELOW_MIN_TAKE', field: 'quantityGrams' });
    expect(checkMinTake(5_000, 5_000, 20_000).ok).toBe(true);
    expect(checkMinTake(2_000, 5_000, 2_000).ok).toBe(true);
    expect(checkMinTake(1_000, 5_000, 2_000).ok).toBe(false);
  });
  it('defaults by kind of produce', () => {
    expect([defaultMinTakeGrams('shiitake'), defaultMinTakeGrams('navel_orange'), defaultMinTakeGrams('rice')]).toEqual(
      [1_000, 5_000, 25_000],
    );
  });
});

describe('capacity warning', () => {
  const capacity = { production: [{ productCode: 'tomato', dailyGrams: 100_000 }], coldStorageGrams: 50_000 };
  it('warns when none is registered, or beyond a day’s production plus cold storage', () => {
    expect(capacityWarning(1_000, 'tomato', null)).toEqual({ kind: 'none_registered' });
    expect(capacityWarning(150_000, 'tomato', capacity)).toBeNull();
    expect(capacityWarning(150_001, 'tomato', capacity)).toEqual({ kind: 'over_capacity', capacityGrams: 150_000 });
    expect(capacityWarning(60_000, 'shiitake', capacity)).toEqual({ kind: 'over_capacity', capacityGrams: 50_000 });
  });
});

describe('prices as typed', () => {
  it('shows whole fen per unit, rounding half a fen per 斤 up', () => {
    expect(formatPriceAsTyped(1361, 'zh-CN', 'jin')).toBe('¥6.81/斤');
    expect(formatPriceAsTyped(1360, 'zh-CN', 'jin')).toBe('¥6.80/斤');
    expect(formatPriceAsTyped(1361, 'zh-CN', 'kg')).toBe('¥13.61/公斤');
  });
});
