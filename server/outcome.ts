import { failureOf, REASON_OF_COMMON_CODE, type Failure, type FailureReason } from '../shared/failures';

/**
 * What services return: the value, or an expected failure (shared/failures.ts). Failures become HTTP
 * responses in server/http/failure-status.ts and socket acks in server/realtime/ack.ts.
 */
export type Outcome<T> = { ok: true; value: T } | Failed;

/** The failure branch every service answers with, whatever its success shape. */
export type Failed = { ok: false; error: Failure };

/**
 * What a service that answers several named values returns (market, desk, programme: `{ ok: true, order, lot }`):
 * the values beside `ok: true`, or the same `Failed` as everywhere (docs/architecture.md "One envelope").
 */
export type Result<T> = ({ ok: true } & T) | Failed;

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });

/**
 * What a failure may carry besides its code and message: `field` names the input at fault (it gets the
 * message under `fields`, beside any other `fields`), `details` are facts a client can act on (empty ones are
 * left out), `retryAfterSeconds` says when to try again.
 */
export interface FailureFacts {
  field?: string | undefined;
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
}

/** A pure rule's refusal (shared/domain/outcome.ts): `{ ok: false, reason, message, field? }`. */
interface Refusal<Code extends string> {
  ok: false;
  reason: Code;
  message: string;
  field?: string;
}

/**
 * The one way a failure is built: a builder over an owner's closed table of codes (code → reason), so a
 * service cannot return a code its table does not list and no failure reaches a client with a guessed status.
 * `fail.refused(rule)` answers a pure rule's refusal (shared/domain) as the same failure.
 */
export function failureBuilder<Code extends string>(reasonOf: Record<Code, FailureReason>) {
  const fail = (code: Code, message: string, facts: FailureFacts = {}): Failed => {
    const { field, fields, retryAfterSeconds, details } = facts;
    const named = field ? { ...fields, [field]: message } : fields;
    return {
      ok: false,
      error: failureOf(reasonOf[code], code, message, {
        ...(named ? { fields: named } : {}),
        ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
        ...(details && Object.keys(details).length > 0 ? { details } : {}),
      }),
    };
  };
  const refused = (rule: Refusal<Code>): Failed => fail(rule.reason, rule.message, { field: rule.field });
  return Object.assign(fail, { refused });
}

/** A failure with one of the common codes (shared/failures.ts), which any area may return. */
export const failure = failureBuilder(REASON_OF_COMMON_CODE);
