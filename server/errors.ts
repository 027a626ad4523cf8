/**
 * An error that is safe to show to a client: it carries an HTTP status, a stable code
 * and, for validation problems, the fields at fault.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new HttpError(400, 'BAD_REQUEST', message, details);
export const notFound = (message = 'Not found') => new HttpError(404, 'NOT_FOUND', message);
