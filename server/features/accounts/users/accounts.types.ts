import type { AuthenticatedUser, OrganisationRecord, UserRecord } from '../../../principal';

export type { AuthenticatedUser } from '../../../principal';

export function toAuthenticatedUser(user: UserRecord, organisation: OrganisationRecord): AuthenticatedUser {
  const { passwordHash: _hash, ...rest } = user;
  return {
    id: user.id,
    user: rest,
    organisation,
    principal: {
      userId: user.id,
      organisationId: organisation.id,
      kind: organisation.kind,
      role: user.role,
      isAdmin: organisation.kind === 'chamber' && user.isAdmin,
      verification: organisation.verification,
    },
    sessionEpoch: user.sessionEpoch,
    mustChangePassword: user.mustChangePassword,
  };
}
