import type { Ack } from '../../shared/events';
import type { Logger } from '../logger';
import { failure, type Failure, type Outcome } from '../outcome';
import type { AuthenticatedUser } from '../features/accounts/accounts.types';

/** The one place that maps service outcomes to socket acks. */
export function ackOf<T>(outcome: Outcome<T>): Ack<T> {
  return outcome.ok ? { ok: true, data: outcome.value } : { ok: false, error: publicError(outcome.error) };
}

const publicError = (error: Failure) => ({ code: error.code, message: error.message });

/** Clients may emit without a callback; then there is nobody to answer. */
export function ackFunction<T>(candidate: unknown): (response: Ack<T>) => void {
  return typeof candidate === 'function' ? (candidate as (response: Ack<T>) => void) : () => undefined;
}

/** Runs a handler, turning an unexpected fault into a generic INTERNAL ack (logged, never sent). */
export async function answer<T>(ack: (response: Ack<T>) => void, logger: Logger, run: () => Promise<Outcome<T>>): Promise<void> {
  try {
    ack(ackOf(await run()));
  } catch (err) {
    logger.error({ err }, 'socket handler failed');
    ack({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
  }
}

/** Every authenticated handler starts here: the user is re-read, so removals and resets apply at once. */
export function signedIn(user: AuthenticatedUser | null): Outcome<AuthenticatedUser> {
  if (!user) return failure('UNAUTHENTICATED', 'Sign in first.');
  if (user.mustChangePassword) return failure('PASSWORD_CHANGE_REQUIRED', 'Change your one-time password first.');
  return { ok: true, value: user };
}
