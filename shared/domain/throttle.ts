/**
 * Growing delays after repeated failures: the first `freeFailures` cost nothing; after that each
 * failure blocks further attempts for a delay that doubles, up to `maxDelayMs`.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A counter is forgotten this long after its last failure. */
  windowMs: number;
}

export const LOGIN_PER_ACCOUNT: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 15_000,
  maxDelayMs: 3_600_000,
  windowMs: 86_400_000,
};
export const LOGIN_PER_IP: ThrottlePolicy = {
  freeFailures: 30,
  baseDelayMs: 15_000,
  maxDelayMs: 3_600_000,
  windowMs: 86_400_000,
};
/** Sign-ups that clash with an existing phone, email or credit code, per clashing value. */
export const SIGNUP_PER_ACCOUNT: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
  windowMs: 86_400_000,
};
export const SIGNUP_PER_IP: ThrottlePolicy = {
  freeFailures: 10,
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
  windowMs: 86_400_000,
};

export function blockDelayMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs);
}

/**
 * Failures counted over the whole account (from every address) never lock the owner out — anyone could
 * lock out any farmer that way (OWASP, "Blocking Brute Force Attacks"). They only slow each further
 * attempt down, doubling from 250 ms up to this cap; refusals are per (account, address) and per address.
 */
export const ACCOUNT_WIDE_MAX_DELAY_MS = 3_000;

export function accountWideDelayMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(ACCOUNT_WIDE_MAX_DELAY_MS, 250 * 2 ** Math.min(failures - policy.freeFailures, 10));
}

/** Whole seconds until an attempt is allowed again, or 0 if it is allowed now. */
export function retryAfterSeconds(blockedUntil: Date | undefined, now: Date): number {
  if (!blockedUntil) return 0;
  const ms = blockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}
