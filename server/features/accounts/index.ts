/**
 * The accounts area's front door: users, organisations and their verification, API tokens, rate limits and
 * the chamber's admin tools. Other areas and the composition root import only this file.
 */
import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { AreaRegistration } from '../../area';
import type { AuthKit } from '../../http/auth';
import type { Publisher } from '../../realtime/hub';
import type { InvalidationBus } from '../../realtime/invalidations';
import { adminRoutes } from './admin/admin.routes';
import { chamberOrganisationsHandler } from './admin/admin.socket';
import { createOrganisationDirectory } from './accounts.directory';
import { createOrganisationRepository } from './organisations/organisations.repository';
import { organisationRoutes } from './organisations/organisations.routes';
import { createOrganisationsService } from './organisations/organisations.service';
import { membersListHandler } from './organisations/organisations.socket';
import { createRateLimitRepository } from './ratelimits/ratelimits.repository';
import { createThrottleService } from './ratelimits/ratelimits.service';
import { createTokenRepository } from './tokens/tokens.repository';
import { tokenRoutes } from './tokens/tokens.routes';
import { createTokensService } from './tokens/tokens.service';
import { createUserRepository } from './users/accounts.repository';
import { accountsRoutes } from './users/accounts.routes';
import { createAccountsService, DEFAULT_THROTTLE, type ThrottlePolicies } from './users/accounts.service';
import { withCallerCache } from './users/caller-cache';
import { whoamiHandler } from './users/accounts.socket';
import { BCRYPT_COST, createPasswordHasher } from './users/passwords';

export type { AccountsService, ThrottlePolicies } from './users/accounts.service';
export type { OrganisationsService } from './organisations/organisations.service';
export type { TokensService } from './tokens/tokens.service';
export type { OrganisationRepository } from './organisations/organisations.repository';
export type { UserRepository } from './users/accounts.repository';
export interface AccountsAreaDeps {
  connection: Connection;
  publisher: Publisher;
  now: () => Date;
  throttle?: Partial<ThrottlePolicies>;
  /** bcrypt cost, 10–12 (default 11). */
  passwordCost?: number;
  /**
   * Issue 11: with a bus, the caller (user + organisation) is cached per process and emptied by the
   * invalidations it carries (from every process through the Redis adapter). Absent: every read is fresh.
   */
  invalidations?: InvalidationBus;
}

/** Builds the area's repositories and services; `register` adds its routes and socket handlers once auth exists. */
export function createAccountsArea(deps: AccountsAreaDeps) {
  const { connection, publisher, now } = deps;
  const users = createUserRepository(connection);
  const organisationRepo = createOrganisationRepository(connection);
  const tokenRepo = createTokenRepository(connection);
  const rateLimits = createRateLimitRepository(connection);
  const hasher = createPasswordHasher(Math.min(12, Math.max(10, deps.passwordCost ?? BCRYPT_COST)));
  const uncached = createAccountsService({
    users,
    organisations: organisationRepo,
    tokens: tokenRepo,
    throttle: createThrottleService(rateLimits),
    policies: { ...DEFAULT_THROTTLE, ...deps.throttle },
    hasher,
    publisher,
  });
  const accounts = deps.invalidations ? withCallerCache(uncached, deps.invalidations).service : uncached;
  const organisations = createOrganisationsService({
    organisations: organisationRepo,
    users,
    tokens: tokenRepo,
    hasher,
    publisher,
  });
  const tokens = createTokensService({ tokens: tokenRepo, loadUser: accounts.loadAuthenticated });
  const ready = Promise.all([
    users.ensureIndexes(),
    organisationRepo.ensureIndexes(),
    tokenRepo.ensureIndexes(),
    rateLimits.ensureIndexes(),
  ]).then(() => undefined);

  return {
    services: { accounts, organisations, tokens },
    repositories: { users, organisations: organisationRepo },
    directory: createOrganisationDirectory(organisationRepo),
    register({ auth }: { auth: AuthKit }): AreaRegistration {
      const router = Router();
      router.use(accountsRoutes({ accounts, auth, publisher, now }));
      router.use(organisationRoutes({ organisations }));
      router.use(adminRoutes({ organisations, accounts, now }));
      router.use(tokenRoutes({ tokens, now }));
      return {
        router,
        socketHandlers: [
          whoamiHandler({ accounts }),
          membersListHandler({ organisations }),
          chamberOrganisationsHandler({ organisations }),
        ],
        ready,
      };
    },
  };
}
