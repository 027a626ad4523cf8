/**
 * The value lists the views iterate over. Copied (type-checked) from shared/schemas rather
 * than imported, because importing that module at run time would pull zod into the bundle.
 */
import type { SignupKind, UserRole, VerificationState } from '../../../shared/schemas/accounts';

export const SIGNUP_KINDS = [
  'farm',
  'restaurant',
  'canteen',
  'retailer',
  'enterprise',
] as const satisfies readonly SignupKind[];
export const USER_ROLES = ['member', 'manager'] as const satisfies readonly UserRole[];
export const VERIFICATION_STATES = [
  'pending',
  'verified',
  'rejected',
  'suspended',
] as const satisfies readonly VerificationState[];

/** Compile-time check that no state or role was added upstream without updating the lists above. */
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
// Never read: it only has to type-check (the underscore tells the linters so).
const _listsAreComplete: [
  Missing<SignupKind, (typeof SIGNUP_KINDS)[number]>,
  Missing<UserRole, (typeof USER_ROLES)[number]>,
  Missing<VerificationState, (typeof VERIFICATION_STATES)[number]>,
] = [true, true, true];
