import { blockDelayMs, retryAfterSeconds, type ThrottlePolicy } from '../../../../shared/domain/throttle';
import type { RateLimitRepository } from './ratelimits.repository';

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

export type ThrottleService = ReturnType<typeof createThrottleService>;

/** Growing delays after failures, per key (account, IP), shared by all app nodes through MongoDB. */
export function createThrottleService(repo: RateLimitRepository) {
  return {
    /** Seconds until the most restrictive of the keys allows an attempt; 0 = go ahead. */
    async retryAfter(keys: readonly ThrottleKey[], now: Date): Promise<number> {
      const records = await Promise.all(keys.map((k) => repo.find(k.key)));
      let wait = 0;
      for (const record of records) {
        // A record past its expiry is forgotten even if the TTL monitor has not removed it yet.
        if (!record || record.expiresAt.getTime() <= now.getTime()) continue;
        wait = Math.max(wait, retryAfterSeconds(record.blockedUntil, now));
      }
      return wait;
    },

    /** Failures counted under `key` and not yet forgotten (0 when none). */
    async failures(key: string, now: Date): Promise<number> {
      const record = await repo.find(key);
      return record && record.expiresAt.getTime() > now.getTime() ? record.failures : 0;
    },

    async recordFailure(keys: readonly ThrottleKey[], now: Date): Promise<void> {
      await Promise.all(
        keys.map(async ({ key, policy }) => {
          const failures = await repo.addFailure(key, now, new Date(now.getTime() + policy.windowMs));
          const delay = blockDelayMs(failures, policy);
          if (delay > 0) await repo.blockUntil(key, new Date(now.getTime() + delay));
        }),
      );
    },

    async clear(key: string): Promise<void> {
      await repo.clear(key);
    },
  };
}
