import type { Failure, FailureReason } from '../../shared/failures';
import { commonFailure, type CommonCode } from '../../shared/failures';
import { FailureError } from '../errors';
import type { Outcome } from '../outcome';

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

/** The value of a successful outcome; a failure is thrown for errorHandler to send. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new FailureError(outcome.error);
  return outcome.value;
}

/** A common failure to throw from middleware (`throw errorOf('CSRF', …)`). */
export const errorOf = (code: CommonCode, message: string) => new FailureError(commonFailure(code, message));
