import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const apiTokenSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    /** SHA-256 of the secret, hex. The secret itself is never stored. */
    hash: { type: String, required: true },
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: Date,
    expiresAt: Date,
  },
  { collection: 'apitokens', versionKey: false },
);
apiTokenSchema.index({ hash: 1 }, { unique: true });
apiTokenSchema.index({ userId: 1 });
// GET /api/tokens pages a person's tokens newest first, the id breaking ties.
apiTokenSchema.index({ userId: 1, createdAt: -1, _id: -1 });
// Expired tokens are refused on use; the TTL index also deletes them (tokens without expiresAt stay).
apiTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type ApiTokenDoc = InferSchemaType<typeof apiTokenSchema>;

export function apiTokenModel(connection: Connection): Model<ApiTokenDoc> {
  return connection.models.ApiToken ?? connection.model('ApiToken', apiTokenSchema);
}
