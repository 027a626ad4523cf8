/**
 * The programme's collections: campaigns, pairings, research topics, remediation plans and outcomes.
 * Progress is never stored: it is computed from the orders each time (programme.repository.ts).
 */
import { Schema, type Connection, type Model } from 'mongoose';

const campaignSchema = new Schema(
  {
    name: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    productCodes: { type: [String], default: undefined },
    farmIds: { type: [String], default: undefined },
    villages: { type: [String], default: undefined },
    targetValueFen: Number,
    targetGrams: Number,
    inviteOnly: Boolean,
    /** SHA-256 (hex) of the poster's share link token (unguessable, replaced or removed by the chamber). */
    posterTokenHash: String,
    /** Before tokens were hashed: the plain token, hashed at start-up (programme.module.ts) and removed. */
    posterToken: String,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    invitedOrgIds: { type: [String], default: [] },
    joinedOrgIds: { type: [String], default: [] },
  },
  { collection: 'programme_campaigns', versionKey: false },
);
campaignSchema.index({ endsAt: -1 });
// Lists a page at a time, newest first with the id as keyset tiebreak (programme.repository).
campaignSchema.index({ startsAt: -1, _id: 1 });

const pairingStep = new Schema(
  {
    action: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    note: String,
    pledgeGrams: Number,
    pledgeFen: Number,
  },
  { _id: false },
);
const pairingSchema = new Schema(
  {
    enterpriseOrgId: { type: String, required: true },
    farmIds: { type: [String], default: [] },
    villages: { type: [String], default: [] },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    pledgeGrams: Number,
    pledgeFen: Number,
    note: String,
    status: { type: String, required: true },
    history: { type: [pairingStep], default: [] },
    createdAt: { type: Date, required: true },
  },
  { collection: 'programme_pairings', versionKey: false },
);
pairingSchema.index({ enterpriseOrgId: 1, createdAt: -1 });
pairingSchema.index({ farmIds: 1 });
pairingSchema.index({ createdAt: -1, _id: 1 });
pairingSchema.index({ enterpriseOrgId: 1, createdAt: -1, _id: 1 });

const topicSchema = new Schema(
  {
    title: { type: String, required: true },
    summary: String,
    problemIds: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'programme_topics', versionKey: false },
);

const taskSchema = new Schema(
  { title: { type: String, required: true }, owner: { type: String, required: true }, dueOn: String, doneAt: Date },
  { _id: false },
);
const planSchema = new Schema(
  {
    title: { type: String, required: true },
    topicId: String,
    problemIds: { type: [String], default: [] },
    tasks: { type: [taskSchema], default: [] },
    status: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'programme_plans', versionKey: false },
);

const outcomeSchema = new Schema(
  {
    title: { type: String, required: true },
    description: String,
    achievedOn: { type: String, required: true },
    problemIds: { type: [String], default: [] },
    planIds: { type: [String], default: [] },
    orderIds: { type: [String], default: [] },
    campaignIds: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'programme_outcomes', versionKey: false },
);
outcomeSchema.index({ achievedOn: -1 });
outcomeSchema.index({ achievedOn: -1, _id: 1 });
topicSchema.index({ createdAt: -1, _id: 1 });
planSchema.index({ createdAt: -1, _id: 1 });

export interface ProgrammeModels {
  Campaign: Model<Record<string, unknown>>;
  Pairing: Model<Record<string, unknown>>;
  Topic: Model<Record<string, unknown>>;
  Plan: Model<Record<string, unknown>>;
  Outcome: Model<Record<string, unknown>>;
}

const modelOf = (connection: Connection, name: string, schema: Schema): Model<Record<string, unknown>> =>
  (connection.models[name] as Model<Record<string, unknown>> | undefined) ??
  connection.model<Record<string, unknown>>(name, schema);

export function programmeModels(connection: Connection): ProgrammeModels {
  return {
    Campaign: modelOf(connection, 'ProgrammeCampaign', campaignSchema),
    Pairing: modelOf(connection, 'ProgrammePairing', pairingSchema),
    Topic: modelOf(connection, 'ProgrammeTopic', topicSchema),
    Plan: modelOf(connection, 'ProgrammePlan', planSchema),
    Outcome: modelOf(connection, 'ProgrammeOutcome', outcomeSchema),
  };
}
