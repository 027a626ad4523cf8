import type { AccountsErrorCode } from '../../shared/schemas/accounts';
import { HttpError } from '../errors';
import type { Failure, Outcome } from '../outcome';

/** The one place that maps service failures to HTTP statuses. */
export const STATUS_OF: Record<AccountsErrorCode, number> = {
  VALIDATION: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  SESSION_REQUIRED: 403,
  VERIFICATION_PENDING: 403,
  VERIFICATION_REJECTED: 403,
  ORGANISATION_SUSPENDED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  LAST_MANAGER: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export function httpErrorOf(error: Failure): HttpError {
  const details = error.fields ? { fields: error.fields } : undefined;
  const headers = error.retryAfterSeconds ? { 'Retry-After': String(error.retryAfterSeconds) } : undefined;
  return new HttpError(STATUS_OF[error.code], error.code, error.message, details, headers);
}

/** The value of a successful outcome; a failure is thrown for errorHandler to send. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw httpErrorOf(outcome.error);
  return outcome.value;
}

export const errorOf = (code: AccountsErrorCode, message: string) => new HttpError(STATUS_OF[code], code, message);
