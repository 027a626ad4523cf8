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

export function failureFromBody(status: number, body: unknown): ApiFailure {
  const err = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; fields?: unknown; requestId?: unknown };
    return {
      status,
      code: typeof e.code === 'string' ? e.code : `HTTP_${status}`,
      message: typeof e.message === 'string' ? e.message : '',
      fields: normaliseFields(e.fields),
      requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
    };
  }
  return { status, code: `HTTP_${status}`, message: '', fields: {} };
}
