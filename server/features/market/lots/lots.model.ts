import { Schema, type Connection, type Model } from 'mongoose';

export interface LotPhotoDoc {
  id: string;
  contentType: string;
  bytes: number;
  thumb: boolean;
  at: Date;
}

export interface LotDoc {
  _id: string;
  sellerOrgId: string;
  /** The farm's name when the lot was posted (older lots: absent). */
  sellerName?: string;
  /** The farm's city and county when the lot was posted, e.g. "吉安市新干县" (older lots: absent). */
  region?: string;
  createdBy: string;
  productCode: string;
  quantityGrams: number;
  remainingGrams: number;
  harvestedAt: Date;
  storage: 'cold' | 'ambient';
  reservePriceFenPerKg: number;
  askPriceFenPerKg: number;
  grade?: string;
  expiresAt: Date;
  pickup?: { name: string; address: string; lat?: number; lng?: number };
  delivery?: { radiusKm: number; feeFen: number };
  status: 'open' | 'sold_out' | 'withdrawn' | 'expired';
  /** One entry per order holding stock; the reservation protocol's source of truth. */
  reservations: { orderId: string; grams: number; at: Date }[];
  /** Orders the recovery sweep declared failed: they may never reserve (see orders/reservation.ts). */
  fencedOrderIds: string[];
  spoiledGrams?: number;
  expiredAt?: Date;
  withdrawnAt?: Date;
  clock?: {
    startPriceFenPerKg: number;
    floorPriceFenPerKg: number;
    startsAt: Date;
    floorAt: Date;
    endsAt: Date;
    stepMinutes?: number;
    minTakeGrams: number;
  };
  /** The smallest bid or take; absent on lots posted before minimums (then the product's default). */
  minTakeGrams?: number;
  /** Photos in GridFS (photos/lot-photos.store.ts); `thumb` false until the thumbnail is stored. */
  photos?: LotPhotoDoc[];
  createdAt: Date;
  updatedAt: Date;
  /**
   * Bumped by every write, in the same atomic update (lots.repository.ts): views and events carry it, so a
   * client keeps the fresher of two views of a lot (absent on lots stored before versions: 0).
   */
  version: number;
  /** Where the lot is picked up, as GeoJSON ([lng, lat]): the lot's pickup lat/lng, else the farm's location. */
  pickupPoint?: { type: 'Point'; coordinates: [number, number] };
  /** The product's names (zh, en) when posted: what the board's text search finds besides farm and place. */
  productNames?: string[];
  /** The Idempotency-Key the farm posted it with (offline outbox, retries): a replay finds this lot. */
  idempotencyKey?: string;
  /** When the ask last changed after posting; with `askPriceHistory` it keeps a price-sorted walk in place. */
  askPriceEditedAt?: Date;
  /** The asks a lot had before its last edits (the last 20): `fenPerKg` was the ask until `until`. */
  askPriceHistory?: { until: Date; fenPerKg: number }[];
}

const pointSchema = new Schema(
  { type: { type: String, enum: ['Point'], required: true }, coordinates: { type: [Number], required: true } },
  { _id: false },
);

const lotSchema = new Schema<LotDoc>(
  {
    _id: { type: String, required: true },
    sellerOrgId: { type: String, required: true },
    version: { type: Number, default: 0 },
    sellerName: String,
    region: String,
    createdBy: { type: String, required: true },
    productCode: { type: String, required: true },
    quantityGrams: { type: Number, required: true },
    remainingGrams: { type: Number, required: true },
    harvestedAt: { type: Date, required: true },
    storage: { type: String, required: true },
    reservePriceFenPerKg: { type: Number, required: true },
    askPriceFenPerKg: { type: Number, required: true },
    grade: String,
    expiresAt: { type: Date, required: true },
    pickup: { type: { _id: false, name: String, address: String, lat: Number, lng: Number }, default: undefined },
    delivery: { type: { _id: false, radiusKm: Number, feeFen: Number }, default: undefined },
    status: { type: String, required: true },
    reservations: { type: [{ _id: false, orderId: String, grams: Number, at: Date }], default: [] },
    fencedOrderIds: { type: [String], default: [] },
    spoiledGrams: Number,
    expiredAt: Date,
    withdrawnAt: Date,
    clock: {
      type: {
        _id: false,
        startPriceFenPerKg: Number,
        floorPriceFenPerKg: Number,
        startsAt: Date,
        floorAt: Date,
        endsAt: Date,
        stepMinutes: Number,
        minTakeGrams: Number,
      },
      default: undefined,
    },
    pickupPoint: { type: pointSchema, default: undefined },
    productNames: { type: [String], default: undefined },
    minTakeGrams: Number,
    photos: {
      type: [{ _id: false, id: String, contentType: String, bytes: Number, thumb: Boolean, at: Date }],
      default: undefined,
    },
    idempotencyKey: String,
    askPriceEditedAt: Date,
    askPriceHistory: { type: [{ _id: false, until: Date, fenPerKg: Number }], default: undefined },
  },
  { timestamps: true, versionKey: false, collection: 'lots' },
);
lotSchema.index({ status: 1, expiresAt: 1 });
lotSchema.index({ productCode: 1, status: 1, expiresAt: 1 });
lotSchema.index({ sellerOrgId: 1, createdAt: -1 });
lotSchema.index({ region: 1, status: 1, expiresAt: 1 });
// The board by price (cheapest ask first, the id as keyset tiebreak) and the lots repriced during a walk.
lotSchema.index({ status: 1, askPriceFenPerKg: 1, _id: 1 });
lotSchema.index({ askPriceEditedAt: 1 }, { sparse: true });
// The board (docs/embedded-mongo-fidelity.md): nearest pickup first, and search. 'none' keeps Chinese as
// character bigrams and English unstemmed; product names weigh most.
lotSchema.index({ pickupPoint: '2dsphere' });
lotSchema.index(
  {
    productNames: 'text',
    sellerName: 'text',
    grade: 'text',
    region: 'text',
    'pickup.name': 'text',
    'pickup.address': 'text',
  },
  { name: 'lots_text', default_language: 'none', weights: { productNames: 10, sellerName: 5, grade: 2 } },
);
// One lot per (farm, Idempotency-Key): two racing posts with the key cannot both insert. Partial: unkeyed lots stay out.
lotSchema.index(
  { sellerOrgId: 1, idempotencyKey: 1 },
  { unique: true, partialFilterExpression: { idempotencyKey: { $exists: true } } },
);

export function lotModel(connection: Connection): Model<LotDoc> {
  return (connection.models.Lot as Model<LotDoc> | undefined) ?? connection.model<LotDoc>('Lot', lotSchema);
}
