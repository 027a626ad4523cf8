import type { Offer, SerialisesTo } from '../../../../shared/schemas/market-views';
import type { OfferRecord } from './offers.repository';

/**
 * What clients see of a bid or offer: its terms, whose turn, and the whole negotiation. The API calls
 * the state `status`, like lots and orders. Fields are picked, not copied: the protocol's internals
 * (settled, idempotency key) and whatever the record gains later stay inside.
 */
export function offerView(offer: OfferRecord) {
  return {
    id: offer.id,
    kind: offer.kind,
    lotId: offer.lotId,
    ...(offer.demandId ? { demandId: offer.demandId } : {}),
    buyerOrgId: offer.buyerOrgId,
    sellerOrgId: offer.sellerOrgId,
    ...(offer.buyerName ? { buyerName: offer.buyerName } : {}),
    ...(offer.sellerName ? { sellerName: offer.sellerName } : {}),
    makerSide: offer.makerSide,
    status: offer.state,
    turn: offer.turn,
    quantityGrams: offer.quantityGrams,
    priceFenPerKg: offer.priceFenPerKg,
    validUntil: offer.validUntil,
    ...(offer.acceptedGrams !== undefined ? { acceptedGrams: offer.acceptedGrams } : {}),
    ...(offer.closedReason ? { closedReason: offer.closedReason } : {}),
    ...(offer.orderId ? { orderId: offer.orderId } : {}),
    history: offer.history,
    createdAt: offer.createdAt,
    updatedAt: offer.updatedAt,
    version: offer.version,
  };
}
type OfferView = ReturnType<typeof offerView>;

/** Compile-time: an OfferView, as JSON, is exactly the `Offer` the API documents (shared/schemas/market-views.ts). */
const _offerViewIsTheWireOffer: SerialisesTo<OfferView, Offer> = true;
