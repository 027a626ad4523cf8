import { checkLotFitsDemand, checkNewDemand } from '../../shared/domain/demand';
import { applyOrderAction, newOrder, type OrderAction, type OrderStatus } from '../../shared/domain/orders';
import { T0, anOrder, at } from '../fixtures/market';

describe('a new order', () => {
  it('starts pending with its total rounded to the fen', () => {
    const o = newOrder(
      {
        id: 'o1',
        lotId: 'l1',
        source: 'offer',
        buyerOrgId: 'r',
        sellerOrgId: 'f',
        productCode: 'shiitake',
        quantityGrams: 12_345,
        priceFenPerKg: 1300,
      },
      T0,
    );
    expect(o).toMatchObject({ status: 'pending', totalFen: 16_049, createdAt: T0 });
  });
});

const actions: Record<string, OrderAction> = {
  dispatch: { type: 'dispatch', side: 'seller' },
  deliver: { type: 'deliver', side: 'seller', deliveredGrams: 50_000 },
  complete: { type: 'complete', side: 'buyer' },
  cancel: { type: 'cancel', side: 'buyer', reason: 'restaurant closed today' },
  dispute: { type: 'dispute', side: 'buyer', note: '一半发霉' },
};

/** Which action is allowed from which status (by its proper side); everything else is WRONG_STATUS. */
const allowed: Record<string, OrderStatus> = {
  'confirmed:dispatch': 'dispatched',
  'confirmed:cancel': 'cancelled',
  'dispatched:deliver': 'delivered',
  'delivered:complete': 'completed',
  'delivered:dispute': 'disputed',
};

const statuses: OrderStatus[] = [
  'pending',
  'confirmed',
  'failed',
  'dispatched',
  'delivered',
  'completed',
  'cancelled',
  'disputed',
];
const rows = statuses.flatMap((status) =>
  Object.keys(actions).map((action) => [status, action, allowed[`${status}:${action}`] ?? 'WRONG_STATUS'] as const),
);

describe('order transitions, every status × action', () => {
  it.each(rows)('%s → %s ⇒ %s', (status, action, expected) => {
    const order = anOrder({ status, deliveredAt: status === 'delivered' ? at(1) : undefined });
    const r = applyOrderAction(order, actions[action], at(2));
    if (r.ok) expect(r.order.status).toBe(expected);
    else expect(r.reason).toBe(expected);
  });
});

describe('order rules', () => {
  it('only the seller dispatches', () => {
    expect(applyOrderAction(anOrder(), { type: 'dispatch', side: 'buyer' }, T0)).toMatchObject({
      ok: false,
      reason: 'WRONG_SIDE',
    });
  });

  it('records a short delivery and bills what arrived', () => {
    const r = applyOrderAction(
      anOrder({ status: 'dispatched' }),
      { type: 'deliver', side: 'buyer', deliveredGrams: 45_000 },
      at(3),
    );
    expect(r).toMatchObject({
      ok: true,
      order: { status: 'delivered', deliveredGrams: 45_000, deliveredAt: at(3), totalFen: 54_000 },
    });
  });

  it('bills a standing order’s grams above the base at the tolerance’s discounted price, as confirmed', () => {
    // 21 kg confirmed: 20 kg base at ¥20/kg + 1 kg extra at ¥18/kg = ¥418; all of it arrives.
    const standing = {
      standingOrderId: 's1',
      date: '2026-11-26',
      baseGrams: 20_000,
      maxExtraGrams: 2_000,
      extraPriceFenPerKg: 1800,
    };
    const order = anOrder({
      status: 'dispatched',
      quantityGrams: 21_000,
      priceFenPerKg: 2000,
      totalFen: 41_800,
      standing,
    });
    const all = applyOrderAction(order, { type: 'deliver', side: 'buyer', deliveredGrams: 21_000 }, at(3));
    expect(all).toMatchObject({ ok: true, order: { totalFen: 41_800 } });
    const short = applyOrderAction(order, { type: 'deliver', side: 'buyer', deliveredGrams: 19_000 }, at(3));
    expect(short).toMatchObject({ ok: true, order: { totalFen: 38_000 } });
  });

  it('refuses delivering more than ordered', () => {
    const r = applyOrderAction(
      anOrder({ status: 'dispatched' }),
      { type: 'deliver', side: 'seller', deliveredGrams: 50_001 },
      at(3),
    );
    expect(r).toMatchObject({ ok: false, reason: 'INVALID_QUANTITY', field: 'deliveredGrams' });
  });

  it('gives the stock back to the lot when cancelled before dispatch', () => {
    expect(applyOrderAction(anOrder(), actions.cancel, T0)).toMatchObject({
      ok: true,
      releaseGrams: 50_000,
      order: { cancelReason: 'restaurant closed today' },
    });
    expect(applyOrderAction(anOrder(), { type: 'cancel', side: 'seller', reason: ' ' }, T0)).toMatchObject({
      ok: false,
      reason: 'REASON_REQUIRED',
    });
  });

  it('lets the buyer dispute within 24 h of delivery, not after', () => {
    const delivered = anOrder({ status: 'delivered', deliveredAt: at(1) });
    expect(applyOrderAction(delivered, actions.dispute, at(25)).ok).toBe(true);
    expect(applyOrderAction(delivered, actions.dispute, at(25.01))).toMatchObject({
      ok: false,
      reason: 'DISPUTE_WINDOW_CLOSED',
    });
    expect(applyOrderAction(delivered, { type: 'dispute', side: 'seller', note: 'x' }, at(2))).toMatchObject({
      ok: false,
      reason: 'WRONG_SIDE',
    });
    expect(applyOrderAction(delivered, { type: 'dispute', side: 'buyer', note: '' }, at(2))).toMatchObject({
      ok: false,
      reason: 'REASON_REQUIRED',
    });
  });

  it('completes by itself once the dispute window has passed', () => {
    const delivered = anOrder({ status: 'delivered', deliveredAt: at(1) });
    expect(applyOrderAction(delivered, { type: 'complete', side: 'system' }, at(24))).toMatchObject({
      ok: false,
      reason: 'NOT_DUE',
    });
    expect(applyOrderAction(delivered, { type: 'complete', side: 'system' }, at(25))).toMatchObject({
      ok: true,
      order: { status: 'completed' },
    });
    expect(applyOrderAction(delivered, { type: 'complete', side: 'seller' }, at(2))).toMatchObject({
      ok: false,
      reason: 'WRONG_SIDE',
    });
  });
});

describe("a restaurant's demand", () => {
  const demand = { productCode: 'enoki', quantityGrams: 30_000, maxPriceFenPerKg: 900, neededBy: at(48) };

  it('needs a known product, positive terms and a future date', () => {
    expect(checkNewDemand(demand, T0)).toEqual({ ok: true });
    expect(checkNewDemand({ ...demand, productCode: 'truffle' }, T0)).toMatchObject({
      reason: 'UNKNOWN_PRODUCT',
      field: 'productCode',
    });
    expect(checkNewDemand({ ...demand, quantityGrams: 0 }, T0)).toMatchObject({ reason: 'INVALID_QUANTITY' });
    expect(checkNewDemand({ ...demand, neededBy: at(-1) }, T0)).toMatchObject({
      reason: 'NEEDED_BY_IN_PAST',
      field: 'neededBy',
    });
  });

  it('is answered only by an open lot of the same product that is still fresh when needed', () => {
    const open = { ...demand, status: 'open' as const };
    expect(checkLotFitsDemand({ productCode: 'enoki', expiresAt: at(96) }, open, T0)).toEqual({ ok: true });
    expect(checkLotFitsDemand({ productCode: 'shiitake', expiresAt: at(96) }, open, T0)).toMatchObject({
      reason: 'WRONG_PRODUCT',
    });
    expect(checkLotFitsDemand({ productCode: 'enoki', expiresAt: at(24) }, open, T0)).toMatchObject({
      reason: 'LOT_EXPIRES_BEFORE_NEEDED',
    });
    expect(
      checkLotFitsDemand({ productCode: 'enoki', expiresAt: at(96) }, { ...open, status: 'withdrawn' }, T0),
    ).toMatchObject({ reason: 'DEMAND_CLOSED' });
    expect(checkLotFitsDemand({ productCode: 'enoki', expiresAt: at(96) }, open, at(49))).toMatchObject({
      reason: 'DEMAND_CLOSED',
    });
  });
});
