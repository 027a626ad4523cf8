import {
  acceptOfferBody,
  clockSetupBody,
  counterOfferBody,
  createBidBody,
  createLotBody,
  createStandingOrderBody,
  deliverOrderBody,
  idempotencyKey,
  listLotsQuery,
} from '../../shared/schemas/market';

const lot = {
  productCode: 'shiitake',
  quantityGrams: 2_000_000,
  harvestedAt: '2026-11-26T06:00:00+08:00',
  storage: 'cold',
  reservePriceFenPerKg: 1000,
  askPriceFenPerKg: 1400,
};

const firstIssue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.error?.issues[0];

describe('market request bodies', () => {
  it('parses a lot and turns instants into Dates', () => {
    const r = createLotBody.parse({ ...lot, grade: '一级', pickup: { name: '南昌县冷库', address: '南昌县' } });
    expect(r.harvestedAt).toEqual(new Date('2026-11-25T22:00:00Z'));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown product', { productCode: 'truffle' }, 'productCode'],
    ['fractional grams', { quantityGrams: 10.5 }, 'quantityGrams'],
    ['grams as a string', { quantityGrams: '100' }, 'quantityGrams'],
    ['a storage of "frozen"', { storage: 'frozen' }, 'storage'],
    ['a date without an offset', { harvestedAt: '2026-11-26 06:00' }, 'harvestedAt'],
    ['a zero reserve', { reservePriceFenPerKg: 0 }, 'reservePriceFenPerKg'],
    ['a misspelt field', { quantityKg: 5 }, ''],
  ])('names the field for %s', (_name, over, field) => {
    const r = createLotBody.safeParse({ ...lot, ...over });
    expect(r.success).toBe(false);
    expect(firstIssue(r)?.path.join('.')).toBe(field);
  });

  it('parses bids, accepts and counters', () => {
    expect(createBidBody.parse({ quantityGrams: 50_000, priceFenPerKg: 1200 })).toEqual({
      quantityGrams: 50_000,
      priceFenPerKg: 1200,
    });
    expect(acceptOfferBody.parse({})).toEqual({});
    expect(acceptOfferBody.safeParse({ quantityGrams: 0 }).success).toBe(false);
    expect(counterOfferBody.safeParse({}).success).toBe(false);
    expect(counterOfferBody.parse({ priceFenPerKg: 1300 })).toEqual({ priceFenPerKg: 1300 });
  });

  it('checks the idempotency key', () => {
    expect(idempotencyKey.safeParse('accept-7f3a9c').success).toBe(true);
    expect(idempotencyKey.safeParse('short').success).toBe(false);
    expect(idempotencyKey.safeParse('has spaces in it').success).toBe(false);
  });

  it('parses a standing order with a default delivery time and refuses repeated weekdays', () => {
    const body = {
      productCode: 'shiitake',
      gramsPerOccurrence: 50_000,
      weekdays: [2, 5],
      priceFenPerKg: 1200,
      startDate: '2026-11-27',
      tolerance: { extraPercent: 20, discountPercent: 10 },
    };
    expect(createStandingOrderBody.parse(body).deliverBy).toBe('10:00');
    expect(createStandingOrderBody.safeParse({ ...body, weekdays: [2, 2] }).success).toBe(false);
    expect(createStandingOrderBody.safeParse({ ...body, startDate: '27/11/2026' }).success).toBe(false);
  });

  it('parses query strings for lot listings', () => {
    expect(listLotsQuery.parse({ productCode: 'enoki', status: 'open', atRisk: 'true', limit: '20' })).toEqual({
      productCode: 'enoki',
      status: 'open',
      atRisk: true,
      sort: 'expiry',
      limit: 20,
    });
    expect(listLotsQuery.parse({}).limit).toBe(50);
  });

  it('parses clock setup and deliveries', () => {
    expect(clockSetupBody.safeParse({ startPriceFenPerKg: 1600, floorHoursBeforeExpiry: 4 }).success).toBe(true);
    expect(deliverOrderBody.parse({ deliveredGrams: 0 })).toEqual({ deliveredGrams: 0 });
    expect(deliverOrderBody.safeParse({ deliveredGrams: -1 }).success).toBe(false);
  });
});
