import { Schema, type Connection, type Model } from 'mongoose';
import type { Offer } from '../../../../shared/domain/offers';

export type OfferDoc = Omit<Offer, 'id'> & {
  _id: string;
  /** Optimistic concurrency: every save is conditional on the version read. */
  version: number;
  /** Set when accepted: the order the acceptance produces (deterministic, see reservation.ts). */
  orderId?: string;
  /** False between "accepted" and "its order is confirmed"; the sweep rolls such offers forward. */
  settled?: boolean;
  /** The accept's Idempotency-Key (removed again if that accept's order fails). */
  idempotencyKey?: string;
  /**
   * Set only when the offer was made with an Idempotency-Key: the organisation that made it (the maker
   * side's, also when a broker acted for it), that key, and the terms asked for (see offers.service.ts
   * `madeTerms`), so that a retry finds this offer and a reuse with other terms is told apart.
   */
  makerOrgId?: string;
  makerKey?: string;
  makerTerms?: string;
  /** The parties' names when the offer was made (older offers: absent). */
  sellerName?: string;
  buyerName?: string;
};

const stepSchema = new Schema(
  {
    action: { type: String, required: true },
    side: { type: String, required: true },
    userId: String,
    viaBroker: Boolean,
    at: { type: Date, required: true },
    quantityGrams: Number,
    priceFenPerKg: Number,
    validUntil: Date,
    reason: String,
  },
  { _id: false },
);

const offerSchema = new Schema<OfferDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    lotId: { type: String, required: true },
    demandId: String,
    buyerOrgId: { type: String, required: true },
    sellerOrgId: { type: String, required: true },
    sellerName: String,
    buyerName: String,
    makerSide: { type: String, required: true },
    state: { type: String, required: true },
    turn: { type: String, required: true },
    quantityGrams: { type: Number, required: true },
    priceFenPerKg: { type: Number, required: true },
    validUntil: { type: Date, required: true },
    acceptedGrams: Number,
    closedReason: String,
    history: { type: [stepSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
    orderId: String,
    settled: Boolean,
    idempotencyKey: String,
    makerOrgId: String,
    makerKey: String,
    makerTerms: String,
  },
  { versionKey: false, collection: 'offers' },
);
offerSchema.index({ lotId: 1, state: 1 });
offerSchema.index({ buyerOrgId: 1, updatedAt: -1 });
offerSchema.index({ sellerOrgId: 1, updatedAt: -1 });
offerSchema.index({ state: 1, validUntil: 1 });
offerSchema.index({ state: 1, settled: 1, updatedAt: 1 });
// One offer per (maker organisation, Idempotency-Key): two racing requests with the key cannot both insert.
// Partial, so the many offers made without a key are not in it at all.
offerSchema.index(
  { makerOrgId: 1, makerKey: 1 },
  { unique: true, partialFilterExpression: { makerKey: { $exists: true } } },
);
offerSchema.index({ demandId: 1, state: 1 }, { sparse: true });
// Paged lists by creation time: the desk's deal log (brokered offers) and a party's own offers.
offerSchema.index({ 'history.viaBroker': 1, createdAt: -1, _id: 1 });
offerSchema.index({ buyerOrgId: 1, createdAt: -1, _id: 1 });
offerSchema.index({ sellerOrgId: 1, createdAt: -1, _id: 1 });
// POST /api/outcomes finds an accept by its key (partial: offers accepted without a key stay out).
offerSchema.index({ idempotencyKey: 1 }, { partialFilterExpression: { idempotencyKey: { $exists: true } } });

export function offerModel(connection: Connection): Model<OfferDoc> {
  return (connection.models.Offer as Model<OfferDoc> | undefined) ?? connection.model<OfferDoc>('Offer', offerSchema);
}
