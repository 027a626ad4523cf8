import type { RequestHandler } from 'express';
import { errorOf } from './failure-status';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(value: string | undefined): string | null {
  if (!value || value === 'null') return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * A state-changing request must come from our own pages: its Origin (or, failing that, its Referer)
 * must be the app's origin (config.allowedOrigins). Requests authenticated with a Bearer token carry no ambient credentials
 * and are exempt. Place after authentication.
 */
export function csrfProtection(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    if (!STATE_CHANGING.has(req.method) || req.authVia === 'token') {
      next();
      return;
    }
    const origin = req.headers.origin !== undefined ? originOf(req.headers.origin) : originOf(req.headers.referer);
    if (origin === null || !allowed.has(origin)) throw errorOf('CSRF', 'Cross-site request refused.');
    next();
  };
}
