// Brings in passport's Express.Request augmentation (req.user, req.login, …).
import type {} from 'passport';
import type { Principal } from '../../../../shared/domain/permissions';
import type { OrganisationRecord } from '../organisations/organisations.repository';
import type { UserRecord } from './accounts.repository';

/** The signed-in user as every request and socket sees it (req.user, socket.data.user). */
export interface AuthenticatedUser {
  id: string;
  user: Omit<UserRecord, 'passwordHash'>;
  organisation: OrganisationRecord;
  principal: Principal;
  sessionEpoch: number;
  mustChangePassword: boolean;
}

/** What passport keeps in the session: the epoch lets a password change end older sessions. */
export interface SessionPassport {
  id: string;
  epoch: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthenticatedUser {}
    interface Request {
      /** How req.user was authenticated. */
      authVia?: 'session' | 'token';
    }
  }
}

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
