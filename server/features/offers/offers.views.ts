import type { OfferRecord } from './offers.repository';

/** What clients see of a bid or offer: its terms, state, whose turn, and the whole negotiation. */
export function offerView(offer: OfferRecord) {
  const { version: _version, settled: _settled, idempotencyKey: _idem, ...view } = offer;
  return view;
}
export type OfferView = ReturnType<typeof offerView>;
