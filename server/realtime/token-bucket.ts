/**
 * A token bucket: `ratePerSecond` tokens flow in, at most `burst` are kept; each event takes one.
 * Pure: the caller passes the time (milliseconds), so tests need no clock.
 */
export interface BucketPolicy {
  ratePerSecond: number;
  burst: number;
}

type Take = { ok: true } | { ok: false; retryAfterMs: number };

export interface TokenBucket {
  take(nowMs: number): Take;
  /** Tokens available at `nowMs` (for tests and metrics). */
  level(nowMs: number): number;
}

export function createTokenBucket(policy: BucketPolicy, startMs: number): TokenBucket {
  let tokens = policy.burst;
  let at = startMs;
  const refill = (nowMs: number) => {
    if (nowMs > at) {
      tokens = Math.min(policy.burst, tokens + ((nowMs - at) * policy.ratePerSecond) / 1000);
      at = nowMs;
    }
  };
  return {
    take(nowMs) {
      refill(nowMs);
      if (tokens >= 1) {
        tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) * 1000) / policy.ratePerSecond) };
    },
    level(nowMs) {
      refill(nowMs);
      return tokens;
    },
  };
}
