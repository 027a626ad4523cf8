/** The purchase request's delivery window and address, and when fills close it. */
import { checkNewDemand, statusAfterFill, statusAfterRelease, stillWantedGrams } from '../../shared/domain/demand';
import { T0, at } from '../fixtures/market';

const demand = { productCode: 'enoki', quantityGrams: 30_000, maxPriceFenPerKg: 900, neededBy: at(48) };

describe("a purchase request's delivery window and address", () => {
  it('accepts a window that opens before it closes, and none at all', () => {
    expect(checkNewDemand({ ...demand, deliverFrom: at(46) }, T0)).toEqual({ ok: true });
    expect(checkNewDemand(demand, T0)).toEqual({ ok: true });
  });

  it('refuses a window that opens at or after neededBy, naming deliverFrom', () => {
    expect(checkNewDemand({ ...demand, deliverFrom: at(48) }, T0)).toMatchObject({
      ok: false,
      reason: 'WINDOW_ENDS_BEFORE_START',
      field: 'deliverFrom',
    });
    expect(checkNewDemand({ ...demand, deliverFrom: at(50) }, T0)).toMatchObject({ ok: false, field: 'deliverFrom' });
  });

  it('wants an address when the farm is to deliver, not when the restaurant collects', () => {
    expect(checkNewDemand({ ...demand, deliveryRequired: true }, T0)).toMatchObject({
      ok: false,
      reason: 'DELIVERY_ADDRESS_REQUIRED',
      field: 'deliveryAddress',
    });
    expect(checkNewDemand({ ...demand, deliveryRequired: true, deliveryAddress: '  ' }, T0)).toMatchObject({
      ok: false,
      field: 'deliveryAddress',
    });
    expect(
      checkNewDemand({ ...demand, deliveryRequired: true, deliveryAddress: '南昌市东湖区八一大道 1 号' }, T0),
    ).toEqual({ ok: true });
    expect(checkNewDemand({ ...demand, deliveryRequired: false }, T0)).toEqual({ ok: true });
  });
});

describe('filling a purchase request', () => {
  it('stays open while part is bought and is filled once the grams reach the quantity', () => {
    expect(statusAfterFill({ quantityGrams: 30_000, filledGrams: 10_000, status: 'open' })).toBe('open');
    expect(statusAfterFill({ quantityGrams: 30_000, filledGrams: 30_000, status: 'open' })).toBe('filled');
    expect(statusAfterFill({ quantityGrams: 30_000, filledGrams: 45_000, status: 'open' })).toBe('filled');
  });

  it('leaves a withdrawn request withdrawn, whatever is bought on it', () => {
    expect(statusAfterFill({ quantityGrams: 30_000, filledGrams: 30_000, status: 'withdrawn' })).toBe('withdrawn');
  });

  it('fills an expired request whose late orders reach the quantity', () => {
    expect(statusAfterFill({ quantityGrams: 30_000, filledGrams: 30_000, status: 'expired' })).toBe('filled');
    expect(statusAfterFill({ quantityGrams: 30_000, filledGrams: 10_000, status: 'expired' })).toBe('expired');
  });

  it('reopens a filled request left short by a cancelled order only while it is still ahead', () => {
    const filled = { quantityGrams: 30_000, filledGrams: 20_000, status: 'filled' as const, neededBy: at(1) };
    expect(statusAfterRelease(filled, T0)).toBe('open');
    expect(statusAfterRelease({ ...filled, neededBy: T0 }, T0)).toBe('filled');
    expect(statusAfterRelease({ ...filled, filledGrams: 30_000 }, T0)).toBe('filled');
    expect(statusAfterRelease({ ...filled, status: 'withdrawn' }, T0)).toBe('withdrawn');
  });

  it('says how much is still wanted, never below zero', () => {
    expect(stillWantedGrams({ quantityGrams: 30_000, filledGrams: 10_000 })).toBe(20_000);
    expect(stillWantedGrams({ quantityGrams: 30_000 })).toBe(30_000);
    expect(stillWantedGrams({ quantityGrams: 30_000, filledGrams: 40_000 })).toBe(0);
  });
});
