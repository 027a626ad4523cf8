import type { AccountsErrorCode } from '../shared/schemas/accounts';

/**
 * What services return: the value, or an expected failure with a stable code. Failures are mapped
 * to HTTP statuses in server/http/respond.ts and to socket acks in server/realtime/ack.ts.
 */
export interface Failure {
  code: AccountsErrorCode;
  message: string;
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = (
  code: AccountsErrorCode,
  message: string,
  extra: Omit<Failure, 'code' | 'message'> = {},
): { ok: false; error: Failure } => ({
  ok: false,
  error: { code, message, ...extra },
});
