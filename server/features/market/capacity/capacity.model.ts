import { Schema, type Connection, type Model } from 'mongoose';
import type { Weekday } from '../../../../shared/domain/calendar';

/** One per farm: `_id` is the organisation id. */
export interface CapacityDoc {
  _id: string;
  production: { productCode: string; dailyGrams: number; weekdays?: Weekday[] }[];
  coldStorageGrams: number;
  dispatchGramsPerDay: number;
  pickup?: { name: string; address: string; lat?: number; lng?: number };
  updatedAt: Date;
  updatedBy: string;
}

const capacitySchema = new Schema<CapacityDoc>(
  {
    _id: { type: String, required: true },
    production: {
      type: [{ _id: false, productCode: String, dailyGrams: Number, weekdays: { type: [Number], default: undefined } }],
      default: [],
    },
    coldStorageGrams: { type: Number, required: true },
    dispatchGramsPerDay: { type: Number, required: true },
    pickup: { type: { _id: false, name: String, address: String, lat: Number, lng: Number }, default: undefined },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'capacities' },
);

export function capacityModel(connection: Connection): Model<CapacityDoc> {
  return (
    (connection.models.Capacity as Model<CapacityDoc> | undefined) ??
    connection.model<CapacityDoc>('Capacity', capacitySchema)
  );
}
