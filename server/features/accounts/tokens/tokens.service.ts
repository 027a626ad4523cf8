import { createHash, randomBytes } from 'node:crypto';
import { apiTokenPrefix, isExpired, looksLikeApiToken } from '../../../../shared/domain/api-token';
import { pageOf, type Page, type PageCursor } from '../../../../shared/domain/paging';
import { canUseApiTokens } from '../../../../shared/domain/permissions';
import type { ApiToken, CreateTokenResponse } from '../../../../shared/schemas/accounts';
import { failure, success, type Outcome } from '../../../outcome';
import type { AuthenticatedUser } from '../users/accounts.types';
import type { ApiTokenRecord, TokenRepository } from './tokens.repository';

const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const DAY_MS = 86_400_000;
/** lastUsedAt is informative; writing it at most once a minute keeps busy tokens cheap. */
const TOUCH_EVERY_MS = 60_000;

const tokenView = (t: ApiTokenRecord): ApiToken => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  ...(t.lastUsedAt ? { lastUsedAt: t.lastUsedAt.toISOString() } : {}),
  ...(t.expiresAt ? { expiresAt: t.expiresAt.toISOString() } : {}),
});

export interface TokensDeps {
  tokens: TokenRepository;
  loadUser(userId: string): Promise<AuthenticatedUser | null>;
}

export type TokensService = ReturnType<typeof createTokensService>;

export function createTokensService({ tokens, loadUser }: TokensDeps) {
  const forbidden = () => failure('FORBIDDEN', 'API tokens are for restaurant and chamber accounts.');
  return {
    async create(
      actor: AuthenticatedUser,
      input: { name: string; expiresInDays?: number },
      now: Date,
    ): Promise<Outcome<CreateTokenResponse>> {
      if (!canUseApiTokens(actor.principal)) return forbidden();
      const secret = `fl_${randomBytes(32).toString('base64url')}`;
      const record = await tokens.create({
        userId: actor.id,
        name: input.name,
        hash: hashSecret(secret),
        prefix: apiTokenPrefix(secret),
        createdAt: now,
        ...(input.expiresInDays ? { expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS) } : {}),
      });
      return success({ token: tokenView(record), secret });
    },

    /** One page of the person's own tokens, newest made first (keyset pages, shared/domain/paging.ts). */
    async list(
      actor: AuthenticatedUser,
      page: { limit: number; after?: PageCursor },
    ): Promise<Outcome<Page<ApiToken>>> {
      if (!canUseApiTokens(actor.principal)) return forbidden();
      const rows = await tokens.listForUser(actor.id, { ...page, limit: page.limit + 1 });
      return success(
        pageOf(
          rows,
          page.limit,
          (t) => ({ sort: 'tokens-newest', keys: [t.createdAt.getTime()], id: t.id }),
          tokenView,
        ),
      );
    },

    async revoke(actor: AuthenticatedUser, id: string): Promise<Outcome<null>> {
      if (!canUseApiTokens(actor.principal)) return forbidden();
      return (await tokens.revoke(actor.id, id)) ? success(null) : failure('NOT_FOUND', 'No such token.');
    },

    /** `Authorization: Bearer fl_…` → the token's user, or null (unknown, expired, or the user may no longer use tokens). */
    async authenticate(secret: string, now: Date): Promise<AuthenticatedUser | null> {
      if (!looksLikeApiToken(secret)) return null;
      const record = await tokens.findByHash(hashSecret(secret));
      if (!record || isExpired(record.expiresAt, now)) return null;
      const user = await loadUser(record.userId);
      if (!user || !canUseApiTokens(user.principal)) return null;
      if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > TOUCH_EVERY_MS)
        await tokens.touch(record.id, now);
      return user;
    },
  };
}
