import type { Failure, FailureReason } from '../../shared/failures';
import { commonFailure, type CommonCode } from '../../shared/failures';
import { FailureError } from '../errors';
import type { Failed, Outcome } from '../outcome';

/** The one table from a failure's reason to an HTTP status. */
export const STATUS_OF_REASON: Record<FailureReason, number> = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RULE_BROKEN: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
};

export const statusOf = (failure: Failure): number => STATUS_OF_REASON[failure.reason];

/**
 * The one way a route turns a service's answer into a reply: the success as it is (`{ ok: true, value }` or
 * named values), or its failure thrown for errorHandler to send (Express 5 forwards it).
 */
export function orThrow<T extends { ok: true }>(outcome: T | Failed): T {
  if (!outcome.ok) throw new FailureError(outcome.error);
  return outcome;
}

/** The value of an `Outcome` (orThrow, then `.value`). */
export const unwrap = <T>(outcome: Outcome<T>): T => orThrow(outcome).value;

/** A common failure to throw from middleware (`throw errorOf('CSRF', …)`). */
export const errorOf = (code: CommonCode, message: string) => new FailureError(commonFailure(code, message));
