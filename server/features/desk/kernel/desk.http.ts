/**
 * The one place that maps the desk's expected failures (domain reasons) to HTTP statuses.
 * Codes go to the client unchanged, so the client can branch on `WRONG_STATUS` and friends.
 */
import type { Request } from 'express';
import { isChamberStaff } from '../../../../shared/domain/permissions';
import { HttpError } from '../../../errors';
import { currentUser, requireRole } from '../../../http/guards';

export const DESK_STATUS = {
  NOT_FOUND: 404,
  STALE: 409,
  WRONG_STATUS: 409,
  RESOLVED_IS_READ_ONLY: 409,
  ALREADY_VOID: 409,
  NOT_ON_A_VISIT: 400,
  DESCRIPTION_REQUIRED: 400,
  RESOLUTION_REQUIRED: 400,
  REASON_REQUIRED: 400,
  TOO_MANY_LINKS: 400,
  VISIT_IN_FUTURE: 400,
  NOTES_REQUIRED: 400,
  STAFF_REQUIRED: 400,
  VISIT_OF_ANOTHER_ORG: 400,
  NOT_AN_ENTERPRISE: 400,
  PARTY_MISMATCH: 400,
  INVALID_QUANTITY: 400,
  INVALID_VALUE: 400,
  INVALID_PARAMS: 400,
  INVALID_PROBLEM: 400,
  LOT_NOT_OPEN: 409,
  SEND_NOT_AVAILABLE: 501,
  FARM_NOT_VERIFIED: 409,
  /** The market refused a brokered offer; `marketReason` says why (e.g. NOT_ENOUGH_LEFT). */
  MARKET_REFUSED: 409,
} as const;

export type DeskFailureReason = keyof typeof DESK_STATUS;

export interface DeskFailure {
  ok: false;
  reason: DeskFailureReason;
  message: string;
  field?: string;
  status?: string;
  marketReason?: string;
}

export type DeskOutcome<T> = ({ ok: true } & T) | DeskFailure;

export const deskFail = (reason: DeskFailureReason, message: string, field?: string): DeskFailure =>
  field === undefined ? { ok: false, reason, message } : { ok: false, reason, message, field };

export function deskHttpError(
  f: Pick<DeskFailure, 'reason' | 'message' | 'field' | 'status' | 'marketReason'>,
): HttpError {
  const details: Record<string, unknown> = {};
  if (f.marketReason) details.marketReason = f.marketReason;
  if (f.field) details.fields = { [f.field]: f.message };
  if (f.status) details.status = f.status;
  return new HttpError(DESK_STATUS[f.reason], f.reason, f.message, Object.keys(details).length ? details : undefined);
}

/** The success of an outcome, or the failure thrown for errorHandler. */
export function orThrow<T extends { ok: true }>(outcome: T | DeskFailure): T {
  if (!outcome.ok) throw deskHttpError(outcome);
  return outcome;
}

/** The signed-in chamber user as the desk records them (id + display name at the time). */
export function actingPerson(req: Request): { userId: string; name: string } {
  const user = currentUser(req);
  return { userId: user.id, name: user.user.displayName };
}

/** Chamber staff (admins are chamber staff too); everyone else 403, anonymous 401. */
export const requireChamber = requireRole(isChamberStaff, 'This is for chamber of commerce staff.');
