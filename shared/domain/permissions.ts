import { BUYER_KINDS, type OrganisationKind, type UserRole, type VerificationState } from '../schemas/accounts';

/** Who is acting: what the permission rules need to know about a signed-in user. */
export interface Principal {
  userId: string;
  organisationId: string;
  kind: OrganisationKind;
  role: UserRole;
  isAdmin: boolean;
  verification: VerificationState;
}

/** The user whose account is being acted on. */
export interface TargetUser {
  userId: string;
  organisationId: string;
  kind: OrganisationKind;
}

/** Restaurants, canteens, retailers and other member enterprises: all may buy, none may sell. */
export const isBuyerKind = (kind: OrganisationKind): boolean => (BUYER_KINDS as readonly string[]).includes(kind);

/** Who may bid on a lot: every buyer kind, and the chamber itself (direct procurement, 农副产品直接采购). */
export const mayBid = (kind: OrganisationKind): boolean => isBuyerKind(kind) || kind === 'chamber';

export const isChamberStaff = (p: Principal): boolean => p.kind === 'chamber';
/** Admins are chamber users with the admin flag; they can do everything chamber staff can. */
const isAdmin = (p: Principal): boolean => p.kind === 'chamber' && p.isAdmin;

export const canReviewOrganisations = (p: Principal): boolean => isChamberStaff(p);

/** Farm and restaurant managers manage their colleagues; in the chamber only admins manage accounts. */
export const canManageMembers = (p: Principal): boolean => (p.kind === 'chamber' ? isAdmin(p) : p.role === 'manager');

export const canGrantAdmin = (p: Principal): boolean => isAdmin(p);

/** Chamber staff reset farm and restaurant users; admins also reset chamber users. Nobody resets their own. */
export function canResetPasswordOf(actor: Principal, target: TargetUser): boolean {
  if (actor.userId === target.userId) return false;
  if (!isChamberStaff(actor)) return false;
  return target.kind === 'chamber' ? isAdmin(actor) : true;
}

/** Personal API tokens are for buyers (ordering systems) and the chamber (reporting). */
export const canUseApiTokens = (p: Principal): boolean => isBuyerKind(p.kind) || p.kind === 'chamber';

export type VerifiedCheck =
  { ok: true } | { ok: false; reason: 'VERIFICATION_PENDING' | 'VERIFICATION_REJECTED' | 'ORGANISATION_SUSPENDED' };

/** Trading (posting stock, bidding, ordering, minting API tokens) needs a verified organisation. */
export function checkVerified(p: Pick<Principal, 'verification'>): VerifiedCheck {
  switch (p.verification) {
    case 'verified':
      return { ok: true };
    case 'pending':
      return { ok: false, reason: 'VERIFICATION_PENDING' };
    case 'rejected':
      return { ok: false, reason: 'VERIFICATION_REJECTED' };
    case 'suspended':
      return { ok: false, reason: 'ORGANISATION_SUSPENDED' };
  }
}
