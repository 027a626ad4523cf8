import type { Request, RequestHandler } from 'express';
import { checkVerified, type Principal } from '../../shared/domain/permissions';
import { commonFailure, type Failure } from '../../shared/failures';
import { FailureError } from '../errors';
import type { AuthenticatedUser } from '../principal';
import { errorOf } from './failure-status';

const verificationMessages = {
  VERIFICATION_PENDING: 'Your organisation’s verification is pending; the chamber of commerce will review it soon.',
  VERIFICATION_REJECTED: 'Your organisation’s verification was rejected; contact the chamber of commerce.',
  ORGANISATION_SUSPENDED: 'Your organisation is suspended; contact the chamber of commerce.',
} as const;

/** The signed-in user, or 401. Use inside handlers placed after requireAuth. */
export function currentUser(req: Request): AuthenticatedUser {
  if (!req.user) throw errorOf('UNAUTHENTICATED', 'Sign in first.');
  return req.user;
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  currentUser(req);
  next();
};

/** 401 when anonymous, 403 FORBIDDEN when the rule (shared/domain/permissions.ts) says no. */
export function requireRole(
  allowed: (p: Principal) => boolean,
  message = 'You are not allowed to do this.',
): RequestHandler {
  return (req, _res, next) => {
    if (!allowed(currentUser(req).principal)) throw errorOf('FORBIDDEN', message);
    next();
  };
}

/**
 * For anything that trades (posting stock, bidding, ordering, minting API tokens): the user's
 * organisation must be verified, else 403 VERIFICATION_PENDING / VERIFICATION_REJECTED /
 * ORGANISATION_SUSPENDED. Anonymous: 401. Place after requireAuth or on its own.
 */
export const requireVerified: RequestHandler = (req, _res, next) => {
  const refusal = verificationRefusal(currentUser(req).principal);
  if (refusal) throw new FailureError(refusal);
  next();
};

/** Why the principal may not trade (requireVerified's answer, also checked per socket event), or null. */
export function verificationRefusal(principal: Principal): Failure | null {
  const check = checkVerified(principal);
  return check.ok ? null : commonFailure(check.reason, verificationMessages[check.reason]);
}

/** Account-management routes refuse Bearer tokens: a leaked token must not be able to mint more. */
export const requireSession: RequestHandler = (req, _res, next) => {
  currentUser(req);
  if (req.authVia !== 'session') throw errorOf('SESSION_REQUIRED', 'Sign in with your password to do this.');
  next();
};

/** Routes (relative to /api) a user with a one-time password may still use. */
const allowedWhileMustChange = new Set([
  'GET /me',
  'POST /auth/change-password',
  'POST /auth/logout',
  'POST /auth/login',
]);

/** While mustChangePassword is set, everything else answers 403 PASSWORD_CHANGE_REQUIRED. */
export const passwordChangeGate: RequestHandler = (req, _res, next) => {
  if (req.user?.mustChangePassword && !allowedWhileMustChange.has(`${req.method} ${req.path}`)) {
    throw errorOf('PASSWORD_CHANGE_REQUIRED', 'Change your one-time password first.');
  }
  next();
};
