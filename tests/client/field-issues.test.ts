/**
 * The server's field issues said in the person's language and units: the real shared schemas refuse a body,
 * the server's conversion (shared/failures.ts) makes the wire body, the client reads it and words it.
 */
import { z } from 'zod';
import { clockSetupBody, createBidBody, createLotBody, editOrderDeliveryBody } from '../../shared/schemas/market';
import { errorBodyOf, fieldIssueOf, invalidIssues } from '../../shared/failures';
import { failureFromBody, type ApiFailure } from '../../client/src/state/api-result';
import {
  BID_FORM_PATHS,
  fieldWords,
  issueMessage,
  LOT_FORM_PATHS,
  placeFieldErrors,
  renderMessage,
  serverFieldMessage,
  type IssueUnits,
} from '../../client/src/state/field-errors';
import { DELIVERY_EDIT_PATHS } from '../../client/src/state/delivery-edit';
import type { Locale } from '../../client/src/i18n';
import type { Message } from '../../client/src/state/message';

/** What the client receives when `schema` refuses `body` on the server. */
function refusal(schema: z.ZodType, body: unknown): ApiFailure {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('expected the schema to refuse the body');
  return failureFromBody(400, { error: { ...errorBodyOf(invalidIssues(parsed.error.issues, body)), requestId: 'r1' } });
}

const say = (locale: Locale) => (m: Message) => renderMessage(locale, m);
const enKg: IssueUnits = { locale: 'en', unit: 'kg' };

const aLot = (patch: Record<string, unknown> = {}) => ({
  productCode: 'napa_cabbage',
  quantityGrams: 250_000,
  harvestedAt: '2026-12-02T06:00:00+08:00',
  storage: 'cold',
  reservePriceFenPerKg: 400,
  askPriceFenPerKg: 600,
  ...patch,
});

describe('the server names what is wrong with each field, machine-readably', () => {
  it('when a lot of 10,000 t is posted, then quantityGrams carries too_big with the limit in grams, and the English message stays', () => {
    const error = refusal(createLotBody, aLot({ quantityGrams: 10_000_000_000 }));
    expect(error.fieldIssues?.quantityGrams).toEqual({
      code: 'too_big',
      maximum: 1_000_000_000,
      inclusive: true,
      origin: 'number',
    });
    expect(error.fields.quantityGrams).toContain('at most');
  });

  it('a missing field is "required", a string where a number belongs is invalid_type, a fraction of a gram not_integer', () => {
    const error = refusal(createBidBody, { quantityGrams: 1.5, priceFenPerKg: 'cheap' });
    expect(error.fieldIssues?.quantityGrams?.code).toBe('not_integer');
    expect(error.fieldIssues?.priceFenPerKg).toMatchObject({ code: 'invalid_type', expected: 'number' });
    const missing = refusal(createLotBody, aLot({ storage: undefined }));
    expect(missing.fieldIssues?.storage).toEqual({ code: 'required' });
  });

  it('never echoes the refused input back, and tells a value of the wrong type from a missing one', () => {
    const issue = fieldIssueOf(
      { path: ['x'], message: 'bad', code: 'invalid_type', expected: 'number' },
      { x: 'secret' },
    );
    expect(issue).toEqual({ code: 'invalid_type', expected: 'number' });
    expect(fieldIssueOf({ path: ['x'], message: 'bad', code: 'invalid_type', expected: 'number' }, {})).toEqual({
      code: 'required',
    });
  });

  it('an older server without fieldIssues still shows its own message at the field', () => {
    const error = failureFromBody(400, {
      error: { code: 'VALIDATION', message: 'x', fields: { quantityGrams: 'too much' } },
    });
    expect(error.fieldIssues).toBeUndefined();
    expect(say('zh-CN')(serverFieldMessage(error, 'quantityGrams', 'jin'))).toBe('too much');
  });

  it('malformed fieldIssues from a foreign server are left out rather than trusted', () => {
    const error = failureFromBody(400, {
      error: {
        code: 'VALIDATION',
        message: 'x',
        fields: { a: 'm' },
        fieldIssues: { a: { code: 'drop_tables' }, b: 'x' },
      },
    });
    expect(error.fieldIssues).toBeUndefined();
  });
});

describe('the field error in the person language, the limit in their unit', () => {
  it('when a farm posts 10,000 t in 斤, then the quantity field says, in Chinese, at most 2,000,000 斤', () => {
    const error = refusal(createLotBody, aLot({ quantityGrams: 10_000_000_000 }));
    const placed = placeFieldErrors(error, LOT_FORM_PATHS, fieldWords(error, say('zh-CN'), 'jin'));
    expect(placed.fields.quantity).toMatch(/^不能超过 2,000,000(\.000)?斤$/);
  });

  it('the same refusal for an English reader in kg says "Must be at most 1,000,000 kg"', () => {
    const error = refusal(createLotBody, aLot({ quantityGrams: 10_000_000_000 }));
    const placed = placeFieldErrors(error, LOT_FORM_PATHS, fieldWords(error, say('en'), 'kg'));
    expect(placed.fields.quantity).toMatch(/^Must be at most 1,000,000(\.000)? kg$/);
  });

  it('a ¥10⁹ bid price is shown as the highest price per 斤 in 元', () => {
    const error = refusal(createBidBody, { quantityGrams: 5000, priceFenPerKg: 100_000_000_000 });
    const placed = placeFieldErrors(error, BID_FORM_PATHS, fieldWords(error, say('zh-CN'), 'jin'));
    expect(placed.fields.price).toBe('不能超过 ¥50,000.00/斤');
  });

  it('a clock start price of 0 says it must be more than ¥0.00 (the limit itself is refused)', () => {
    const error = refusal(clockSetupBody, { startPriceFenPerKg: 0, floorHoursBeforeExpiry: 2 });
    expect(say('zh-CN')(serverFieldMessage(error, 'startPriceFenPerKg', 'jin'))).toBe('须大于 ¥0.00/斤');
    expect(say('en')(serverFieldMessage(error, 'startPriceFenPerKg', 'kg'))).toBe('Must be more than CN¥0.00/kg');
  });

  it('an address too long counts characters, not money or weight', () => {
    const error = refusal(editOrderDeliveryBody, { address: 'x'.repeat(201) });
    const placed = placeFieldErrors(error, DELIVERY_EDIT_PATHS, fieldWords(error, say('zh-CN'), 'jin'));
    expect(placed.fields.address).toBe('最多 200 个字');
    expect(say('en')(serverFieldMessage(error, 'address', 'kg'))).toBe('At most 200 characters');
  });

  it('money limits (…Fen) are shown in 元, plain numbers as numbers', () => {
    expect(
      say('zh-CN')(issueMessage('targetValueFen', { code: 'too_big', maximum: 100_000_000_00, inclusive: true })),
    ).toBe('不能超过 ¥100,000,000.00');
    expect(
      say('en')(issueMessage('floorHoursBeforeExpiry', { code: 'too_big', maximum: 8760, inclusive: true }, enKg)),
    ).toBe('Must be at most 8,760');
  });

  it('every issue code has words in both dictionaries, and they differ (zh-CN is not English)', () => {
    const codes = ['required', 'invalid_type', 'not_integer', 'invalid_format', 'invalid_value', 'invalid'] as const;
    for (const code of codes) {
      const m = issueMessage('x', { code });
      expect(say('zh-CN')(m)).not.toEqual(say('en')(m));
      expect(say('zh-CN')(m)).not.toMatch(/fieldIssue\./);
      expect(say('en')(m)).not.toMatch(/fieldIssue\./);
    }
  });
});
