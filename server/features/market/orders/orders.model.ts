import { Schema, type Connection, type Model } from 'mongoose';
import type { Order } from '../../../../shared/domain/orders';

export type OrderDoc = Omit<Order, 'id'> & {
  /** Deterministic from `key` and the attempt number (reservation.ts, attemptKey), so a request joining an attempt collides with it. */
  _id: string;
  /** What the order is for: `offer:<offerId>` or `take:<lotId>:<buyerOrgId>:<idempotencyKey>` (the same for every attempt). */
  key: string;
  version: number;
  confirmedAt?: Date;
  failedReason?: string;
  idempotencyKey?: string;
  /** The Idempotency-Key of the receipt confirmation (a phone's outbox replays it on reconnect). */
  receiptKey?: string;
  /** The parties' names, copied from the offer or lot when the order was made (older orders: absent). */
  sellerName?: string;
  buyerName?: string;
};

const orderSchema = new Schema<OrderDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    // '' on a standing order's proposed order until the farm names the lot it fills it from.
    lotId: {
      type: String,
      required(this: { source?: string }) {
        return this.source !== 'standing_order';
      },
    },
    source: { type: String, required: true },
    offerId: String,
    buyerOrgId: { type: String, required: true },
    sellerOrgId: { type: String, required: true },
    sellerName: String,
    buyerName: String,
    productCode: { type: String, required: true },
    quantityGrams: { type: Number, required: true },
    priceFenPerKg: { type: Number, required: true },
    totalFen: { type: Number, required: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    confirmedAt: Date,
    failedReason: String,
    dispatchedAt: Date,
    deliveredAt: Date,
    deliveredGrams: Number,
    completedAt: Date,
    cancelReason: String,
    disputeNote: String,
    number: String,
    delivery: { type: { _id: false, mode: String, address: String }, default: undefined },
    slot: { type: { _id: false, from: Date, to: Date }, default: undefined },
    brokered: Boolean,
    timeline: {
      type: [{ _id: false, status: String, at: Date, side: String, userId: String, viaBroker: Boolean, note: String }],
      default: undefined,
    },
    standing: {
      type: {
        _id: false,
        standingOrderId: String,
        date: String,
        baseGrams: Number,
        maxExtraGrams: Number,
        extraPriceFenPerKg: Number,
      },
      default: undefined,
    },
    declineReason: String,
    idempotencyKey: String,
    receiptKey: String,
    version: { type: Number, required: true },
  },
  { versionKey: false, collection: 'orders' },
);
orderSchema.index({ buyerOrgId: 1, createdAt: -1 });
orderSchema.index({ sellerOrgId: 1, createdAt: -1 });
orderSchema.index({ status: 1, updatedAt: 1 });
orderSchema.index({ lotId: 1 });
orderSchema.index({ confirmedAt: -1 }); // programme progress (campaigns, pairings, dashboard) reads orders by confirmedAt range
// One number per order; older orders have none.
orderSchema.index({ number: 1 }, { unique: true, partialFilterExpression: { number: { $type: 'string' } } });
// POST /api/outcomes finds a clock take by the buyer's key (partial: orders without a key stay out).
orderSchema.index(
  { buyerOrgId: 1, idempotencyKey: 1 },
  { partialFilterExpression: { idempotencyKey: { $exists: true } } },
);

export function orderModel(connection: Connection): Model<OrderDoc> {
  return (connection.models.Order as Model<OrderDoc> | undefined) ?? connection.model<OrderDoc>('Order', orderSchema);
}

/** One counter per Shanghai day (`_id` YYYYMMDD), moved by one atomic $inc per number handed out. */
interface OrderNumberCounterDoc {
  _id: string;
  seq: number;
}
const counterSchema = new Schema<OrderNumberCounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false, collection: 'order_number_counters' },
);

export function orderNumberCounterModel(connection: Connection): Model<OrderNumberCounterDoc> {
  return (
    (connection.models.OrderNumberCounter as Model<OrderNumberCounterDoc> | undefined) ??
    connection.model<OrderNumberCounterDoc>('OrderNumberCounter', counterSchema)
  );
}
