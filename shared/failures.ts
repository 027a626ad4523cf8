/**
 * The one failure shape. Every expected failure — a broken market rule, a missing record, a refused
 * permission, a rate limit — is a `Failure`: a `reason` from the closed set below (what kind of failure it
 * is, and so how a transport answers it), a stable `code` the API has always returned (`NOT_ENOUGH_LEFT`,
 * `VERIFICATION_PENDING` …; clients branch on it), a message, and the facts a client can act on.
 *
 * Services return failures as values and never know HTTP statuses: server/http/failure-status.ts maps a
 * reason to a status (the only such table) and server/realtime/ack.ts maps a failure to a socket ack.
 */
export type FailureReason =
  /** The input is malformed: a field is missing, of the wrong type or out of range (`fields` names them). */
  | 'INVALID'
  /** Nobody is signed in, or the credentials are wrong. */
  | 'UNAUTHENTICATED'
  /** Signed in, but this person may not do this. */
  | 'FORBIDDEN'
  /** The organisation is pending, rejected or suspended, so it may not act yet. */
  | 'NOT_VERIFIED'
  | 'NOT_FOUND'
  /** The action clashes with the current state (sold out, someone else's turn, a stale write). */
  | 'CONFLICT'
  /** Well-formed input that breaks a business rule (a price below the reserve, a lot already spoiled). */
  | 'RULE_BROKEN'
  /** Too many attempts; `retryAfterSeconds` says when to try again. */
  | 'RATE_LIMITED'
  /** Interrupted half-way (e.g. a reservation); safe to retry. */
  | 'UNAVAILABLE'
  /** Not available in this deployment. */
  | 'NOT_IMPLEMENTED'
  /** A fault on our side; the message is generic and the cause is only logged. */
  | 'INTERNAL';

export interface Failure {
  reason: FailureReason;
  /** The stable code clients branch on (SCREAMING_CASE). */
  code: string;
  message: string;
  /** Input at fault: field path (`quantityGrams`, `lines.0.priceFenPerKg`, the `Idempotency-Key` header) → message. */
  fields?: Record<string, string>;
  /** The same paths as `fields`, machine-readable, for clients that word the problem themselves. */
  fieldIssues?: Record<string, FieldIssue>;
  /** For RATE_LIMITED: seconds until the next attempt may succeed. */
  retryAfterSeconds?: number;
  /** Other facts a client can act on, e.g. `{ remainingGrams }`, `{ orderId }`, `{ marketReason }`. */
  details?: Record<string, unknown>;
}

export const failureOf = (
  reason: FailureReason,
  code: string,
  message: string,
  extra: Pick<Failure, 'fields' | 'fieldIssues' | 'retryAfterSeconds' | 'details'> = {},
): Failure => ({ reason, code, message, ...extra });

/**
 * The error body every transport sends: HTTP responses as `{ error }`, socket acks as `{ ok: false, error }`.
 * `details` are spread beside code and message (as the API has always done); `requestId` only over HTTP.
 */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  fieldIssues?: Record<string, FieldIssue>;
  retryAfterSeconds?: number;
  requestId?: string;
  [detail: string]: unknown;
}

/** The public body of a failure (without the reason, which only chooses the status). */
export const errorBodyOf = (failure: Failure): ErrorBody => ({
  ...failure.details,
  code: failure.code,
  message: failure.message,
  ...(failure.fields ? { fields: failure.fields } : {}),
  ...(failure.fieldIssues ? { fieldIssues: failure.fieldIssues } : {}),
  ...(failure.retryAfterSeconds ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
});

/** The codes any area may use (authentication, permissions, validation …), each with its reason. */
export const REASON_OF_COMMON_CODE = {
  VALIDATION: 'INVALID',
  BAD_REQUEST: 'INVALID',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_CREDENTIALS: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CSRF: 'FORBIDDEN',
  PASSWORD_CHANGE_REQUIRED: 'FORBIDDEN',
  SESSION_REQUIRED: 'FORBIDDEN',
  VERIFICATION_PENDING: 'NOT_VERIFIED',
  VERIFICATION_REJECTED: 'NOT_VERIFIED',
  ORGANISATION_SUSPENDED: 'NOT_VERIFIED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_TRANSITION: 'CONFLICT',
  LAST_MANAGER: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
} as const satisfies Record<string, FailureReason>;
export type CommonCode = keyof typeof REASON_OF_COMMON_CODE;

/** A failure with one of the common codes; its reason follows from the code. */
export const commonFailure = (
  code: CommonCode,
  message: string,
  extra: Pick<Failure, 'fields' | 'fieldIssues' | 'retryAfterSeconds' | 'details'> = {},
): Failure => failureOf(REASON_OF_COMMON_CODE[code], code, message, extra);

/** zod issues → `{ "user.password": "…" }`, the first message per field path. */
export function issuesToFields(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * What is wrong with one field, machine-readable: a client words it in the person's language and units
 * ("最多 200 万斤") while `fields` keeps a readable English message for API users.
 * - `required`: missing; `invalid_type`: present but of the wrong type (`expected` says which);
 * - `too_big` / `too_small`: beyond `maximum` / `minimum` (`inclusive` false: the limit itself is refused too);
 *   `origin` says what was measured: a number's value, a string's length, an array's items;
 * - `not_integer`: a number with a fraction where whole units (grams, fen) are needed;
 * - `invalid_format` (`format`: email, datetime, regex …), `invalid_value` (`values`: the allowed ones);
 * - `invalid`: anything else (the message says what).
 */
export interface FieldIssue {
  code:
    | 'required'
    | 'invalid_type'
    | 'too_big'
    | 'too_small'
    | 'not_integer'
    | 'invalid_format'
    | 'invalid_value'
    | 'invalid';
  maximum?: number;
  minimum?: number;
  inclusive?: boolean;
  origin?: string;
  expected?: string;
  format?: string;
  values?: (string | number | boolean | null)[];
}

/** The part of a zod (v4) issue the conversion reads; other validators may pass fewer facts. */
interface IssueFacts {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  expected?: unknown;
  maximum?: unknown;
  minimum?: unknown;
  inclusive?: unknown;
  origin?: unknown;
  format?: unknown;
  values?: unknown;
}

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The value at `path` inside `input` (undefined when any step is missing). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

/**
 * One zod issue as a `FieldIssue`: only plain facts, never the refused input itself. `input` is the whole
 * refused value, to tell a missing field (`required`) from one of the wrong type (zod 4 does not say).
 */
export function fieldIssueOf(issue: IssueFacts, input?: unknown): FieldIssue {
  // A missing field is refused as the wrong type (or, for a choice, the wrong value).
  const missing = input !== undefined && issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  if (missing && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) return { code: 'required' };
  switch (issue.code) {
    case 'invalid_type':
      // zod 4 reports `z.number().int()` given 1.5 as the type "int".
      if (issue.expected === 'int') return { code: 'not_integer' };
      return { code: 'invalid_type', ...(textOf(issue.expected) ? { expected: textOf(issue.expected) } : {}) };
    case 'too_big':
    case 'too_small': {
      const limit = numberOf(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      return {
        code: issue.code,
        ...(limit === undefined ? {} : issue.code === 'too_big' ? { maximum: limit } : { minimum: limit }),
        inclusive: issue.inclusive !== false,
        ...(textOf(issue.origin) ? { origin: textOf(issue.origin) } : {}),
      };
    }
    case 'invalid_format':
      return { code: 'invalid_format', ...(textOf(issue.format) ? { format: textOf(issue.format) } : {}) };
    case 'invalid_value':
      return {
        code: 'invalid_value',
        ...(Array.isArray(issue.values)
          ? {
              values: issue.values.filter(
                (v): v is string | number | boolean | null =>
                  v === null || ['string', 'number', 'boolean'].includes(typeof v),
              ),
            }
          : {}),
      };
    default:
      return { code: 'invalid' };
  }
}

/** zod issues → `{ "user.password": { code, … } }`, the first issue per field path (as `issuesToFields`). */
function issuesToFieldIssues(issues: readonly IssueFacts[], input?: unknown): Record<string, FieldIssue> {
  const out: Record<string, FieldIssue> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    out[key] ??= fieldIssueOf(issue, input);
  }
  return out;
}

/** Malformed input: 400 VALIDATION over HTTP, naming every field at fault (with its issue when known). */
export const invalidInput = (fields: Record<string, string>, fieldIssues?: Record<string, FieldIssue>): Failure =>
  commonFailure('VALIDATION', `Invalid request: ${Object.keys(fields).join(', ')}`, {
    fields,
    ...(fieldIssues ? { fieldIssues } : {}),
  });

/** A zod refusal of `input` as a failure: each field's English message and its machine-readable issue. */
export const invalidIssues = (issues: readonly IssueFacts[], input: unknown): Failure =>
  invalidInput(issuesToFields(issues), issuesToFieldIssues(issues, input));
