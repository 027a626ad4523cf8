/**
 * Who acts: the signed-in user as every request (req.user) and socket (socket.data.user) sees it. A neutral
 * module — server/http and server/realtime use these types without importing the accounts area, which
 * builds them (features/accounts/users/accounts.types.ts toAuthenticatedUser).
 */
// Brings in passport's Express.Request augmentation (req.user, req.login, …).
import type {} from 'passport';
import type { Principal } from '../shared/domain/permissions';
import type {
  Address,
  GeoLocation,
  Locale,
  OrganisationKind,
  UserRole,
  VerificationState,
} from '../shared/schemas/accounts';

export interface UserRecord {
  id: string;
  organisationId: string;
  role: UserRole;
  isAdmin: boolean;
  displayName: string;
  phone?: string;
  email?: string;
  passwordHash: string;
  locale: Locale;
  mustChangePassword: boolean;
  sessionEpoch: number;
  createdAt: Date;
}

export interface OrganisationRecord {
  id: string;
  kind: OrganisationKind;
  name: string;
  creditCode: string;
  contactPhone: string;
  address: Address;
  location?: GeoLocation;
  verification: VerificationState;
  verificationReason?: string;
  verificationDecidedAt?: Date;
  createdAt: Date;
}

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
