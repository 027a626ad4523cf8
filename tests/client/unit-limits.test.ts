/**
 * Limits follow the unit the person chose (client/src/state/unit-limits.ts): a maximum of 100 t reads
 * "100吨" to a tonne reader and "200,000斤" to a 斤 reader, never grams; what is shown can be typed back and
 * is accepted; prices are typed and shown to the fen per 斤 or per 公斤.
 */
import {
  readPriceWithin,
  readWeightWithin,
  shownWeightLimit,
  weightProblem,
  weightRangeText,
} from '../../client/src/state/unit-limits';
import { renderMessage } from '../../client/src/state/field-errors';
import { priceInputValue, priceText, readPrice } from '../../client/src/state/market-format';
import type { Message } from '../../client/src/state/message';

const zh = (m: Message | null) => (m ? renderMessage('zh-CN', m) : null);
const en = (m: Message | null) => (m ? renderMessage('en', m) : null);
const T = 1_000_000;

describe('a weight limit in the person’s unit', () => {
  it('a maximum of 100 t is said as 100吨, 200,000斤 or 100,000公斤 — never in grams', () => {
    expect(zh(weightProblem(150 * T, 't', { max: 100 * T }))).toBe('不能超过 100吨');
    expect(en(weightProblem(150 * T, 't', { max: 100 * T }))).toBe('Must be at most 100 t');
    expect(zh(weightProblem(150 * T, 'jin', { max: 100 * T }))).toBe('不能超过 200,000斤');
    expect(zh(weightProblem(150 * T, 'kg', { max: 100 * T }))).toBe('不能超过 100,000公斤');
    expect(weightProblem(100 * T, 't', { max: 100 * T })).toBeNull(); // the limit itself is allowed
  });

  it('without a limit of the lot, the API’s 1,000 t applies: 2,000,001 斤 is refused, 2,000,000 斤 taken', () => {
    const r = readWeightWithin('2000001', 'jin');
    expect(r.ok ? null : zh(r.problem)).toBe('不能超过 2,000,000斤');
    expect(readWeightWithin('2000000', 'jin')).toEqual({ ok: true, grams: 1_000 * T });
    expect(readWeightWithin('1000', 't')).toEqual({ ok: true, grams: 1_000 * T });
  });

  it('a limit that is not a round number is shown as it can be typed: a maximum down, a minimum up', () => {
    // 12,345 g left: 24.69斤 exactly, but 0.012345吨 shows as 0.012吨 (typing that is accepted).
    expect(weightRangeText({ max: 12_345 }, 'jin', 'zh-CN')).toBe('24.69斤');
    expect(shownWeightLimit(12_345, 't', 'max')).toBe(12_000);
    expect(weightRangeText({ max: 12_345 }, 't', 'zh-CN')).toBe('0.012吨');
    expect(readWeightWithin('0.012', 't', { max: 12_345 })).toEqual({ ok: true, grams: 12_000 });
    const over = readWeightWithin('0.0124', 't', { max: 12_345 });
    expect(over.ok ? null : zh(over.problem)).toBe('不能超过 0.012吨');
    // A minimum take of 1,234 g: at least 0.002吨 (rounded up), and typing 0.002 is enough.
    expect(weightRangeText({ min: 1_234, max: 50_000 }, 't', 'zh-CN')).toBe('0.002吨 – 0.05吨');
    const under = readWeightWithin('0.001', 't', { min: 1_234 });
    expect(under.ok ? null : zh(under.problem)).toBe('不能少于 0.002吨');
    expect(readWeightWithin('0.002', 't', { min: 1_234 }).ok).toBe(true);
    expect(weightRangeText({ min: 1_000, max: 50_000 }, 'jin', 'en')).toBe('2 jin – 100 jin');
  });

  it('what is not a weight keeps its own message', () => {
    const r = readWeightWithin('一百', 'jin');
    expect(r.ok ? null : zh(r.problem)).toBe('请输入重量，例如 200 或 1.5');
  });
});

describe('a price limit per 斤 or per 公斤, to the fen', () => {
  it('the API’s ¥100,000/kg is ¥50,000.00/斤 to a 斤 reader; one fen more is refused', () => {
    const over = readPriceWithin('50000.01', 'jin');
    expect(over.ok ? null : zh(over.problem)).toBe('不能超过 ¥50,000.00/斤');
    expect(readPriceWithin('50000', 'jin')).toEqual({ ok: true, fenPerKg: 10_000_000 });
    const overKg = readPriceWithin('100000.01', 'kg');
    expect(overKg.ok ? null : en(overKg.problem)).toBe('Must be at most CN¥100,000.00/kg');
  });

  it('is typed and shown at the same precision: 2 decimals of 元 per unit, a third refused', () => {
    expect(readPrice('6.805', 'jin')).toEqual({ ok: false, error: 'market.error.price' });
    // ¥13.61/kg read per 斤 is 6.805: shown and offered as 6.81, which typed back is ¥13.62/kg.
    expect(priceText(1361, 'zh-CN', 'jin')).toBe('¥6.81/斤');
    expect(priceInputValue(1361, 'jin')).toBe('6.81');
    expect(readPriceWithin(priceInputValue(1361, 'jin'), 'jin')).toEqual({ ok: true, fenPerKg: 1362 });
    expect(priceText(1362, 'zh-CN', 'jin')).toBe('¥6.81/斤');
    expect(priceInputValue(1300, 'kg')).toBe('13');
    expect(priceText(1300, 'zh-CN', 'kg')).toBe('¥13.00/公斤');
  });
});
