import type { Organisation, User } from '../../../../shared/schemas/accounts';
import type { OrganisationRecord } from '../organisations/organisations.repository';
import type { UserRecord } from './accounts.repository';

/** What the API shows of a user: never the hash or the session epoch. */
export function userView(user: Omit<UserRecord, 'passwordHash'>): User {
  return {
    id: user.id,
    organisationId: user.organisationId,
    role: user.role,
    isAdmin: user.isAdmin,
    displayName: user.displayName,
    ...(user.phone ? { phone: user.phone } : {}),
    ...(user.email ? { email: user.email } : {}),
    locale: user.locale,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
  };
}

export function organisationView(org: OrganisationRecord): Organisation {
  return {
    id: org.id,
    kind: org.kind,
    name: org.name,
    creditCode: org.creditCode,
    contactPhone: org.contactPhone,
    address: org.address,
    ...(org.location ? { location: org.location } : {}),
    verification: org.verification,
    ...(org.verificationReason ? { verificationReason: org.verificationReason } : {}),
    ...(org.verificationDecidedAt ? { verificationDecidedAt: org.verificationDecidedAt.toISOString() } : {}),
    createdAt: org.createdAt.toISOString(),
  };
}
