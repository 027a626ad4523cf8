/**
 * Every server-validated form places the server's refusal at its own input, in the person's words: the real
 * shared schema refuses the body each form sends, the server's conversion makes the wire body, and the form's
 * path table puts each problem at an input (none left only in the general message).
 */
import type { z } from 'zod';
import {
  clockSetupBody,
  confirmProposalBody,
  counterOfferBody,
  createDemandBody,
  createSellOfferBody,
  createStandingOrderBody,
  cancelOrderBody,
  declineOrderBody,
  deliverOrderBody,
  disputeOrderBody,
  editOrderDeliveryBody,
} from '../../shared/schemas/market';
import { createCampaignBody } from '../../shared/schemas/programme';
import { errorBodyOf, invalidIssues } from '../../shared/failures';
import { failureFromBody, type ApiFailure } from '../../client/src/state/api-result';
import {
  CAMPAIGN_FORM_PATHS,
  CLOCK_FORM_PATHS,
  fieldWords,
  OFFER_ROW_PATHS,
  ORDER_ACTION_PATHS,
  placeFieldErrors,
  PROPOSAL_PATHS,
  renderMessage,
  type FieldPaths,
} from '../../client/src/state/field-errors';
import {
  DEMAND_FIELDS,
  placeFieldErrors as placeDemandErrors,
  SELL_OFFER_FIELDS,
  STANDING_FIELDS,
} from '../../client/src/state/demand-forms';
import { DELIVERY_EDIT_PATHS, deliveryEditInput, readDeliveryEdit } from '../../client/src/state/delivery-edit';
import type { Locale } from '../../client/src/i18n';
import type { DisplayUnit } from '../../client/src/state/market-format';
import type { Message } from '../../client/src/state/message';

function refusal(schema: z.ZodType, body: unknown): ApiFailure {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('expected the schema to refuse the body');
  return failureFromBody(400, { error: errorBodyOf(invalidIssues(parsed.error.issues, body)) });
}
const say = (locale: Locale) => (m: Message) => renderMessage(locale, m);
const place = (
  schema: z.ZodType,
  body: unknown,
  paths: FieldPaths,
  unit: DisplayUnit = 'jin',
  locale: Locale = 'zh-CN',
) => {
  const error = refusal(schema, body);
  return placeFieldErrors(error, paths, fieldWords(error, say(locale), unit));
};

const HUGE_PRICE = 100_000_000_000; // ¥10⁹ per kg
const HUGE_GRAMS = 10_000_000_000; // 10,000 t

describe('inline market forms', () => {
  it('clock setup: a ¥10⁹ start price is red at the start price input, in Chinese, per 斤', () => {
    const placed = place(
      clockSetupBody,
      { startPriceFenPerKg: HUGE_PRICE, floorHoursBeforeExpiry: 2 },
      CLOCK_FORM_PATHS,
    );
    expect(placed).toEqual({ fields: { start: '不能超过 ¥50,000.00/斤' }, unplaced: [] });
  });

  it('clock setup: a year and a day of hours is red at the hours input', () => {
    const placed = place(clockSetupBody, { startPriceFenPerKg: 1000, floorHoursBeforeExpiry: 9000 }, CLOCK_FORM_PATHS);
    expect(placed.fields).toEqual({ hours: '不能超过 8,760' });
  });

  it('counter-offer: an absurd price and quantity land at their own inputs, in English in kg', () => {
    const placed = place(
      counterOfferBody,
      { priceFenPerKg: HUGE_PRICE, quantityGrams: HUGE_GRAMS },
      OFFER_ROW_PATHS,
      'kg',
      'en',
    );
    expect(placed.fields).toEqual({
      price: 'Must be at most CN¥100,000.00/kg',
      quantity: 'Must be at most 1,000,000 kg',
    });
  });

  it('proposed order: a quantity of 10,000 t and an empty decline reason are at their fields', () => {
    expect(place(confirmProposalBody, { lotId: 'l1', quantityGrams: HUGE_GRAMS }, PROPOSAL_PATHS, 't').fields).toEqual({
      quantityGrams: '不能超过 1,000吨',
    });
    expect(place(declineOrderBody, { reason: '' }, PROPOSAL_PATHS).fields).toEqual({ reason: '必填' });
  });

  it('order card: a delivered quantity of 10,000 t, an empty cancel reason and a too-long dispute note are at their inputs', () => {
    expect(place(deliverOrderBody, { deliveredGrams: HUGE_GRAMS }, ORDER_ACTION_PATHS, 'jin').fields).toEqual({
      received: '不能超过 2,000,000斤',
    });
    expect(place(deliverOrderBody, { deliveredGrams: 1.5 }, ORDER_ACTION_PATHS).fields).toEqual({
      received: '须为整数',
    });
    expect(place(cancelOrderBody, { reason: '' }, ORDER_ACTION_PATHS)).toEqual({
      fields: { reason: '必填' },
      unplaced: [],
    });
    expect(place(disputeOrderBody, { note: 'x'.repeat(2001) }, ORDER_ACTION_PATHS, 'jin', 'en')).toEqual({
      fields: { note: 'At most 2000 characters' },
      unplaced: [],
    });
  });

  it('delivery edit: an address of 201 characters and a slot without an end show at address and end time', () => {
    const placed = place(
      editOrderDeliveryBody,
      { address: 'x'.repeat(201), slot: { from: '2026-12-03T08:00:00+08:00' } },
      DELIVERY_EDIT_PATHS,
    );
    expect(placed).toEqual({ fields: { address: '最多 200 个字', to: '必填' }, unplaced: [] });
  });
});

describe('the new-campaign form', () => {
  it('a target of 10,000 t is red at the kg input, the end before the start at the end', () => {
    const placed = place(
      createCampaignBody,
      {
        name: '春节消费帮扶',
        startsAt: '2026-12-10T00:00:00+08:00',
        endsAt: '2026-12-01T00:00:00+08:00',
        targetGrams: HUGE_GRAMS,
      },
      CAMPAIGN_FORM_PATHS,
      'kg',
    );
    expect(Object.keys(placed.fields).sort()).toEqual(['endsAt', 'targetKg']);
    expect(placed.fields.targetKg).toBe('不能超过 1,000,000公斤');
    expect(placed.fields.endsAt).toBe('结束时间须晚于开始时间'); // a cross-field rule in the person's words
    expect(placed.unplaced).toEqual([]);
  });
});

describe('demand, standing order and sell offer forms (their own field tables)', () => {
  const words = (error: ApiFailure, map: Parameters<typeof placeDemandErrors>[1], unit: DisplayUnit = 'jin') =>
    Object.fromEntries(
      Object.entries(placeDemandErrors(error, map, unit).fields).map(([k, m]) => [k, say('zh-CN')(m)]),
    );

  it('a demand of 10,000 t at ¥10⁹ names the limits at quantity and max price', () => {
    const error = refusal(createDemandBody, {
      productCode: 'shiitake',
      quantityGrams: HUGE_GRAMS,
      maxPriceFenPerKg: HUGE_PRICE,
      neededBy: '2026-12-03T10:00:00+08:00',
      deliveryRequired: false,
    });
    expect(words(error, DEMAND_FIELDS)).toEqual({
      quantity: '不能超过 2,000,000斤',
      maxPrice: '不能超过 ¥50,000.00/斤',
    });
  });

  it('a standing order of 10,000 t each time is red at its quantity, in tonnes for a tonne reader', () => {
    const error = refusal(createStandingOrderBody, {
      sellerOrgId: '0123456789abcdef01234567',
      productCode: 'shiitake',
      gramsPerOccurrence: HUGE_GRAMS,
      weekdays: [1],
      priceFenPerKg: 1000,
      startDate: '2026-12-03',
      deliverBy: '10:00',
    });
    expect(words(error, STANDING_FIELDS, 't')).toEqual({ quantity: '不能超过 1,000吨' });
  });

  it('a sell offer at ¥10⁹ is red at its price', () => {
    const error = refusal(createSellOfferBody, { lotId: 'l1', quantityGrams: 1000, priceFenPerKg: HUGE_PRICE });
    expect(words(error, SELL_OFFER_FIELDS)).toEqual({ price: '不能超过 ¥50,000.00/斤' });
  });
});

describe('reading the delivery edit form', () => {
  const order = {
    delivery: { mode: 'delivery' as const, address: '红谷滩区红谷中大道 1368 号' },
    slot: { from: '2026-12-03T00:00:00.000Z', to: '2026-12-03T02:00:00.000Z' },
  };

  it('starts from the order as it is, in Shanghai time', () => {
    expect(deliveryEditInput(order)).toEqual({
      mode: 'delivery',
      address: '红谷滩区红谷中大道 1368 号',
      date: '2026-12-03',
      from: '08:00',
      to: '10:00',
    });
  });

  it('reads a pickup with a new slot as the API body (instants in UTC)', () => {
    const r = readDeliveryEdit({
      mode: 'pickup',
      address: ' 合作社冷库 ',
      date: '2026-12-04',
      from: '07:30',
      to: '09:00',
    });
    expect(r).toEqual({
      ok: true,
      body: {
        mode: 'pickup',
        address: '合作社冷库',
        slot: { from: '2026-12-03T23:30:00.000Z', to: '2026-12-04T01:00:00.000Z' },
      },
    });
  });

  it('refuses an empty address and a slot ending before it starts, each at its field', () => {
    const r = readDeliveryEdit({ mode: 'delivery', address: '  ', date: '2026-12-04', from: '10:00', to: '09:00' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fields).sort()).toEqual(['address', 'to']);
  });

  it('leaves the slot alone when no day or time is given', () => {
    expect(readDeliveryEdit({ mode: 'delivery', address: '食堂后门', date: '', from: '', to: '' })).toEqual({
      ok: true,
      body: { mode: 'delivery', address: '食堂后门' },
    });
  });
});
