import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const person = new Schema(
  { userId: { type: String, required: true }, name: { type: String, required: true } },
  { _id: false },
);
const farm = new Schema(
  {
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    township: String,
    village: String,
  },
  { _id: false },
);
const org = new Schema(
  { orgId: { type: String, required: true }, name: { type: String, required: true } },
  { _id: false },
);

const ledgerEntrySchema = new Schema(
  {
    orderId: { type: String, required: true },
    broker: { type: person, required: true },
    farm: { type: farm, required: true },
    buyer: { type: org, required: true },
    productCode: { type: String, required: true },
    valueFen: { type: Number, required: true },
    quantityGrams: { type: Number, required: true },
    programme: { type: String, required: true },
    atRisk: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    voidedAt: Date,
    voidReason: String,
  },
  { collection: 'ledger', versionKey: false },
);
// One entry per order: recording the same confirmation twice is a no-op.
ledgerEntrySchema.index({ orderId: 1 }, { unique: true });
ledgerEntrySchema.index({ createdAt: 1 });
ledgerEntrySchema.index({ 'farm.orgId': 1, createdAt: 1 });
// The report's entries, a page at a time: newest first, the id as keyset tiebreak (ledger.repository page()).
ledgerEntrySchema.index({ createdAt: -1, _id: 1 });
ledgerEntrySchema.index({ 'farm.orgId': 1, createdAt: -1, _id: 1 });

export type LedgerEntryDoc = InferSchemaType<typeof ledgerEntrySchema>;

export function ledgerModel(connection: Connection): Model<LedgerEntryDoc> {
  return connection.models.LedgerEntry ?? connection.model<LedgerEntryDoc>('LedgerEntry', ledgerEntrySchema);
}
