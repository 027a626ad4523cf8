import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { PROBLEM_CATEGORIES, PROBLEM_STATUSES, URGENCIES } from '../../../../shared/domain/desk/problems';

const person = new Schema(
  { userId: { type: String, required: true }, name: { type: String, required: true } },
  { _id: false },
);

const stepSchema = new Schema(
  {
    action: { type: String, required: true },
    by: { type: person, required: true },
    at: { type: Date, required: true },
    from: String,
    to: String,
    text: String,
    resolvedOnSite: Boolean,
    orderIds: { type: [String], default: undefined },
  },
  { _id: false },
);

const problemSchema = new Schema(
  {
    orgId: { type: String, required: true },
    visitId: String,
    category: { type: String, enum: PROBLEM_CATEGORIES, required: true },
    description: { type: String, required: true },
    urgency: { type: String, enum: URGENCIES, required: true },
    assignee: { type: person, required: false },
    status: { type: String, enum: PROBLEM_STATUSES, required: true },
    resolution: String,
    resolvedOnSite: Boolean,
    resolvedAt: Date,
    resolvedBy: { type: person, required: false },
    orderIds: { type: [String], default: [] },
    raisedBy: { type: person, required: true },
    history: { type: [stepSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    /** Bumped on every save: a write based on a stale read is refused (409 STALE). */
    revision: { type: Number, required: true, default: 0 },
  },
  { collection: 'problems', versionKey: false },
);
problemSchema.index({ status: 1, createdAt: -1 });
problemSchema.index({ orgId: 1, createdAt: -1 });
problemSchema.index({ visitId: 1 });
// The list a page at a time: newest first, the id as keyset tiebreak (problems.repository page()).
problemSchema.index({ createdAt: -1, _id: 1 });
problemSchema.index({ status: 1, createdAt: -1, _id: 1 });
problemSchema.index({ orgId: 1, createdAt: -1, _id: 1 });

export type ProblemDoc = InferSchemaType<typeof problemSchema>;

export function problemModel(connection: Connection): Model<ProblemDoc> {
  return connection.models.Problem ?? connection.model<ProblemDoc>('Problem', problemSchema);
}
