import { createBidBody, createLotBody } from '../../shared/schemas/market';
import { issuesToFields } from '../../shared/failures';
import { failureFromBody, type ApiFailure } from '../../client/src/state/api-result';
import { BID_FORM_PATHS, LOT_FORM_PATHS, placeFieldErrors, withoutField } from '../../client/src/state/field-errors';
import { readGrams, readLotForm, readPrice, type LotFormInput } from '../../client/src/state/market-format';

/** What POST /api/lots answers for a body the client form let through: the server's own schema and mapping. */
function serverRefusal(body: unknown, schema: typeof createLotBody | typeof createBidBody = createLotBody): ApiFailure {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('expected the server schema to refuse the body');
  return failureFromBody(400, {
    error: { code: 'VALIDATION', message: 'invalid', fields: issuesToFields(parsed.error.issues) },
  });
}

const aLotForm = (patch: Partial<LotFormInput> = {}): LotFormInput => ({
  productCode: 'napa_cabbage',
  quantity: '500',
  unit: 'jin',
  harvestedAt: '2026-12-02T06:00',
  storage: 'cold',
  reserve: '2',
  ask: '3',
  priceUnit: 'jin',
  ...patch,
});

function postThroughServer(input: LotFormInput) {
  const read = readLotForm(input);
  if (!read.ok) throw new Error(`the form itself refused: ${JSON.stringify(read.fields)}`);
  return placeFieldErrors(serverRefusal(read.body), LOT_FORM_PATHS);
}

describe('server field errors on the lot posting form', () => {
  it('when a farm posts 10,000 t, then the quantity field carries the server message', () => {
    const placed = postThroughServer(aLotForm({ quantity: '10000', unit: 't' }));
    expect(Object.keys(placed.fields)).toEqual(['quantity']);
    expect(placed.fields.quantity).toContain('at most');
    expect(placed.unplaced).toEqual([]);
  });

  it('when the ask is ¥10⁹ per 斤, then the ask field is red, not only the form', () => {
    const placed = postThroughServer(aLotForm({ ask: '1000000000', reserve: '2' }));
    expect(Object.keys(placed.fields)).toEqual(['ask']);
    expect(placed.fields.ask).toContain('at most');
  });

  it('when both prices and the minimum take are absurd, then each lands at its own field', () => {
    const placed = postThroughServer(aLotForm({ ask: '1000000000', reserve: '999999999', minTake: '100000' }));
    expect(Object.keys(placed.fields).sort()).toEqual(['ask', 'minTakeGrams', 'reserve']);
  });

  it('every field the form sends has a place to show its server error', () => {
    const read = readLotForm(aLotForm({ minTake: '10' }));
    if (!read.ok) throw new Error('valid form expected');
    for (const path of Object.keys(read.body)) {
      if (path === 'storage') continue; // chosen from two radio buttons: the server cannot refuse either
      expect(LOT_FORM_PATHS[path]).toBeDefined();
    }
  });
});

describe('server field errors on the bid form', () => {
  it('when a restaurant bids for 10¹² 斤, then the quantity field carries the server message', () => {
    const q = readGrams('1000000000000', 'jin');
    const p = readPrice('3', 'jin');
    if (!q.ok || !p.ok) throw new Error('the form itself refused');
    const placed = placeFieldErrors(
      serverRefusal({ quantityGrams: q.grams, priceFenPerKg: p.fenPerKg }, createBidBody),
      BID_FORM_PATHS,
    );
    expect(Object.keys(placed.fields)).toEqual(['quantity']);
    expect(placed.unplaced).toEqual([]);
  });

  it('every path of the bid body has an input to show its error', () => {
    for (const path of Object.keys(createBidBody.shape)) expect(BID_FORM_PATHS[path]).toBeDefined();
  });
});

describe('placeFieldErrors', () => {
  const refusal = (fields: Record<string, string>): ApiFailure => ({
    status: 400,
    code: 'VALIDATION',
    message: 'invalid',
    fields,
  });

  it('puts a nested path on the field that shows its parent', () => {
    const placed = placeFieldErrors(refusal({ 'pickup.address': 'must not be empty' }), { pickup: 'place' });
    expect(placed).toEqual({ fields: { place: 'must not be empty' }, unplaced: [] });
  });

  it('when the server names a field the form does not show, then it goes to the general error', () => {
    const placed = placeFieldErrors(refusal({ grade: 'too long', quantityGrams: '' }), LOT_FORM_PATHS);
    expect(placed.fields).toEqual({ quantity: '' });
    expect(placed.unplaced).toEqual(['grade: too long']);
  });

  it('joins two messages for one field instead of dropping one', () => {
    const placed = placeFieldErrors(refusal({ harvestedAt: 'in the future', expiresAt: 'too late' }), LOT_FORM_PATHS);
    expect(placed.fields.harvestedAt).toBe('in the future; too late');
  });

  it('editing a field clears only that field', () => {
    expect(withoutField({ quantity: 'too big', ask: 'too big' }, ['quantity'])).toEqual({ ask: 'too big' });
  });
});
