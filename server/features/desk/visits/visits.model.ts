import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const person = new Schema(
  { userId: { type: String, required: true }, name: { type: String, required: true } },
  { _id: false },
);

const visitSchema = new Schema(
  {
    orgId: { type: String, required: true },
    visitedOn: { type: String, required: true },
    staff: { type: [person], required: true },
    notes: { type: String, required: true },
    attendees: { type: [String], default: [] },
    createdBy: { type: person, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'visits', versionKey: false },
);
visitSchema.index({ visitedOn: -1 });
visitSchema.index({ orgId: 1, visitedOn: -1 });
// A page at a time: newest visit day first, the id as keyset tiebreak (visits.repository list()).
visitSchema.index({ visitedOn: -1, _id: 1 });
visitSchema.index({ orgId: 1, visitedOn: -1, _id: 1 });

export type VisitDoc = InferSchemaType<typeof visitSchema>;

export function visitModel(connection: Connection): Model<VisitDoc> {
  return connection.models.Visit ?? connection.model<VisitDoc>('Visit', visitSchema);
}
