import {
  CATALOGUE,
  PRODUCT_CODES,
  findProduct,
  isProductCode,
  listProducts,
  productName,
} from '../../shared/domain/catalogue';
import { checkLotTradable, checkNewLot, checkWithdrawLot, type NewLotInput } from '../../shared/domain/lots';
import {
  atRiskThresholdHours,
  expiresAt,
  hoursLeft,
  isAtRisk,
  isExpired,
  maxExpiresAt,
  urgency,
} from '../../shared/domain/spoilage';
import { T0, aLot, at } from '../fixtures/market';

const shiitake = CATALOGUE.shiitake;

describe('the catalogue', () => {
  it('has about twenty products with unique lowercase codes and names in both languages', () => {
    const products = listProducts();
    expect(products.length).toBeGreaterThanOrEqual(20);
    expect(new Set(products.map((p) => p.code)).size).toBe(products.length);
    for (const p of products) {
      expect(p.code).toMatch(/^[a-z_]+$/);
      expect(p.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(p.nameEn).toMatch(/^[A-Z]/);
      // cold storage never shortens life; every product lasts a few hours at least
      expect(p.shelfLifeHours.cold).toBeGreaterThanOrEqual(p.shelfLifeHours.ambient);
      expect(p.shelfLifeHours.ambient).toBeGreaterThanOrEqual(6);
    }
    expect(PRODUCT_CODES).toEqual(products.map((p) => p.code));
  });

  it('keeps fresh shiitake 4 days cold and 1 day ambient', () => {
    expect(shiitake.shelfLifeHours).toEqual({ cold: 96, ambient: 24 });
    expect(productName(shiitake)).toBe('鲜香菇');
    expect(productName(shiitake, 'en')).toBe('Fresh shiitake');
  });

  it('keeps Gannan navel oranges for weeks and rice for months', () => {
    expect(CATALOGUE.navel_orange.shelfLifeHours.cold).toBeGreaterThan(30 * 24);
    expect(CATALOGUE.rice.shelfLifeHours.ambient).toBeGreaterThan(90 * 24);
  });

  it('finds products by code and nothing else', () => {
    expect(findProduct('enoki')?.nameZh).toBe('金针菇');
    expect(findProduct('truffle')).toBeUndefined();
    expect(findProduct('toString')).toBeUndefined();
    expect(isProductCode('hasOwnProperty')).toBe(false);
  });
});

describe('expiry from harvest, storage and product', () => {
  it('defaults to the shelf life of the storage', () => {
    expect(expiresAt(T0, 'cold', shiitake)).toEqual({ ok: true, expiresAt: at(96) });
    expect(expiresAt(T0, 'ambient', shiitake)).toEqual({ ok: true, expiresAt: at(24) });
  });

  it('lets a farm promise less freshness', () => {
    expect(expiresAt(T0, 'cold', shiitake, at(72))).toEqual({ ok: true, expiresAt: at(72) });
  });

  it('refuses an expiry beyond the profile and says what the limit is', () => {
    const r = expiresAt(T0, 'ambient', shiitake, at(30));
    expect(r).toMatchObject({
      ok: false,
      reason: 'EXPIRY_BEYOND_SHELF_LIFE',
      field: 'expiresAt',
      maxExpiresAt: at(24),
    });
  });

  it('refuses an expiry at or before harvest', () => {
    expect(expiresAt(T0, 'cold', shiitake, T0)).toMatchObject({ ok: false, reason: 'EXPIRY_NOT_AFTER_HARVEST' });
  });

  it('computes the limit the same way for every product', () => {
    for (const p of listProducts())
      expect(maxExpiresAt(T0, 'cold', p).getTime() - T0.getTime()).toBe(p.shelfLifeHours.cold * 3_600_000);
  });
});

describe('hours left, at risk and urgency', () => {
  const expiry = at(96);

  it('counts hours left and never goes negative', () => {
    expect(hoursLeft(expiry, T0)).toBe(96);
    expect(hoursLeft(expiry, at(95.5))).toBe(0.5);
    expect(hoursLeft(expiry, at(100))).toBe(0);
    expect(isExpired(expiry, at(96))).toBe(true);
    expect(isExpired(expiry, at(95.99))).toBe(false);
  });

  it('flags a lot at risk under 48 h, but not once expired', () => {
    expect(isAtRisk(expiry, at(48))).toBe(false);
    expect(isAtRisk(expiry, at(48.01))).toBe(true);
    expect(isAtRisk(expiry, at(96))).toBe(false);
  });

  it('uses half the life as the threshold for short-lived products', () => {
    expect(atRiskThresholdHours(shiitake, 'cold')).toBe(48);
    expect(atRiskThresholdHours(shiitake, 'ambient')).toBe(12);
    expect(atRiskThresholdHours(CATALOGUE.grass_carp, 'cold')).toBe(24);
  });

  it.each([
    [0, 'fresh'],
    [47, 'fresh'],
    [49, 'at_risk'],
    [84.5, 'urgent'],
    [90.5, 'critical'],
    [96, 'expired'],
  ])('a 96 h lot %s h after harvest is %s', (h, level) => {
    expect(urgency(expiry, at(h as number))).toBe(level);
  });

  it('scales urgency with the threshold for short-lived stock', () => {
    const fish = at(48);
    expect(urgency(fish, at(20), 24)).toBe('fresh');
    expect(urgency(fish, at(30), 24)).toBe('at_risk');
    expect(urgency(fish, at(43), 24)).toBe('urgent');
    expect(urgency(fish, at(46), 24)).toBe('critical');
  });
});

describe('a new lot', () => {
  const input = (over: Partial<NewLotInput> = {}): NewLotInput => ({
    productCode: 'shiitake',
    quantityGrams: 2_000_000,
    harvestedAt: at(-2),
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1400,
    ...over,
  });

  it('opens with all its stock and the profile expiry', () => {
    expect(checkNewLot(input(), T0)).toEqual({
      ok: true,
      lot: { expiresAt: at(94), remainingGrams: 2_000_000, status: 'open', minTakeGrams: 1000 },
    });
  });

  it.each<[string, Partial<NewLotInput>, string, string]>([
    ['an unknown product', { productCode: 'truffle' }, 'UNKNOWN_PRODUCT', 'productCode'],
    ['zero grams', { quantityGrams: 0 }, 'INVALID_QUANTITY', 'quantityGrams'],
    ['fractional grams', { quantityGrams: 1.5 }, 'INVALID_QUANTITY', 'quantityGrams'],
    ['a zero reserve', { reservePriceFenPerKg: 0 }, 'INVALID_PRICE', 'reservePriceFenPerKg'],
    ['an ask below reserve', { askPriceFenPerKg: 900 }, 'ASK_BELOW_RESERVE', 'askPriceFenPerKg'],
    ['a harvest tomorrow', { harvestedAt: at(24) }, 'HARVESTED_IN_FUTURE', 'harvestedAt'],
    ['an expiry past the profile', { expiresAt: at(200) }, 'EXPIRY_BEYOND_SHELF_LIFE', 'expiresAt'],
    ['stock that already spoiled', { harvestedAt: at(-30), storage: 'ambient' }, 'LOT_ALREADY_EXPIRED', 'harvestedAt'],
  ])('refuses %s', (_name, over, reason, field) => {
    expect(checkNewLot(input(over), T0)).toMatchObject({ ok: false, reason, field });
  });

  it('tolerates a phone clock a few minutes fast', () => {
    expect(checkNewLot(input({ harvestedAt: at(0.1) }), T0).ok).toBe(true);
  });

  it('is tradable while open and unexpired', () => {
    expect(checkLotTradable(aLot(), T0)).toEqual({ ok: true });
    expect(checkLotTradable(aLot(), at(96))).toMatchObject({ ok: false, reason: 'LOT_EXPIRED' });
    expect(checkLotTradable(aLot({ status: 'sold_out' }), T0)).toMatchObject({ ok: false, reason: 'LOT_NOT_OPEN' });
    expect(checkLotTradable(aLot({ status: 'expired' }), T0)).toMatchObject({ ok: false, reason: 'LOT_EXPIRED' });
  });

  it('can be withdrawn once', () => {
    expect(checkWithdrawLot(aLot())).toEqual({ ok: true });
    expect(checkWithdrawLot(aLot({ status: 'withdrawn' }))).toMatchObject({ ok: false, reason: 'LOT_NOT_OPEN' });
  });
});
