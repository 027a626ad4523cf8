import { Schema, type Connection, type Model } from 'mongoose';

/** One document per throttled key (e.g. `login:acct:13800000000`, `login:ip:1.2.3.4`). */
export interface RateLimitDoc {
  _id: string;
  failures: number;
  lastFailureAt: Date;
  blockedUntil?: Date;
  expiresAt: Date;
}

const rateLimitSchema = new Schema<RateLimitDoc>(
  {
    _id: { type: String, required: true },
    failures: { type: Number, required: true },
    lastFailureAt: { type: Date, required: true },
    blockedUntil: Date,
    expiresAt: { type: Date, required: true },
  },
  { collection: 'ratelimits', versionKey: false },
);
rateLimitSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function rateLimitModel(connection: Connection): Model<RateLimitDoc> {
  return connection.models.RateLimit ?? connection.model('RateLimit', rateLimitSchema);
}
