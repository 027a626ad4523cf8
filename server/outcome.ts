import { commonFailure, type CommonCode, type Failure } from '../shared/failures';

export type { Failure } from '../shared/failures';

/**
 * What services return: the value, or an expected failure (shared/failures.ts). Failures become HTTP
 * responses in server/http/failure-status.ts and socket acks in server/realtime/ack.ts.
 */
export type Outcome<T> = { ok: true; value: T } | Failed;

/** The failure branch every service answers with (market and desk outcomes keep their success shape beside it). */
export type Failed = { ok: false; error: Failure };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = (
  code: CommonCode,
  message: string,
  extra: Pick<Failure, 'fields' | 'retryAfterSeconds' | 'details'> = {},
): Failed => ({ ok: false, error: commonFailure(code, message, extra) });
