import type { Ack } from '../../shared/events';
import type { Logger } from '../logger';
import { failure, type Failure, type Outcome } from '../outcome';
import type { AuthenticatedUser } from '../features/accounts/users/accounts.types';
import type { MarketFailure } from '../features/market/kernel/market.types';

/** The one place that maps service outcomes to socket acks. */
export function ackOf<T>(outcome: Outcome<T>): Ack<T> {
  return outcome.ok ? { ok: true, data: outcome.value } : { ok: false, error: publicError(outcome.error) };
}

const publicError = (error: Failure) => ({
  code: error.code,
  message: error.message,
  ...(error.fields || error.retryAfterSeconds
    ? {
        details: {
          ...(error.fields ? { fields: error.fields } : {}),
          ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
        },
      }
    : {}),
});

/** A market failure as an ack: the same code, message and details as its HTTP body (market.http.ts toHttpError). */
export function ackOfMarketFailure(failed: MarketFailure): Ack<never> {
  const details: Record<string, unknown> = { ...failed.details };
  if (failed.field) details.fields = { [failed.field]: failed.message };
  return {
    ok: false,
    error: { code: failed.reason, message: failed.message, ...(Object.keys(details).length > 0 ? { details } : {}) },
  };
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
  await answerAck(ack, logger, async () => ackOf(await run()));
}

/** Like answer, for handlers that build the ack themselves (market failures are not accounts Outcomes). */
export async function answerAck<T>(
  ack: (response: Ack<T>) => void,
  logger: Logger,
  run: () => Promise<Ack<T>>,
): Promise<void> {
  let response: Ack<T>;
  try {
    response = await run();
  } catch (err) {
    logger.error({ err }, 'socket handler failed');
    response = { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } };
  }
  ack(response);
}

/** Every authenticated handler starts here: the user is re-read, so removals and resets apply at once. */
export function signedIn(user: AuthenticatedUser | null): Outcome<AuthenticatedUser> {
  if (!user) return failure('UNAUTHENTICATED', 'Sign in first.');
  if (user.mustChangePassword) return failure('PASSWORD_CHANGE_REQUIRED', 'Change your one-time password first.');
  return { ok: true, value: user };
}
