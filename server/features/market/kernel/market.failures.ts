/**
 * What each market failure code means (its reason in shared/failures.ts). The table is closed: a market
 * service can only return a code listed here, so no failure reaches a client with a guessed status.
 */
import type { FailureReason } from '../../../../shared/failures';
import { failureBuilder } from '../../../outcome';

const CONFLICT = 'CONFLICT';
const RULE = 'RULE_BROKEN';

export const REASON_OF_MARKET_CODE = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  WRONG_SIDE: 'FORBIDDEN',
  NOT_A_PARTY_TO_TERMS: 'FORBIDDEN',
  OWN_LOT: 'FORBIDDEN',
  VALIDATION: 'INVALID',
  RESERVATION_INTERRUPTED: 'UNAVAILABLE',
  NOT_ENOUGH_LEFT: CONFLICT,
  OFFER_CLOSED: CONFLICT,
  OFFER_EXPIRED: CONFLICT,
  ALREADY_ACCEPTED: CONFLICT,
  LOT_EXPIRED: CONFLICT,
  LOT_NOT_OPEN: CONFLICT,
  NOT_YOUR_TURN: CONFLICT,
  WRONG_STATUS: CONFLICT,
  DISPUTE_WINDOW_CLOSED: CONFLICT,
  CLOCK_NOT_STARTED: CONFLICT,
  CLOCK_ENDED: CONFLICT,
  NO_CLOCK: CONFLICT,
  PRICE_ABOVE_LIMIT: CONFLICT,
  CONCURRENT_UPDATE: CONFLICT,
  IDEMPOTENCY_KEY_REUSED: CONFLICT,
  COUNTERPARTY_NOT_VERIFIED: CONFLICT,
  ACCEPT_EXCEEDS_OFFER: RULE,
  ASK_BELOW_RESERVE: RULE,
  BELOW_MIN_TAKE: RULE,
  COUNTER_UNCHANGED: RULE,
  DELIVERY_ADDRESS_REQUIRED: RULE,
  DEMAND_CLOSED: RULE,
  EMPTY: RULE,
  END_BEFORE_START: RULE,
  EXPIRY_BEYOND_SHELF_LIFE: RULE,
  EXPIRY_NOT_AFTER_HARVEST: RULE,
  FLOOR_BELOW_RESERVE: RULE,
  HARVESTED_IN_FUTURE: RULE,
  INVALID_DATE: RULE,
  INVALID_PRICE: RULE,
  INVALID_QUANTITY: RULE,
  INVALID_STEP: RULE,
  INVALID_TIME: RULE,
  INVALID_TOLERANCE: RULE,
  LOT_ALREADY_EXPIRED: RULE,
  LOT_EXPIRES_BEFORE_NEEDED: RULE,
  NEEDED_BY_IN_PAST: RULE,
  NOT_A_NUMBER: RULE,
  NOT_DUE: RULE,
  NO_TIME_TO_FALL: RULE,
  NO_WEEKDAYS: RULE,
  PRICE_BELOW_RESERVE: RULE,
  QUANTITY_EXCEEDS_REMAINING: RULE,
  REASON_REQUIRED: RULE,
  START_NOT_ABOVE_FLOOR: RULE,
  TOO_LARGE: RULE,
  TOO_PRECISE: RULE,
  UNKNOWN_PRODUCT: RULE,
  UNKNOWN_UNIT: RULE,
  VALID_UNTIL_NOT_IN_FUTURE: RULE,
  WINDOW_ENDS_BEFORE_START: RULE,
  WRONG_PRODUCT: RULE,
  INVALID_ADDRESS: RULE,
  INVALID_SLOT: RULE,
  NOT_FROM_LOT: RULE,
  /** Lot management (lots.service.ts) and lot photos (photos/photos.service.ts). */
  BELOW_SOLD: CONFLICT,
  TOO_MANY_PHOTOS: CONFLICT,
  PHOTO_TOO_LARGE: 'INVALID',
  PHOTO_TYPE: 'INVALID',
} as const satisfies Record<string, FailureReason>;

export type MarketCode = keyof typeof REASON_OF_MARKET_CODE;

/**
 * A market service's failure, in the one failure shape (server/outcome.ts `failureBuilder`): `field` is named
 * under `fields`, non-empty `details` travel along.
 */
export const marketFail = failureBuilder(REASON_OF_MARKET_CODE);

/** A market rule's refusal (shared/domain, `{ ok: false, reason, message, field? }`) as the service answers it. */
export const refusedBy = marketFail.refused;

/** Whether a stored string (an order's failedReason) is a market code. */
export const isMarketCode = (code: string): code is MarketCode => Object.hasOwn(REASON_OF_MARKET_CODE, code);
