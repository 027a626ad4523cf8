/**
 * What each desk failure code means (its reason in shared/failures.ts; server/http turns reasons into
 * statuses). Codes go to the client unchanged, so the client can branch on `WRONG_STATUS` and friends.
 */
import type { Request } from 'express';
import { isChamberStaff } from '../../../../shared/domain/permissions';
import type { FailureReason } from '../../../../shared/failures';
import { failureBuilder } from '../../../outcome';
import { currentUser, requireRole } from '../../../http/guards';

export const REASON_OF_DESK_CODE = {
  NOT_FOUND: 'NOT_FOUND',
  STALE: 'CONFLICT',
  WRONG_STATUS: 'CONFLICT',
  RESOLVED_IS_READ_ONLY: 'CONFLICT',
  ALREADY_VOID: 'CONFLICT',
  NOT_ON_A_VISIT: 'INVALID',
  DESCRIPTION_REQUIRED: 'INVALID',
  RESOLUTION_REQUIRED: 'INVALID',
  REASON_REQUIRED: 'INVALID',
  TOO_MANY_LINKS: 'INVALID',
  VISIT_IN_FUTURE: 'INVALID',
  NOTES_REQUIRED: 'INVALID',
  STAFF_REQUIRED: 'INVALID',
  VISIT_OF_ANOTHER_ORG: 'INVALID',
  NOT_AN_ENTERPRISE: 'INVALID',
  PARTY_MISMATCH: 'INVALID',
  INVALID_QUANTITY: 'INVALID',
  INVALID_VALUE: 'INVALID',
  INVALID_PARAMS: 'INVALID',
  INVALID_PROBLEM: 'INVALID',
  LOT_NOT_OPEN: 'CONFLICT',
  SEND_NOT_AVAILABLE: 'NOT_IMPLEMENTED',
  FARM_NOT_VERIFIED: 'CONFLICT',
  /** The market refused a brokered offer; `marketReason` says why (e.g. NOT_ENOUGH_LEFT). */
  MARKET_REFUSED: 'CONFLICT',
} as const satisfies Record<string, FailureReason>;

/**
 * A desk failure in the one failure shape (server/outcome.ts `failureBuilder`): `field` names the input at fault
 * (under `fields`); `details` are facts a client can act on (`{ status }` of a problem in the wrong state,
 * `{ marketReason }`).
 */
export const deskFail = failureBuilder(REASON_OF_DESK_CODE);

/** The signed-in chamber user as the desk records them (id + display name at the time). */
export function actingPerson(req: Request): { userId: string; name: string } {
  const user = currentUser(req);
  return { userId: user.id, name: user.user.displayName };
}

/** Chamber staff (admins are chamber staff too); everyone else 403, anonymous 401. */
export const requireChamber = requireRole(isChamberStaff, 'This is for chamber of commerce staff.');
