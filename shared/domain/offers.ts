/**
 * One state machine for every negotiation on a lot: a restaurant's bid, a farm's sell
 * offer to a restaurant's demand, and the counters that follow.
 *
 *   open ──counter──▶ countered ──counter──▶ countered …
 *    │                   │
 *    ├─accept / reject───┤── by the side whose turn it is
 *    ├─withdraw──────────┤── by a side that has put terms on the table
 *    └─expire────────────┘── at validUntil or the lot's expiry, whichever is first
 *   terminal: accepted | rejected | withdrawn | expired
 *
 * A broker (chamber of commerce desk) may act for either side; the step records it.
 * Whether a user really belongs to a side is checked by the service; here a side is given.
 */
import { checkLotTradable, isPositiveInteger, type LotSnapshot } from './lots';
import { fail, type Failure } from './outcome';

export type Side = 'buyer' | 'seller';
export type OfferKind = 'bid' | 'sell_offer';
export type OfferState = 'open' | 'countered' | 'accepted' | 'rejected' | 'withdrawn' | 'expired';
export const OFFER_STATES = [
  'open',
  'countered',
  'accepted',
  'rejected',
  'withdrawn',
  'expired',
] as const satisfies readonly OfferState[];

export interface Actor {
  userId: string;
  side: Side;
  /** True when a broker acts on behalf of `side`. */
  viaBroker?: boolean;
}

type OfferStepAction = 'make' | 'counter' | 'accept' | 'reject' | 'withdraw' | 'expire';

interface OfferStep {
  action: OfferStepAction;
  /** 'system' for expiry. */
  side: Side | 'system';
  userId?: string;
  viaBroker?: boolean;
  at: Date;
  quantityGrams?: number;
  priceFenPerKg?: number;
  validUntil?: Date;
  reason?: string;
}

export interface Offer {
  id: string;
  kind: OfferKind;
  lotId: string;
  demandId?: string;
  buyerOrgId: string;
  sellerOrgId: string;
  makerSide: Side;
  state: OfferState;
  /** The side that must answer next; meaningful while the offer is live. */
  turn: Side;
  /** The terms on the table now. */
  quantityGrams: number;
  priceFenPerKg: number;
  /** Already capped at the lot's expiry. */
  validUntil: Date;
  acceptedGrams?: number;
  closedReason?: string;
  history: OfferStep[];
  createdAt: Date;
  updatedAt: Date;
}

type OfferEventType =
  'offer.made' | 'offer.countered' | 'offer.accepted' | 'offer.rejected' | 'offer.withdrawn' | 'offer.expired';

interface OfferEvent {
  type: OfferEventType;
  offerId: string;
  lotId: string;
  state: OfferState;
  step: OfferStep;
}

type OfferFailureReason =
  | 'INVALID_QUANTITY'
  | 'INVALID_PRICE'
  | 'PRICE_BELOW_RESERVE'
  | 'QUANTITY_EXCEEDS_REMAINING'
  | 'NOT_ENOUGH_LEFT'
  | 'ACCEPT_EXCEEDS_OFFER'
  | 'VALID_UNTIL_NOT_IN_FUTURE'
  | 'LOT_EXPIRED'
  | 'LOT_NOT_OPEN'
  | 'OWN_LOT'
  | 'OFFER_CLOSED'
  | 'OFFER_EXPIRED'
  | 'NOT_YOUR_TURN'
  | 'NOT_A_PARTY_TO_TERMS'
  | 'REASON_REQUIRED'
  | 'COUNTER_UNCHANGED'
  | 'NOT_DUE';

type OfferFailure = Failure<OfferFailureReason> & { state?: OfferState };
export type OfferOutcome = { ok: true; offer: Offer; events: OfferEvent[] } | OfferFailure;

export type OfferAction =
  | { type: 'accept'; by: Actor; quantityGrams?: number }
  | { type: 'reject'; by: Actor; reason: string }
  | { type: 'counter'; by: Actor; quantityGrams?: number; priceFenPerKg?: number; validUntil?: Date }
  | { type: 'withdraw'; by: Actor }
  | { type: 'expire' };

export interface OfferContext {
  now: Date;
  lot: LotSnapshot;
}

export interface MakeOfferInput {
  id: string;
  lotId: string;
  demandId?: string;
  buyerOrgId: string;
  sellerOrgId: string;
  by: Actor;
  quantityGrams: number;
  priceFenPerKg: number;
  validUntil?: Date;
}

const otherSide = (side: Side): Side => (side === 'buyer' ? 'seller' : 'buyer');

function isLive(offer: Pick<Offer, 'state'>): boolean {
  return offer.state === 'open' || offer.state === 'countered';
}

/** The moment the offer lapses: its own validUntil or the lot's expiry, whichever is first. */
export function effectiveExpiry(offer: Pick<Offer, 'validUntil'>, lotExpiresAt: Date): Date {
  return offer.validUntil.getTime() <= lotExpiresAt.getTime() ? offer.validUntil : lotExpiresAt;
}

/** Terms must be positive, at or above reserve, within what is left, and valid into the future. */
function checkTerms(
  quantityGrams: number,
  priceFenPerKg: number,
  validUntil: Date | undefined,
  ctx: OfferContext,
): { ok: true; validUntil: Date } | OfferFailure {
  if (!isPositiveInteger(quantityGrams)) {
    return fail('INVALID_QUANTITY', 'quantityGrams must be a whole number of grams above 0', 'quantityGrams');
  }
  if (!isPositiveInteger(priceFenPerKg)) {
    return fail('INVALID_PRICE', 'priceFenPerKg must be a whole number of fen above 0', 'priceFenPerKg');
  }
  if (priceFenPerKg < ctx.lot.reservePriceFenPerKg) {
    return fail(
      'PRICE_BELOW_RESERVE',
      `priceFenPerKg ${priceFenPerKg} is below the lot's reserve price of ${ctx.lot.reservePriceFenPerKg} fen/kg`,
      'priceFenPerKg',
    );
  }
  if (quantityGrams > ctx.lot.remainingGrams) {
    return fail(
      'QUANTITY_EXCEEDS_REMAINING',
      `quantityGrams ${quantityGrams} is more than the ${ctx.lot.remainingGrams} g left in the lot`,
      'quantityGrams',
    );
  }
  if (validUntil && validUntil.getTime() <= ctx.now.getTime()) {
    return fail('VALID_UNTIL_NOT_IN_FUTURE', 'validUntil must be in the future', 'validUntil');
  }
  const lotExpiry = ctx.lot.expiresAt;
  const capped = validUntil && validUntil.getTime() < lotExpiry.getTime() ? validUntil : lotExpiry;
  return { ok: true, validUntil: capped };
}

function actorStep(action: OfferStepAction, by: Actor, at: Date): OfferStep {
  return by.viaBroker
    ? { action, side: by.side, userId: by.userId, viaBroker: true, at }
    : { action, side: by.side, userId: by.userId, at };
}

const EVENT_FOR: Record<OfferStepAction, OfferEventType> = {
  make: 'offer.made',
  counter: 'offer.countered',
  accept: 'offer.accepted',
  reject: 'offer.rejected',
  withdraw: 'offer.withdrawn',
  expire: 'offer.expired',
};

function advance(offer: Offer, step: OfferStep, patch: Partial<Offer>): OfferOutcome {
  const next: Offer = { ...offer, ...patch, history: [...offer.history, step], updatedAt: step.at };
  return {
    ok: true,
    offer: next,
    events: [{ type: EVENT_FOR[step.action], offerId: next.id, lotId: next.lotId, state: next.state, step }],
  };
}

/** A buyer's bid on a lot (kind 'bid') or a seller's offer of a lot to a buyer (kind 'sell_offer'). */
export function makeOffer(input: MakeOfferInput, ctx: OfferContext): OfferOutcome {
  if (input.buyerOrgId === input.sellerOrgId) return fail('OWN_LOT', 'An organisation cannot trade with itself');
  const tradable = checkLotTradable(ctx.lot, ctx.now);
  if (!tradable.ok) return tradable;
  const terms = checkTerms(input.quantityGrams, input.priceFenPerKg, input.validUntil, ctx);
  if (!terms.ok) return terms;
  const step: OfferStep = {
    ...actorStep('make', input.by, ctx.now),
    quantityGrams: input.quantityGrams,
    priceFenPerKg: input.priceFenPerKg,
    validUntil: terms.validUntil,
  };
  const offer: Offer = {
    id: input.id,
    kind: input.by.side === 'buyer' ? 'bid' : 'sell_offer',
    lotId: input.lotId,
    ...(input.demandId ? { demandId: input.demandId } : {}),
    buyerOrgId: input.buyerOrgId,
    sellerOrgId: input.sellerOrgId,
    makerSide: input.by.side,
    state: 'open',
    turn: otherSide(input.by.side),
    quantityGrams: input.quantityGrams,
    priceFenPerKg: input.priceFenPerKg,
    validUntil: terms.validUntil,
    history: [step],
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  return {
    ok: true,
    offer,
    events: [{ type: 'offer.made', offerId: offer.id, lotId: offer.lotId, state: 'open', step }],
  };
}

/** A side "has terms on the table" if it made the offer or has countered since. */
function hasMadeTerms(offer: Offer, side: Side): boolean {
  return offer.makerSide === side || offer.history.some((s) => s.action === 'counter' && s.side === side);
}

export function applyOfferAction(offer: Offer, action: OfferAction, ctx: OfferContext): OfferOutcome {
  if (!isLive(offer)) {
    return { ...fail('OFFER_CLOSED', `The offer is already ${offer.state}`), state: offer.state };
  }
  const lapsesAt = effectiveExpiry(offer, ctx.lot.expiresAt);
  const lapsed = ctx.now.getTime() >= lapsesAt.getTime();

  if (action.type === 'expire') {
    if (!lapsed) return fail('NOT_DUE', `The offer is valid until ${lapsesAt.toISOString()}`);
    const reason = lapsesAt.getTime() < offer.validUntil.getTime() ? 'lot expired' : 'validUntil passed';
    return advance(
      offer,
      { action: 'expire', side: 'system', at: ctx.now, reason },
      { state: 'expired', closedReason: reason },
    );
  }
  if (lapsed) return { ...fail('OFFER_EXPIRED', `The offer lapsed at ${lapsesAt.toISOString()}`), state: offer.state };

  const by = action.by;
  switch (action.type) {
    case 'withdraw': {
      if (!hasMadeTerms(offer, by.side)) {
        return fail('NOT_A_PARTY_TO_TERMS', 'Only a side that has made terms can withdraw; the other side may reject');
      }
      return advance(offer, actorStep('withdraw', by, ctx.now), { state: 'withdrawn', closedReason: 'withdrawn' });
    }
    case 'reject': {
      if (by.side !== offer.turn) return fail('NOT_YOUR_TURN', `It is the ${offer.turn}'s turn to answer`);
      const reason = action.reason.trim();
      if (reason === '') return fail('REASON_REQUIRED', 'Give a reason for rejecting', 'reason');
      return advance(
        offer,
        { ...actorStep('reject', by, ctx.now), reason },
        { state: 'rejected', closedReason: reason },
      );
    }
    case 'counter': {
      if (by.side !== offer.turn) return fail('NOT_YOUR_TURN', `It is the ${offer.turn}'s turn to answer`);
      const tradable = checkLotTradable(ctx.lot, ctx.now);
      if (!tradable.ok) return tradable;
      const quantityGrams = action.quantityGrams ?? offer.quantityGrams;
      const priceFenPerKg = action.priceFenPerKg ?? offer.priceFenPerKg;
      const terms = checkTerms(quantityGrams, priceFenPerKg, action.validUntil ?? offer.validUntil, ctx);
      if (!terms.ok) return terms;
      const unchanged =
        quantityGrams === offer.quantityGrams &&
        priceFenPerKg === offer.priceFenPerKg &&
        terms.validUntil.getTime() === offer.validUntil.getTime();
      if (unchanged) return fail('COUNTER_UNCHANGED', 'A counter must change the price, quantity or validUntil');
      const step = { ...actorStep('counter', by, ctx.now), quantityGrams, priceFenPerKg, validUntil: terms.validUntil };
      return advance(offer, step, {
        state: 'countered',
        turn: otherSide(by.side),
        quantityGrams,
        priceFenPerKg,
        validUntil: terms.validUntil,
      });
    }
    case 'accept': {
      if (by.side !== offer.turn) return fail('NOT_YOUR_TURN', `It is the ${offer.turn}'s turn to answer`);
      const tradable = checkLotTradable(ctx.lot, ctx.now);
      if (!tradable.ok) return tradable;
      const grams = action.quantityGrams ?? offer.quantityGrams;
      if (!isPositiveInteger(grams)) {
        return fail('INVALID_QUANTITY', 'quantityGrams must be a whole number of grams above 0', 'quantityGrams');
      }
      if (grams > offer.quantityGrams) {
        return fail(
          'ACCEPT_EXCEEDS_OFFER',
          `quantityGrams ${grams} is more than the ${offer.quantityGrams} g offered`,
          'quantityGrams',
        );
      }
      if (grams > ctx.lot.remainingGrams) {
        return fail(
          'NOT_ENOUGH_LEFT',
          `Only ${ctx.lot.remainingGrams} g left in the lot; ${grams} g asked`,
          'quantityGrams',
        );
      }
      const step = { ...actorStep('accept', by, ctx.now), quantityGrams: grams, priceFenPerKg: offer.priceFenPerKg };
      return advance(offer, step, { state: 'accepted', acceptedGrams: grams });
    }
  }
}

/**
 * The compensation for an accept whose stock could not be reserved: the offer as it was
 * just before the accept, live again with the same side to answer. Pure, so a sweep
 * that finds the accept much later derives exactly the same state.
 */
export function undoAccept(offer: Offer): Offer | undefined {
  const last = offer.history.at(-1);
  if (offer.state !== 'accepted' || !last || last.action !== 'accept' || last.side === 'system') return undefined;
  const history = offer.history.slice(0, -1);
  const { acceptedGrams: _dropped, ...rest } = offer;
  return {
    ...rest,
    state: history.some((s) => s.action === 'counter') ? 'countered' : 'open',
    turn: last.side,
    history,
    updatedAt: history.at(-1)?.at ?? offer.createdAt,
  };
}
