import type { FieldIssue } from '../../../shared/failures';

/**
 * What every API call returns to a store: data, or a failure that a form can show.
 * DOM-free so that stores and their tests can use it without a browser.
 */
export interface ApiFailure {
  /** HTTP status; 0 when the network failed before any answer. */
  status: number;
  code: string;
  message: string;
  /** Field name → message ('' when the server named the field without a message). */
  fields: Record<string, string>;
  /** The same paths, machine-readable (`{ code: 'too_big', maximum }`), for wording them in the person's language. */
  fieldIssues?: Record<string, FieldIssue>;
  /** Quoted to support staff when the server failed. */
  requestId?: string;
  /** From the Retry-After header of a 429. */
  retryAfterSeconds?: number;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

export const ok = <T>(data: T): ApiResult<T> => ({ ok: true, data });
export const fail = (error: Partial<ApiFailure> & { code: string }): { ok: false; error: ApiFailure } => ({
  ok: false,
  error: { status: 0, message: '', fields: {}, ...error },
});

/**
 * The server answers `{ error: { code, message, fields } }`; `fields` may be a map,
 * a list of names or a list of `{ path, message }` issues. Normalise all three.
 */
export function normaliseFields(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (typeof item === 'string') out[item] = '';
      else if (item && typeof item === 'object') {
        const rec = item as { path?: unknown; field?: unknown; message?: unknown };
        const p = rec.field ?? rec.path;
        const name = Array.isArray(p) ? p.map(String).join('.') : typeof p === 'string' ? p : '';
        if (name) out[name] = typeof rec.message === 'string' ? rec.message : '';
      }
    }
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      out[k] = typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join('; ') : '';
    }
  }
  return out;
}

const ISSUE_CODES: ReadonlySet<string> = new Set([
  'required',
  'invalid_type',
  'too_big',
  'too_small',
  'not_integer',
  'invalid_format',
  'invalid_value',
  'invalid',
]);

/** `fieldIssues` as sent by the server; anything malformed (an older or foreign server) is left out. */
export function normaliseFieldIssues(raw: unknown): Record<string, FieldIssue> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, FieldIssue> = {};
  for (const [path, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    if (typeof v.code !== 'string' || !ISSUE_CODES.has(v.code)) continue;
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
    const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
    out[path] = {
      code: v.code as FieldIssue['code'],
      ...(num(v.maximum) !== undefined ? { maximum: num(v.maximum) } : {}),
      ...(num(v.minimum) !== undefined ? { minimum: num(v.minimum) } : {}),
      ...(typeof v.inclusive === 'boolean' ? { inclusive: v.inclusive } : {}),
      ...(str(v.origin) ? { origin: str(v.origin) } : {}),
      ...(str(v.expected) ? { expected: str(v.expected) } : {}),
      ...(str(v.format) ? { format: str(v.format) } : {}),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function failureFromBody(status: number, body: unknown): ApiFailure {
  const err = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (err && typeof err === 'object') {
    const e = err as {
      code?: unknown;
      message?: unknown;
      fields?: unknown;
      fieldIssues?: unknown;
      requestId?: unknown;
    };
    const fieldIssues = normaliseFieldIssues(e.fieldIssues);
    return {
      status,
      code: typeof e.code === 'string' ? e.code : `HTTP_${status}`,
      message: typeof e.message === 'string' ? e.message : '',
      fields: normaliseFields(e.fields),
      ...(fieldIssues ? { fieldIssues } : {}),
      requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
    };
  }
  return { status, code: `HTTP_${status}`, message: '', fields: {} };
}
