import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { LOCALES, USER_ROLES } from '../../../../shared/schemas/accounts';

const userSchema = new Schema(
  {
    organisationId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: USER_ROLES, required: true },
    isAdmin: { type: Boolean, default: false },
    displayName: { type: String, required: true },
    phone: String,
    /** Stored lower case: emails are unique case-insensitively. */
    email: { type: String, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    locale: { type: String, enum: LOCALES, default: 'zh-CN' },
    mustChangePassword: { type: Boolean, default: false },
    /** Bumped when a password changes or is reset: sessions carrying an older epoch are dropped. */
    sessionEpoch: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'users' },
);
userSchema.index({ phone: 1 }, { unique: true, sparse: true });
userSchema.index({ email: 1 }, { unique: true, sparse: true });
userSchema.index({ organisationId: 1 });
// An organisation's people for chamber staff, a page at a time (oldest account first, the id as tiebreak).
userSchema.index({ organisationId: 1, createdAt: 1, _id: 1 });

export type UserDoc = InferSchemaType<typeof userSchema>;

export function userModel(connection: Connection): Model<UserDoc> {
  return connection.models.User ?? connection.model('User', userSchema);
}
