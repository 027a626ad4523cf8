import type { Connection } from 'mongoose';
import { rateLimitModel } from './ratelimits.model';

export interface RateLimitRecord {
  key: string;
  failures: number;
  blockedUntil?: Date;
  expiresAt: Date;
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;

/** One document per key; shared by every app node through the database. */
export function createRateLimitRepository(connection: Connection) {
  const RateLimit = rateLimitModel(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await RateLimit.init();
    },

    async find(key: string): Promise<RateLimitRecord | null> {
      const doc = await RateLimit.findById(key).lean();
      if (!doc) return null;
      return { key, failures: doc.failures, blockedUntil: doc.blockedUntil ?? undefined, expiresAt: doc.expiresAt };
    },

    /** Atomic `$inc` upsert: concurrent failures on several nodes all count. Returns the new count. */
    async addFailure(key: string, now: Date, expiresAt: Date): Promise<number> {
      const doc = await RateLimit.findOneAndUpdate(
        { _id: key },
        { $inc: { failures: 1 }, $set: { lastFailureAt: now, expiresAt } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      return doc?.failures ?? 1;
    },

    /** Moves blockedUntil forward only (`$max`), so a slower node cannot shorten a block. */
    async blockUntil(key: string, until: Date): Promise<void> {
      await RateLimit.updateOne({ _id: key }, { $max: { blockedUntil: until } });
    },

    async clear(key: string): Promise<void> {
      await RateLimit.deleteOne({ _id: key });
    },
  };
}
