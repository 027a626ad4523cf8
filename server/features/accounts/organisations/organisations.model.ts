import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { ORGANISATION_KINDS, VERIFICATION_ACTIONS, VERIFICATION_STATES } from '../../../../shared/schemas/accounts';

const addressSchema = new Schema(
  {
    province: { type: String, required: true },
    city: { type: String, required: true },
    county: { type: String, required: true },
    township: String,
    village: String,
  },
  { _id: false },
);

const organisationSchema = new Schema(
  {
    kind: { type: String, enum: ORGANISATION_KINDS, required: true },
    name: { type: String, required: true },
    creditCode: { type: String, required: true },
    contactPhone: { type: String, required: true },
    address: { type: addressSchema, required: true },
    location: { type: new Schema({ lat: Number, lng: Number }, { _id: false }), required: false },
    verification: { type: String, enum: VERIFICATION_STATES, required: true },
    verificationReason: String,
    verificationDecidedAt: Date,
  },
  { timestamps: true, collection: 'organisations' },
);
organisationSchema.index({ creditCode: 1 }, { unique: true });
organisationSchema.index({ verification: 1, createdAt: -1 });
// GET /api/farms pages verified farms in the order they joined, the id breaking ties.
organisationSchema.index({ kind: 1, verification: 1, createdAt: 1, _id: 1 });
// The review list a page at a time: newest first, the id as keyset tiebreak.
organisationSchema.index({ createdAt: -1, _id: 1 });
organisationSchema.index({ verification: 1, createdAt: -1, _id: 1 });

const auditSchema = new Schema(
  {
    organisationId: { type: Schema.Types.ObjectId, required: true },
    action: { type: String, enum: VERIFICATION_ACTIONS, required: true },
    from: { type: String, enum: VERIFICATION_STATES, required: true },
    to: { type: String, enum: VERIFICATION_STATES, required: true },
    reason: String,
    actorId: { type: Schema.Types.ObjectId, required: true },
    actorName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'audit', versionKey: false },
);
auditSchema.index({ organisationId: 1, at: -1 });
auditSchema.index({ organisationId: 1, at: -1, _id: 1 });

type OrganisationDoc = InferSchemaType<typeof organisationSchema>;
type AuditDoc = InferSchemaType<typeof auditSchema>;

export interface OrganisationModels {
  Organisation: Model<OrganisationDoc>;
  Audit: Model<AuditDoc>;
}

export function organisationModels(connection: Connection): OrganisationModels {
  return {
    Organisation: connection.models.Organisation ?? connection.model('Organisation', organisationSchema),
    Audit: connection.models.Audit ?? connection.model('Audit', auditSchema),
  };
}
