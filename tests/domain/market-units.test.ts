import {
  applyPercent,
  fenPerJinToFenPerKg,
  fenPerKgToFenPerJin,
  formatPrice,
  formatWeight,
  formatYuan,
  parsePricePerWeight,
  parseWeight,
  parseYuan,
  totalFen,
} from '../../shared/domain/units';

describe('parsing weights as people type them', () => {
  it.each([
    ['100斤', 50_000],
    ['100 斤', 50_000],
    ['1.5斤', 750],
    ['50kg', 50_000],
    ['50 KG', 50_000],
    ['50公斤', 50_000],
    ['50千克', 50_000],
    ['2.5吨', 2_500_000],
    ['2.5 t', 2_500_000],
    ['1,200 g', 1_200],
    ['500克', 500],
    ['５０公斤', 50_000],
    ['.5kg', 500],
    ['0.001 kg', 1],
  ])('"%s" is %i g', (input, grams) => {
    expect(parseWeight(input)).toEqual({ ok: true, grams });
  });

  it('reads a bare number in the default unit', () => {
    expect(parseWeight('12')).toEqual({ ok: true, grams: 12_000 });
    expect(parseWeight('12', 'jin')).toEqual({ ok: true, grams: 6_000 });
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['abc', 'NOT_A_NUMBER'],
    ['-5kg', 'NOT_A_NUMBER'],
    ['5 pounds', 'UNKNOWN_UNIT'],
    ['5两', 'UNKNOWN_UNIT'],
    ['1.0005kg', 'TOO_PRECISE'],
    ['0.0001斤', 'TOO_PRECISE'],
    ['99999999999999吨', 'TOO_LARGE'],
  ])('refuses "%s" with %s', (input, reason) => {
    const r = parseWeight(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });
});

describe('money in fen', () => {
  it.each([
    ['12.5', 1250],
    ['12.50元', 1250],
    ['¥12.50', 1250],
    ['￥8', 800],
    ['RMB 3.2', 320],
    ['0.01', 1],
    ['1,234.56 元', 123_456],
  ])('"%s" is %i fen', (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen });
  });

  it("refuses more than two decimals rather than rounding someone's price", () => {
    expect(parseYuan('1.005')).toMatchObject({ ok: false, reason: 'TOO_PRECISE' });
    expect(parseYuan('元')).toMatchObject({ ok: false, reason: 'EMPTY' });
    expect(parseYuan('twelve')).toMatchObject({ ok: false, reason: 'NOT_A_NUMBER' });
  });

  it('formats zh-CN first, English second', () => {
    expect(formatYuan(1250)).toBe('¥12.50');
    expect(formatYuan(1250, 'en')).toBe('CN¥12.50');
    expect(formatYuan(123_456_78)).toBe('¥123,456.78');
  });
});

describe('prices per kg and per 斤', () => {
  it('per 斤 to per kg is exact (a 斤 is half a kg)', () => {
    expect(fenPerJinToFenPerKg(650)).toBe(1300);
  });

  it('per kg to per 斤 halves, rounding an odd fen half up', () => {
    expect(fenPerKgToFenPerJin(1300)).toBe(650);
    expect(fenPerKgToFenPerJin(1301)).toBe(651);
    expect(fenPerKgToFenPerJin(1)).toBe(1);
  });

  it.each([
    ['6.5元/斤', 1300],
    ['13 元/公斤', 1300],
    ['¥13/kg', 1300],
    ['13', 1300],
  ])('"%s" is %i fen/kg', (input, fenPerKg) => {
    expect(parsePricePerWeight(input)).toEqual({ ok: true, fenPerKg });
  });

  it('refuses a price per tonne or per something unknown', () => {
    expect(parsePricePerWeight('3000元/吨')).toMatchObject({ ok: false, reason: 'UNKNOWN_UNIT' });
    expect(parsePricePerWeight('3元/个')).toMatchObject({ ok: false, reason: 'UNKNOWN_UNIT' });
  });

  it('formats a price per kg or per 斤', () => {
    expect(formatPrice(1300)).toBe('¥13.00/公斤');
    expect(formatPrice(1300, 'zh-CN', 'jin')).toBe('¥6.50/斤');
    // 479 fen/kg is 239.5 fen per 斤: shown exactly, so 40斤 × ¥2.395/斤 = ¥95.80 adds up
    expect(formatPrice(479, 'zh-CN', 'jin')).toBe('¥2.395/斤');
    expect(formatPrice(479, 'zh-CN', 'kg')).toBe('¥4.79/公斤');
    expect(formatPrice(1300, 'en')).toBe('CN¥13.00/kg');
  });
});

describe('totalFen: grams × fen/kg, rounded half up to the fen', () => {
  it.each([
    [50_000, 1200, 60_000], // 50 kg at ¥12/kg = ¥600
    [1, 1200, 1], // 1.2 fen → 1
    [1, 1500, 2], // 1.5 fen → 2 (half up)
    [1, 1499, 1], // 1.499 fen → 1
    [333, 1000, 333],
    [2_500_000, 850, 2_125_000], // 2.5 t at ¥8.50/kg = ¥21 250
    [0, 1200, 0],
  ])('%i g at %i fen/kg is %i fen', (g, price, fen) => {
    expect(totalFen(g, price)).toBe(fen);
  });

  it('stays exact for a very large order', () => {
    // 1 000 t at ¥100 000/kg = 10^16 fen > 2^53 intermediate; the result is exact
    expect(totalFen(1_000_000_000, 10_000_000)).toBe(10_000_000_000_000);
  });

  it('treats fractional or negative inputs as a programming error', () => {
    expect(() => totalFen(1.5, 100)).toThrow(RangeError);
    expect(() => totalFen(-1, 100)).toThrow(RangeError);
  });

  it('applies a percent discount rounded half up', () => {
    expect(applyPercent(1000, -10)).toBe(900);
    expect(applyPercent(1235, -10)).toBe(1112); // 1111.5 → 1112
    expect(applyPercent(999, 0)).toBe(999);
  });
});

describe('formatting weights', () => {
  it('picks tonnes, kilograms or grams in zh-CN', () => {
    expect(formatWeight(2_500_000)).toBe('2.5吨');
    expect(formatWeight(50_000)).toBe('50公斤');
    expect(formatWeight(750)).toBe('750克');
  });

  it('formats 斤 on request and English with a space', () => {
    expect(formatWeight(50_000, 'zh-CN', 'jin')).toBe('100斤');
    expect(formatWeight(2_500_000, 'en')).toBe('2.5 t');
    expect(formatWeight(1_234_567, 'en', 'kg')).toBe('1,234.567 kg');
  });
});
