import type { Ack } from '../../shared/events';
import type { Failure } from '../../shared/failures';
import type { Logger } from '../logger';
import { failure, type Outcome } from '../outcome';
import type { AuthenticatedUser } from '../principal';

/** The one place that maps a failure to a socket ack: the same code, message and facts as its HTTP body. */
export function ackOfFailure(error: Failure): Ack<never> {
  const details: Record<string, unknown> = {
    ...error.details,
    ...(error.fields ? { fields: error.fields } : {}),
    ...(error.fieldIssues ? { fieldIssues: error.fieldIssues } : {}),
    ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
  return {
    ok: false,
    error: { code: error.code, message: error.message, ...(Object.keys(details).length > 0 ? { details } : {}) },
  };
}

function ackOf<T>(outcome: Outcome<T>): Ack<T> {
  return outcome.ok ? { ok: true, data: outcome.value } : ackOfFailure(outcome.error);
}

/** Clients may emit without a callback; then there is nobody to answer. */
export function ackFunction<T>(candidate: unknown): (response: Ack<T>) => void {
  return typeof candidate === 'function' ? (candidate as (response: Ack<T>) => void) : () => undefined;
}

/** Runs a handler, turning an unexpected fault into a generic INTERNAL ack (logged, never sent). */
export async function answer<T>(
  ack: (response: Ack<T>) => void,
  logger: Logger,
  run: () => Promise<Outcome<T>>,
): Promise<void> {
  let response: Ack<T>;
  try {
    response = ackOf(await run());
  } catch (err) {
    logger.error({ err }, 'socket handler failed');
    response = { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } };
  }
  ack(response);
}

/** The user if signed in and past the one-time password; otherwise the failure to answer with. */
export function signedIn(user: AuthenticatedUser | null): Outcome<AuthenticatedUser> {
  if (!user) return failure('UNAUTHENTICATED', 'Sign in first.');
  if (user.mustChangePassword) return failure('PASSWORD_CHANGE_REQUIRED', 'Change your one-time password first.');
  return { ok: true, value: user };
}
