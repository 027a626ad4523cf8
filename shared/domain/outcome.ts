/**
 * Expected failures are values, not exceptions: every market rule returns one of these.
 * `reason` is a stable SCREAMING_CASE code the HTTP and socket layers map to statuses/acks;
 * `field` names the input at fault when there is one, so clients can highlight it.
 */
export interface Failure<R extends string> {
  ok: false;
  reason: R;
  field?: string;
  message: string;
}

export function fail<R extends string>(reason: R, message: string, field?: string): Failure<R> {
  return field === undefined ? { ok: false, reason, message } : { ok: false, reason, message, field };
}
