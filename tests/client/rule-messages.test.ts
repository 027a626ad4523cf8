/**
 * Cross-field rules and rule refusals come back from the server in English (a zod refine's message, a 422's
 * message beside its code); the person reads them in their own language at the field: every rule the
 * market and programme forms can meet has zh-CN and en words (client/src/state/field-errors.ts).
 */
import type { z } from 'zod';
import { counterOfferBody, createStandingOrderBody, listLotsQuery } from '../../shared/schemas/market';
import { createCampaignBody, createPairingBody } from '../../shared/schemas/programme';
import { errorBodyOf, invalidIssues, type Failure } from '../../shared/failures';
import { checkNewLot } from '../../shared/domain/lots';
import { checkNewDemand } from '../../shared/domain/demand';
import { refusedBy } from '../../server/features/market/kernel/market.failures';
import { failureFromBody, type ApiFailure } from '../../client/src/state/api-result';
import {
  CAMPAIGN_FORM_PATHS,
  fieldWords,
  LOT_FORM_PATHS,
  placeFieldErrors,
  renderMessage,
  serverFieldMessage,
  type FieldPaths,
} from '../../client/src/state/field-errors';
import type { Locale } from '../../client/src/i18n';

const NOW = new Date('2026-12-03T08:00:00+08:00');
const asClientSees = (status: number, failure: Failure): ApiFailure =>
  failureFromBody(status, { error: errorBodyOf(failure) });
function refusal(schema: z.ZodType, body: unknown): ApiFailure {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('expected the schema to refuse the body');
  return asClientSees(400, invalidIssues(parsed.error.issues, body));
}
const worded = (error: ApiFailure, path: string, locale: Locale) =>
  renderMessage(locale, serverFieldMessage(error, path));
const placed = (error: ApiFailure, paths: FieldPaths, locale: Locale) =>
  placeFieldErrors(
    error,
    paths,
    fieldWords(error, (m) => renderMessage(locale, m)),
  ).fields;

describe('cross-field rules of the shared schemas (400, a refine in English)', () => {
  it('a campaign ending before it starts is red at its end, in Chinese and in English', () => {
    const error = refusal(createCampaignBody, {
      name: '春节消费帮扶',
      startsAt: '2026-12-10T00:00:00+08:00',
      endsAt: '2026-12-01T00:00:00+08:00',
    });
    expect(error.fields.endsAt).toBe('must be after startsAt'); // what the server says, for API users
    expect(placed(error, CAMPAIGN_FORM_PATHS, 'zh-CN')).toEqual({ endsAt: '结束时间须晚于开始时间' });
    expect(placed(error, CAMPAIGN_FORM_PATHS, 'en')).toEqual({ endsAt: 'Must end after it starts' });
  });

  it('a pairing with neither farm nor village, a counter that changes nothing, repeated weekdays, a lone latitude', () => {
    const pairing = refusal(createPairingBody, {
      enterpriseOrgId: 'a'.repeat(24),
      startsAt: '2026-12-01T00:00:00+08:00',
      endsAt: '2026-12-31T00:00:00+08:00',
    });
    const pairingPath = Object.keys(pairing.fields).find((p) => pairing.fields[p] === 'name a farm or a village');
    expect(pairingPath).toBeDefined();
    expect(worded(pairing, pairingPath ?? '', 'zh-CN')).toBe('请选择一个农场或一个村');

    const counter = refusal(counterOfferBody, {});
    expect(worded(counter, '(body)', 'zh-CN')).toBe('还价至少要改数量、价格或有效期中的一项');
    expect(worded(counter, '(body)', 'en')).toBe('A counter changes the quantity, the price or the validity');

    const weekdays = refusal(createStandingOrderBody, {
      productCode: 'shiitake',
      gramsPerOccurrence: 50_000,
      weekdays: [2, 2],
      priceFenPerKg: 1200,
      startDate: '2026-12-04',
    });
    expect(worded(weekdays, 'weekdays', 'zh-CN')).toBe('星期有重复');

    const lat = refusal(listLotsQuery, { sort: 'distance', lat: '28.6' });
    expect(worded(lat, 'lng', 'zh-CN')).toBe('纬度和经度须一起填写');
  });
});

describe('rule refusals (422: a code and an English message naming the field)', () => {
  it('an asking price below the lowest price is red at 要价, in the person’s language', () => {
    const checked = checkNewLot(
      {
        productCode: 'shiitake',
        quantityGrams: 50_000,
        harvestedAt: new Date(NOW.getTime() - 3_600_000),
        storage: 'cold',
        reservePriceFenPerKg: 1400,
        askPriceFenPerKg: 1200,
      },
      NOW,
    );
    if (checked.ok) throw new Error('expected ASK_BELOW_RESERVE');
    const error = asClientSees(422, refusedBy(checked).error);
    expect(error.code).toBe('ASK_BELOW_RESERVE');
    expect(placed(error, LOT_FORM_PATHS, 'zh-CN')).toEqual({ ask: '要价不能低于最低价' });
    expect(placed(error, LOT_FORM_PATHS, 'en')).toEqual({ ask: 'The asking price may not be below the lowest price' });
  });

  it('a delivery window that closes before it opens is red at its earliest time', () => {
    const checked = checkNewDemand(
      {
        productCode: 'shiitake',
        quantityGrams: 30_000,
        maxPriceFenPerKg: 1500,
        neededBy: new Date('2026-12-04T08:00:00+08:00'),
        deliverFrom: new Date('2026-12-04T10:00:00+08:00'),
      },
      NOW,
    );
    if (checked.ok) throw new Error('expected WINDOW_ENDS_BEFORE_START');
    const error = asClientSees(422, refusedBy(checked).error);
    expect(worded(error, 'deliverFrom', 'zh-CN')).toBe('最早送达时间须早于最晚送达时间');
    expect(worded(error, 'deliverFrom', 'en')).toBe('The earliest delivery must be before the latest');
  });

  it('a rule we have no words for yet still shows the server’s own message, never a blank', () => {
    const error = asClientSees(422, {
      reason: 'RULE_BROKEN',
      code: 'SOMETHING_NEW',
      message: 'A new rule',
      fields: { quantityGrams: 'A new rule' },
    } as unknown as Failure);
    expect(worded(error, 'quantityGrams', 'zh-CN')).toBe('A new rule');
  });
});
