import {
  applyOfferAction,
  effectiveExpiry,
  makeOffer,
  type Actor,
  type Offer,
  type OfferAction,
  type OfferState,
} from '../../shared/domain/offers';
import { aBid, aBidInput, at, broker, buyer, ctx, seller } from '../fixtures/market';

const withState = (state: OfferState): Offer => {
  const bid = aBid();
  switch (state) {
    case 'open':
      return bid;
    case 'countered': {
      const r = applyOfferAction(bid, { type: 'counter', by: seller(), priceFenPerKg: 1300 }, ctx());
      if (!r.ok) throw new Error(r.reason);
      return r.offer;
    }
    default:
      return { ...bid, state };
  }
};

type Who = 'buyer' | 'seller' | 'system';
const actionFor = (kind: OfferAction['type'], who: Who): OfferAction => {
  if (kind === 'expire') return { type: 'expire' };
  const by: Actor = who === 'buyer' ? buyer() : seller();
  switch (kind) {
    case 'accept':
      return { type: 'accept', by };
    case 'reject':
      return { type: 'reject', by, reason: 'price too high' };
    case 'counter':
      return { type: 'counter', by, priceFenPerKg: 1250 };
    case 'withdraw':
      return { type: 'withdraw', by };
  }
};

/** [state, action, who] → resulting state, or the failure reason. */
const table: [OfferState, OfferAction['type'], Who, OfferState | string][] = [
  // open bid: the seller answers, the buyer (maker) may withdraw
  ['open', 'accept', 'seller', 'accepted'],
  ['open', 'accept', 'buyer', 'NOT_YOUR_TURN'],
  ['open', 'reject', 'seller', 'rejected'],
  ['open', 'reject', 'buyer', 'NOT_YOUR_TURN'],
  ['open', 'counter', 'seller', 'countered'],
  ['open', 'counter', 'buyer', 'NOT_YOUR_TURN'],
  ['open', 'withdraw', 'buyer', 'withdrawn'],
  ['open', 'withdraw', 'seller', 'NOT_A_PARTY_TO_TERMS'],
  ['open', 'expire', 'system', 'NOT_DUE'],
  // seller countered: the buyer answers; both sides have terms on the table
  ['countered', 'accept', 'buyer', 'accepted'],
  ['countered', 'accept', 'seller', 'NOT_YOUR_TURN'],
  ['countered', 'reject', 'buyer', 'rejected'],
  ['countered', 'reject', 'seller', 'NOT_YOUR_TURN'],
  ['countered', 'counter', 'buyer', 'countered'],
  ['countered', 'counter', 'seller', 'NOT_YOUR_TURN'],
  ['countered', 'withdraw', 'buyer', 'withdrawn'],
  ['countered', 'withdraw', 'seller', 'withdrawn'],
  ['countered', 'expire', 'system', 'NOT_DUE'],
];
const closed: OfferState[] = ['accepted', 'rejected', 'withdrawn', 'expired'];
for (const state of closed) {
  for (const kind of ['accept', 'reject', 'counter', 'withdraw'] as const) {
    table.push([state, kind, 'buyer', 'OFFER_CLOSED'], [state, kind, 'seller', 'OFFER_CLOSED']);
  }
  table.push([state, 'expire', 'system', 'OFFER_CLOSED']);
}

describe('the offer state machine, every state × action × side', () => {
  it.each(table)('%s → %s by %s ⇒ %s', (state, kind, who, expected) => {
    const offer = withState(state);
    const r = applyOfferAction(offer, actionFor(kind, who), ctx());
    if (r.ok) {
      expect(r.offer.state).toBe(expected);
      expect(r.events).toHaveLength(1);
      expect(r.events[0]).toMatchObject({ offerId: offer.id, lotId: offer.lotId, state: expected });
      expect(r.offer.history).toHaveLength(offer.history.length + 1);
    } else {
      expect(r.reason).toBe(expected);
      expect(r.message.length).toBeGreaterThan(0);
    }
  });

  it('covers all six states', () => {
    expect(new Set(table.map((row) => row[0]))).toEqual(new Set(['open', 'countered', ...closed]));
  });
});

describe('making a bid', () => {
  it('opens it with the seller to answer, valid until the lot expires by default', () => {
    const r = makeOffer(aBidInput({ id: 'bid-a' }), ctx());
    expect(r).toMatchObject({
      ok: true,
      offer: { id: 'bid-a', kind: 'bid', state: 'open', turn: 'seller', makerSide: 'buyer', validUntil: at(96) },
    });
    if (r.ok) expect(r.events.map((e) => e.type)).toEqual(['offer.made']);
  });

  it('makes a sell offer when the seller is the maker', () => {
    const r = makeOffer(aBidInput({ by: seller(), demandId: 'demand-1' }), ctx());
    expect(r).toMatchObject({ ok: true, offer: { kind: 'sell_offer', turn: 'buyer', demandId: 'demand-1' } });
  });

  it('refuses a price below the reserve, naming the field and the reserve', () => {
    const r = makeOffer(aBidInput({ priceFenPerKg: 999 }), ctx());
    expect(r).toMatchObject({ ok: false, reason: 'PRICE_BELOW_RESERVE', field: 'priceFenPerKg' });
    if (!r.ok) expect(r.message).toContain('1000');
  });

  it('accepts a bid exactly at the reserve', () => {
    expect(makeOffer(aBidInput({ priceFenPerKg: 1000 }), ctx()).ok).toBe(true);
  });

  it('refuses more than the lot has left', () => {
    const r = makeOffer(aBidInput({ quantityGrams: 50_001 }), ctx({ lot: { remainingGrams: 50_000 } }));
    expect(r).toMatchObject({ ok: false, reason: 'QUANTITY_EXCEEDS_REMAINING', field: 'quantityGrams' });
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses quantity %p', (q) => {
    expect(makeOffer(aBidInput({ quantityGrams: q }), ctx())).toMatchObject({ ok: false, reason: 'INVALID_QUANTITY' });
  });

  it('refuses a zero price', () => {
    expect(makeOffer(aBidInput({ priceFenPerKg: 0 }), ctx())).toMatchObject({ ok: false, reason: 'INVALID_PRICE' });
  });

  it('refuses validUntil in the past and caps it at the lot expiry', () => {
    expect(makeOffer(aBidInput({ validUntil: at(-1) }), ctx())).toMatchObject({
      ok: false,
      reason: 'VALID_UNTIL_NOT_IN_FUTURE',
    });
    expect(makeOffer(aBidInput({ validUntil: at(500) }), ctx())).toMatchObject({
      ok: true,
      offer: { validUntil: at(96) },
    });
    expect(makeOffer(aBidInput({ validUntil: at(4) }), ctx())).toMatchObject({
      ok: true,
      offer: { validUntil: at(4) },
    });
  });

  it('refuses a bid on an expired, withdrawn or sold-out lot', () => {
    expect(makeOffer(aBidInput(), ctx({ now: at(96) }))).toMatchObject({ ok: false, reason: 'LOT_EXPIRED' });
    expect(makeOffer(aBidInput(), ctx({ lot: { status: 'withdrawn' } }))).toMatchObject({
      ok: false,
      reason: 'LOT_NOT_OPEN',
    });
    expect(makeOffer(aBidInput(), ctx({ lot: { status: 'sold_out', remainingGrams: 0 } }))).toMatchObject({
      ok: false,
      reason: 'LOT_NOT_OPEN',
    });
  });

  it('refuses a farm bidding on its own lot', () => {
    expect(makeOffer(aBidInput({ buyerOrgId: 'farm-1' }), ctx())).toMatchObject({ ok: false, reason: 'OWN_LOT' });
  });
});

describe('accepting', () => {
  it('accepts all by default and records the grams and price', () => {
    const r = applyOfferAction(aBid(), { type: 'accept', by: seller() }, ctx());
    expect(r).toMatchObject({ ok: true, offer: { state: 'accepted', acceptedGrams: 50_000 } });
    if (r.ok)
      expect(r.events[0]).toMatchObject({
        type: 'offer.accepted',
        step: { quantityGrams: 50_000, priceFenPerKg: 1200 },
      });
  });

  it('accepts part', () => {
    const r = applyOfferAction(aBid(), { type: 'accept', by: seller(), quantityGrams: 20_000 }, ctx());
    expect(r).toMatchObject({ ok: true, offer: { state: 'accepted', acceptedGrams: 20_000, quantityGrams: 50_000 } });
  });

  it('refuses more than was offered', () => {
    const r = applyOfferAction(aBid(), { type: 'accept', by: seller(), quantityGrams: 60_000 }, ctx());
    expect(r).toMatchObject({ ok: false, reason: 'ACCEPT_EXCEEDS_OFFER', field: 'quantityGrams' });
  });

  it('refuses when the lot no longer has enough, so the farm can accept part instead', () => {
    const lot = { remainingGrams: 30_000 };
    expect(applyOfferAction(aBid(), { type: 'accept', by: seller() }, ctx({ lot }))).toMatchObject({
      ok: false,
      reason: 'NOT_ENOUGH_LEFT',
    });
    expect(applyOfferAction(aBid(), { type: 'accept', by: seller(), quantityGrams: 30_000 }, ctx({ lot })).ok).toBe(
      true,
    );
  });

  it('refuses zero grams', () => {
    expect(applyOfferAction(aBid(), { type: 'accept', by: seller(), quantityGrams: 0 }, ctx())).toMatchObject({
      ok: false,
      reason: 'INVALID_QUANTITY',
    });
  });

  it('refuses on a lot that was withdrawn meanwhile', () => {
    expect(
      applyOfferAction(aBid(), { type: 'accept', by: seller() }, ctx({ lot: { status: 'withdrawn' } })),
    ).toMatchObject({
      ok: false,
      reason: 'LOT_NOT_OPEN',
    });
  });

  it('reports the state when the offer is already accepted, so a retry can find its order', () => {
    const accepted = withState('accepted');
    expect(applyOfferAction(accepted, { type: 'accept', by: seller() }, ctx())).toMatchObject({
      ok: false,
      reason: 'OFFER_CLOSED',
      state: 'accepted',
    });
  });

  it('records a broker acting for the farm', () => {
    const desk = broker('seller');
    const r = applyOfferAction(aBid(), { type: 'accept', by: desk }, ctx());
    expect(r).toMatchObject({ ok: true });
    if (r.ok)
      expect(r.offer.history.at(-1)).toMatchObject({
        action: 'accept',
        side: 'seller',
        userId: desk.userId,
        viaBroker: true,
      });
  });
});

describe('countering', () => {
  it('replaces the terms and hands the turn over, keeping the history', () => {
    const bid = aBid();
    const r = applyOfferAction(
      bid,
      { type: 'counter', by: seller(), priceFenPerKg: 1300, quantityGrams: 40_000, validUntil: at(6) },
      ctx(),
    );
    expect(r).toMatchObject({
      ok: true,
      offer: { state: 'countered', turn: 'buyer', priceFenPerKg: 1300, quantityGrams: 40_000, validUntil: at(6) },
    });
    if (r.ok) {
      expect(r.offer.history.map((s) => s.action)).toEqual(['make', 'counter']);
      expect(r.events[0].type).toBe('offer.countered');
    }
    expect(bid.state).toBe('open'); // the input is not mutated
  });

  it('goes back and forth until someone accepts at the last terms', () => {
    let offer = aBid();
    const steps: OfferAction[] = [
      { type: 'counter', by: seller(), priceFenPerKg: 1400 },
      { type: 'counter', by: buyer(), priceFenPerKg: 1300 },
      { type: 'counter', by: seller(), priceFenPerKg: 1350 },
      { type: 'accept', by: buyer() },
    ];
    for (const step of steps) {
      const r = applyOfferAction(offer, step, ctx());
      if (!r.ok) throw new Error(r.reason);
      offer = r.offer;
    }
    expect(offer).toMatchObject({ state: 'accepted', priceFenPerKg: 1350, acceptedGrams: 50_000 });
    expect(offer.history).toHaveLength(5);
  });

  it('refuses a counter below reserve or above what is left', () => {
    expect(applyOfferAction(aBid(), { type: 'counter', by: seller(), priceFenPerKg: 900 }, ctx())).toMatchObject({
      reason: 'PRICE_BELOW_RESERVE',
    });
    expect(applyOfferAction(aBid(), { type: 'counter', by: seller(), quantityGrams: 3_000_000 }, ctx())).toMatchObject({
      reason: 'QUANTITY_EXCEEDS_REMAINING',
    });
  });

  it('refuses a counter that changes nothing', () => {
    expect(applyOfferAction(aBid(), { type: 'counter', by: seller(), priceFenPerKg: 1200 }, ctx())).toMatchObject({
      reason: 'COUNTER_UNCHANGED',
    });
  });
});

describe('rejecting and withdrawing', () => {
  it('needs a reason to reject, and keeps it', () => {
    expect(applyOfferAction(aBid(), { type: 'reject', by: seller(), reason: '  ' }, ctx())).toMatchObject({
      reason: 'REASON_REQUIRED',
      field: 'reason',
    });
    expect(applyOfferAction(aBid(), { type: 'reject', by: seller(), reason: ' 价格太低 ' }, ctx())).toMatchObject({
      ok: true,
      offer: { state: 'rejected', closedReason: '价格太低' },
    });
  });

  it('lets a broker withdraw a bid for the restaurant', () => {
    const r = applyOfferAction(aBid(), { type: 'withdraw', by: broker('buyer') }, ctx());
    expect(r).toMatchObject({ ok: true, offer: { state: 'withdrawn' } });
  });
});

describe('expiry', () => {
  it('expires at validUntil', () => {
    const bid = aBid({ validUntil: at(4) });
    expect(applyOfferAction(bid, { type: 'expire' }, ctx({ now: at(3.9) }))).toMatchObject({ reason: 'NOT_DUE' });
    const r = applyOfferAction(bid, { type: 'expire' }, ctx({ now: at(4) }));
    expect(r).toMatchObject({ ok: true, offer: { state: 'expired', closedReason: 'validUntil passed' } });
    if (r.ok) expect(r.events[0]).toMatchObject({ type: 'offer.expired', step: { side: 'system' } });
  });

  it('expires with the lot when the lot goes first', () => {
    const bid = aBid();
    const shortened = ctx({ now: at(50), lot: { expiresAt: at(50) } });
    expect(effectiveExpiry(bid, at(50))).toEqual(at(50));
    expect(applyOfferAction(bid, { type: 'expire' }, shortened)).toMatchObject({
      ok: true,
      offer: { closedReason: 'lot expired' },
    });
  });

  it('refuses to act on a lapsed offer that the sweep has not marked yet', () => {
    const bid = aBid({ validUntil: at(4) });
    for (const action of [
      { type: 'accept', by: seller() },
      { type: 'withdraw', by: buyer() },
    ] as OfferAction[]) {
      expect(applyOfferAction(bid, action, ctx({ now: at(5) }))).toMatchObject({ ok: false, reason: 'OFFER_EXPIRED' });
    }
  });
});
