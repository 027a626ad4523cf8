import { Schema, type Connection, type Model } from 'mongoose';
import type { DemandStatus } from '../../../../shared/domain/demand';
import type { Weekday } from '../../../../shared/domain/calendar';
import type { StandingOrderSide, StandingOrderStatus } from '../../../../shared/domain/standing-orders';

export interface DemandDoc {
  _id: string;
  buyerOrgId: string;
  /** The restaurant's name when the demand was posted (absent on older demand). */
  buyerName?: string;
  createdBy: string;
  productCode: string;
  quantityGrams: number;
  maxPriceFenPerKg: number;
  neededBy: Date;
  /** Start of the delivery window deliverFrom..neededBy. */
  deliverFrom?: Date;
  storage?: 'cold' | 'ambient';
  deliveryRequired: boolean;
  deliveryAddress?: string;
  note?: string;
  status: DemandStatus;
  /** Grams of the confirmed orders in `orderIds` (older demand: absent, i.e. 0). */
  filledGrams?: number;
  /** The confirmed orders counted in filledGrams: each order counts once, however often its fill is applied. */
  orderIds?: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface StandingOrderDoc {
  _id: string;
  buyerOrgId: string;
  sellerOrgId?: string;
  createdBy: string;
  productCode: string;
  gramsPerOccurrence: number;
  weekdays: Weekday[];
  priceFenPerKg: number;
  startDate: string;
  endDate?: string;
  deliverBy: string;
  tolerance?: { extraPercent: number; discountPercent: number };
  status: StandingOrderStatus;
  /** The farm's reason for declining the proposal. */
  declineReason?: string;
  /** Who ended it (`buyer`: the restaurant, `seller`: the farm) and, for the farm, why. */
  cancelledBy?: StandingOrderSide;
  cancelReason?: string;
  /** Every consent step after creation: who (user, side, via a broker), when, why. */
  steps: StandingOrderStep[];
  createdAt: Date;
  updatedAt: Date;
  /** 1 when made, bumped by every step in the same update: of two views the higher is the fresher (none: made before versions). */
  version?: number;
}

export interface StandingOrderStep {
  status: StandingOrderStatus;
  side: StandingOrderSide;
  userId: string;
  viaBroker?: boolean;
  reason?: string;
  at: Date;
}

const demandSchema = new Schema<DemandDoc>(
  {
    _id: { type: String, required: true },
    buyerOrgId: { type: String, required: true },
    buyerName: String,
    createdBy: { type: String, required: true },
    productCode: { type: String, required: true },
    quantityGrams: { type: Number, required: true },
    maxPriceFenPerKg: { type: Number, required: true },
    neededBy: { type: Date, required: true },
    deliverFrom: Date,
    storage: String,
    deliveryRequired: { type: Boolean, default: false },
    deliveryAddress: String,
    note: String,
    status: { type: String, required: true },
    filledGrams: Number,
    orderIds: { type: [String], default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demands' },
);
// The paged lists' orders, the id breaking ties (keyset pages read in index order, never sorted in memory):
// open demand soonest needed first, all of it or one product's; a buyer's own newest first.
demandSchema.index({ status: 1, productCode: 1, neededBy: 1, _id: 1 });
demandSchema.index({ status: 1, neededBy: 1, _id: 1 });
demandSchema.index({ buyerOrgId: 1, createdAt: -1, _id: -1 });

const standingOrderSchema = new Schema<StandingOrderDoc>(
  {
    _id: { type: String, required: true },
    buyerOrgId: { type: String, required: true },
    sellerOrgId: String,
    createdBy: { type: String, required: true },
    productCode: { type: String, required: true },
    gramsPerOccurrence: { type: Number, required: true },
    weekdays: { type: [Number], required: true },
    priceFenPerKg: { type: Number, required: true },
    startDate: { type: String, required: true },
    endDate: String,
    deliverBy: { type: String, required: true },
    tolerance: { type: { _id: false, extraPercent: Number, discountPercent: Number }, default: undefined },
    status: { type: String, required: true },
    declineReason: String,
    cancelledBy: String,
    cancelReason: String,
    steps: {
      type: [
        { _id: false, status: String, side: String, userId: String, viaBroker: Boolean, reason: String, at: Date },
      ],
      default: [],
    },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: Number,
  },
  { versionKey: false, collection: 'standingorders' },
);
standingOrderSchema.index({ buyerOrgId: 1, status: 1 });
standingOrderSchema.index({ sellerOrgId: 1, status: 1 });
// GET /api/standing-orders pages newest first: a party's as buyer and as seller, the chamber's all of them.
standingOrderSchema.index({ buyerOrgId: 1, createdAt: -1, _id: -1 });
standingOrderSchema.index({ sellerOrgId: 1, createdAt: -1, _id: -1 });
standingOrderSchema.index({ createdAt: -1, _id: -1 });

export function demandModel(connection: Connection): Model<DemandDoc> {
  return (
    (connection.models.Demand as Model<DemandDoc> | undefined) ?? connection.model<DemandDoc>('Demand', demandSchema)
  );
}

export function standingOrderModel(connection: Connection): Model<StandingOrderDoc> {
  return (
    (connection.models.StandingOrder as Model<StandingOrderDoc> | undefined) ??
    connection.model<StandingOrderDoc>('StandingOrder', standingOrderSchema)
  );
}
