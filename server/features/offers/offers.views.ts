import type { OfferRecord } from './offers.repository';

/**
 * What clients see of a bid or offer: its terms, whose turn, and the whole negotiation.
 * The API calls the state `status`, like lots and orders.
 */
export function offerView(offer: OfferRecord) {
  const { version: _version, settled: _settled, idempotencyKey: _idem, state, ...rest } = offer;
  return { ...rest, status: state };
}
export type OfferView = ReturnType<typeof offerView>;
