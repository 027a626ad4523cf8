import { passwordProblem, passwordProblemMessages } from '../../../../shared/domain/password';
import { canResetPasswordOf } from '../../../../shared/domain/permissions';
import {
  accountWideDelayMs,
  LOGIN_PER_ACCOUNT,
  LOGIN_PER_IP,
  SIGNUP_PER_ACCOUNT,
  SIGNUP_PER_IP,
  type ThrottlePolicy,
} from '../../../../shared/domain/throttle';
import type { Locale, MeResponse, SignupKind } from '../../../../shared/schemas/accounts';
import { DuplicateKeyError } from '../../../data/duplicate-key';
import { failure, success, type Outcome } from '../../../outcome';
import type { Publisher } from '../../../realtime/hub';
import type { OrganisationRepository } from '../organisations/organisations.repository';
import type { ThrottleService } from '../ratelimits/ratelimits.service';
import type { TokenRepository } from '../tokens/tokens.repository';
import type { UserRecord, UserRepository } from './accounts.repository';
import { toAuthenticatedUser, type AuthenticatedUser } from './accounts.types';
import { organisationView, userView } from './accounts.views';
import { generateOneTimePassword, type PasswordHasher } from './passwords';

export interface ThrottlePolicies {
  loginPerAccount: ThrottlePolicy;
  loginPerIp: ThrottlePolicy;
  signupPerIp: ThrottlePolicy;
  signupPerAccount: ThrottlePolicy;
}
export const DEFAULT_THROTTLE: ThrottlePolicies = {
  loginPerAccount: LOGIN_PER_ACCOUNT,
  loginPerIp: LOGIN_PER_IP,
  signupPerIp: SIGNUP_PER_IP,
  signupPerAccount: SIGNUP_PER_ACCOUNT,
};

/** Parsed sign-up input (shared/schemas/accounts.ts signupRequestSchema output). */
export interface SignupInput {
  kind: SignupKind;
  organisation: {
    name: string;
    creditCode: string;
    contactPhone?: string;
    address: { province: string; city: string; county: string; township?: string; village?: string };
    location?: { lat: number; lng: number };
  };
  user: { displayName: string; phone?: string; email?: string; password: string; locale?: Locale };
}

export interface AccountsDeps {
  users: UserRepository;
  organisations: OrganisationRepository;
  tokens: TokenRepository;
  throttle: ThrottleService;
  policies: ThrottlePolicies;
  hasher: PasswordHasher;
  publisher: Publisher;
  /** Waits `ms` (the account-wide sign-in delay); tests pass their own. */
  pause?: (ms: number) => Promise<void>;
}

const INVALID_CREDENTIALS = 'Wrong login or password.';

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: AccountsDeps) {
  const { users, organisations, tokens, throttle, policies, hasher, publisher } = deps;
  const pause = deps.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function loadAuthenticated(userId: string): Promise<AuthenticatedUser | null> {
    const user = await users.findById(userId);
    if (!user) return null;
    const organisation = await organisations.findById(user.organisationId);
    return organisation ? toAuthenticatedUser(user, organisation) : null;
  }

  function samePasswordAsLogin(user: Pick<UserRecord, 'phone' | 'email'>, password: string) {
    const problem = passwordProblem(password, [user.phone ?? '', user.email ?? '']);
    return problem === 'SAME_AS_LOGIN' ? passwordProblemMessages.SAME_AS_LOGIN : null;
  }

  return {
    loadAuthenticated,

    /** For passport's deserializeUser: null if the user is gone or the session predates a password change. */
    async loadSessionUser(userId: string, epoch: number): Promise<AuthenticatedUser | null> {
      const found = await loadAuthenticated(userId);
      return found && found.sessionEpoch === epoch ? found : null;
    },

    async me(userId: string): Promise<Outcome<MeResponse>> {
      const found = await loadAuthenticated(userId);
      if (!found) return failure('UNAUTHENTICATED', 'Not signed in.');
      return success({ user: userView(found.user), organisation: organisationView(found.organisation) });
    },

    async signup(
      input: SignupInput,
      ip: string,
      now: Date,
    ): Promise<Outcome<{ authenticated: AuthenticatedUser; response: MeResponse }>> {
      const ipKey = { key: `signup:ip:${ip}`, policy: policies.signupPerIp };
      // Clashing sign-ups reveal that a phone, email or credit code is registered: slow down probing.
      const identityKeys = [
        `signup:code:${input.organisation.creditCode}`,
        ...(input.user.phone ? [`signup:phone:${input.user.phone}`] : []),
        ...(input.user.email ? [`signup:email:${input.user.email}`] : []),
      ].map((key) => ({ key, policy: policies.signupPerAccount }));
      const wait = await throttle.retryAfter([ipKey, ...identityKeys], now);
      if (wait > 0) return failure('RATE_LIMITED', 'Too many sign-ups; try again later.', { retryAfterSeconds: wait });
      await throttle.recordFailure([ipKey], now);

      const sameAsLogin = samePasswordAsLogin(input.user, input.user.password);
      if (sameAsLogin) return failure('VALIDATION', 'Invalid request', { fields: { 'user.password': sameAsLogin } });

      const [existingOrg, existingUser] = await Promise.all([
        organisations.findByCreditCode(input.organisation.creditCode),
        users.findByPhoneOrEmail(input.user.phone, input.user.email),
      ]);
      const fields: Record<string, string> = {};
      if (existingOrg)
        fields['organisation.creditCode'] = 'An organisation with this credit code is already registered';
      if (existingUser.phone) fields['user.phone'] = 'This mobile number is already registered';
      if (existingUser.email) fields['user.email'] = 'This email is already registered';
      if (Object.keys(fields).length > 0) {
        await throttle.recordFailure(identityKeys, now);
        return failure('CONFLICT', 'Already registered', { fields });
      }

      const passwordHash = await hasher.hash(input.user.password);
      let organisation;
      try {
        organisation = await organisations.create({
          kind: input.kind,
          name: input.organisation.name,
          creditCode: input.organisation.creditCode,
          contactPhone: input.organisation.contactPhone ?? input.user.phone ?? '',
          address: input.organisation.address,
          location: input.organisation.location,
          verification: 'pending',
        });
      } catch (err) {
        if (err instanceof DuplicateKeyError) {
          return failure('CONFLICT', 'Already registered', {
            fields: { 'organisation.creditCode': 'An organisation with this credit code is already registered' },
          });
        }
        throw err;
      }
      let user: UserRecord;
      try {
        user = await users.create({
          organisationId: organisation.id,
          role: 'manager',
          isAdmin: false,
          displayName: input.user.displayName,
          phone: input.user.phone,
          email: input.user.email,
          passwordHash,
          locale: input.user.locale ?? 'zh-CN',
          mustChangePassword: false,
        });
      } catch (err) {
        // No transactions: undo the organisation so the credit code is free to try again.
        await organisations.deleteById(organisation.id);
        const field = err instanceof DuplicateKeyError ? err.field : null;
        if (field === 'phone' || field === 'email') {
          return failure('CONFLICT', 'Already registered', {
            fields: {
              [`user.${field}`]: `This ${field === 'phone' ? 'mobile number' : 'email'} is already registered`,
            },
          });
        }
        throw err;
      }
      publisher.toChamber('chamber:queue', {
        organisationId: organisation.id,
        name: organisation.name,
        verification: organisation.verification,
        at: now.toISOString(),
      });
      return success({
        authenticated: toAuthenticatedUser(user, organisation),
        response: { user: userView(user), organisation: organisationView(organisation) },
      });
    },

    /**
     * Checks a password sign-in. Growing blocks per (account, address) and per address refuse attempts;
     * failures over the whole account only slow attempts down (accountWideDelayMs), so nobody can lock a
     * farmer out by failing from elsewhere. Every failure is counted under all three keys (the trail).
     * The failure is the same whether or not the account exists.
     */
    async authenticate(login: string, password: string, ip: string, now: Date): Promise<Outcome<AuthenticatedUser>> {
      const normalised = login.trim().toLowerCase();
      const accountKey = { key: `login:acct:${normalised}`, policy: policies.loginPerAccount };
      const pairKey = { key: `login:acct-ip:${normalised}|${ip}`, policy: policies.loginPerAccount };
      const ipKey = { key: `login:ip:${ip}`, policy: policies.loginPerIp };
      const wait = await throttle.retryAfter([pairKey, ipKey], now);
      if (wait > 0)
        return failure('RATE_LIMITED', 'Too many failed sign-ins; try again later.', { retryAfterSeconds: wait });
      const delay = accountWideDelayMs(await throttle.failures(accountKey.key, now), policies.loginPerAccount);
      if (delay > 0) await pause(delay);

      const user = await users.findByLogin(normalised);
      const ok = user ? await hasher.verify(password, user.passwordHash) : await hasher.verifyNothing(password);
      const authenticated = ok && user ? await loadAuthenticated(user.id) : null;
      if (!authenticated) {
        await throttle.recordFailure([accountKey, pairKey, ipKey], now);
        return failure('INVALID_CREDENTIALS', INVALID_CREDENTIALS);
      }
      await Promise.all([throttle.clear(accountKey.key), throttle.clear(pairKey.key)]);
      return success(authenticated);
    },

    /** Keeps the caller's session (the route signs it in again with the new epoch); ends all others. */
    async changePassword(
      userId: string,
      currentPassword: string,
      newPassword: string,
    ): Promise<Outcome<AuthenticatedUser>> {
      const user = await users.findById(userId);
      if (!user) return failure('UNAUTHENTICATED', 'Not signed in.');
      if (!(await hasher.verify(currentPassword, user.passwordHash))) {
        return failure('INVALID_CREDENTIALS', 'Current password is wrong.', {
          fields: { currentPassword: 'Wrong password' },
        });
      }
      const sameAsLogin = samePasswordAsLogin(user, newPassword);
      if (sameAsLogin) return failure('VALIDATION', 'Invalid request', { fields: { newPassword: sameAsLogin } });
      if (currentPassword === newPassword) {
        return failure('VALIDATION', 'Invalid request', {
          fields: { newPassword: 'Choose a password different from the current one' },
        });
      }
      const updated = await users.setPassword(userId, await hasher.hash(newPassword), false);
      const authenticated = updated ? await loadAuthenticated(updated.id) : null;
      return authenticated ? success(authenticated) : failure('UNAUTHENTICATED', 'Not signed in.');
    },

    async updateMe(userId: string, changes: { displayName?: string; locale?: Locale }): Promise<Outcome<MeResponse>> {
      const user = await users.updateProfile(userId, changes);
      const organisation = user ? await organisations.findById(user.organisationId) : null;
      if (!user || !organisation) return failure('UNAUTHENTICATED', 'Not signed in.');
      return success({ user: userView(user), organisation: organisationView(organisation) });
    },

    /** Chamber staff: a one-time password the user must change at next sign-in; ends the user's sessions and tokens. */
    async resetPassword(actor: AuthenticatedUser, targetUserId: string): Promise<Outcome<{ oneTimePassword: string }>> {
      const target = await loadAuthenticated(targetUserId);
      if (!target) return failure('NOT_FOUND', 'No such user.');
      if (
        !canResetPasswordOf(actor.principal, {
          userId: target.id,
          organisationId: target.organisation.id,
          kind: target.organisation.kind,
        })
      ) {
        return failure('FORBIDDEN', 'You may not reset this password.');
      }
      const oneTimePassword = generateOneTimePassword();
      await users.setPassword(target.id, await hasher.hash(oneTimePassword), true);
      await tokens.revokeAllForUser(target.id);
      publisher.endUserSockets(target.id, 'password-reset');
      return success({ oneTimePassword });
    },
  };
}
