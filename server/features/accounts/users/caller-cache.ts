/**
 * The caller (user + organisation + permissions) cached per process (issue 11): identifying a request or
 * a socket handshake no longer costs two database lookups each time. Correctness comes from invalidation:
 * every change that matters — verification, suspension, a member's role or removal, a password change or
 * reset (sessions, tokens), a profile change — publishes an Invalidation (scale-kit.ts watchHub, and the
 * wrapped methods below) that reaches every process through the adapter. As a safety net, an entry is
 * never older than `maxAgeMs`, and a suspended organisation is refused by the market on its own read anyway.
 */
import { failure, success, type Outcome } from '../../../outcome';
import type { InvalidationBus } from '../../../realtime/invalidations';
import type { AccountsService } from './accounts.service';
import type { AuthenticatedUser } from './accounts.types';
import { organisationView, userView } from './accounts.views';

export interface CallerCacheOptions {
  maxAgeMs?: number;
  maxEntries?: number;
  nowMs?: () => number;
}

interface Entry {
  at: number;
  caller: Promise<AuthenticatedUser | null>;
  /** Known once loaded; pending entries are dropped by any organisation invalidation. */
  organisationId?: string;
}

export interface CallerCache {
  load(userId: string): Promise<AuthenticatedUser | null>;
  /** Drops one user's entry (this process only). */
  forget(userId: string): void;
  size(): number;
}

function createCallerCache(
  loadFresh: (userId: string) => Promise<AuthenticatedUser | null>,
  bus: Pick<InvalidationBus, 'subscribe'>,
  options: CallerCacheOptions = {},
): CallerCache {
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const nowMs = options.nowMs ?? (() => performance.now());
  const entries = new Map<string, Entry>();

  bus.subscribe((change) => {
    if (change.kind === 'user') entries.delete(change.userId);
    else if (change.kind === 'organisation') {
      for (const [userId, entry] of entries)
        if (entry.organisationId === undefined || entry.organisationId === change.organisationId)
          entries.delete(userId);
    }
  });

  return {
    size: () => entries.size,
    forget: (userId) => void entries.delete(userId),
    load(userId) {
      const now = nowMs();
      const cached = entries.get(userId);
      if (cached && now - cached.at < maxAgeMs) return cached.caller;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      const entry: Entry = { at: now, caller: loadFresh(userId) };
      entries.set(userId, entry);
      entry.caller.then(
        (caller) => {
          if (!caller) entries.delete(userId);
          else entry.organisationId = caller.organisation.id;
        },
        () => entries.delete(userId),
      );
      return entry.caller;
    },
  };
}

/**
 * The accounts service with its caller reads going through the cache, and the changes it makes itself
 * invalidating it (everywhere). Sign-in (authenticate) always reads fresh.
 */
export function withCallerCache(accounts: AccountsService, bus: InvalidationBus, options?: CallerCacheOptions) {
  const cache = createCallerCache(accounts.loadAuthenticated, bus, options);
  const forgetting =
    <A extends unknown[], T>(run: (...args: A) => Promise<Outcome<T>>, userOf: (...args: A) => string) =>
    async (...args: A): Promise<Outcome<T>> => {
      const outcome = await run(...args);
      bus.publish({ kind: 'user', userId: userOf(...args) });
      return outcome;
    };
  const service: AccountsService = {
    ...accounts,
    loadAuthenticated: (userId) => cache.load(userId),
    async loadSessionUser(userId, epoch) {
      let found = await cache.load(userId);
      // A session newer than the cached user (its password was changed by a writer that published nothing,
      // e.g. `npm run create-admin`): the cached copy is stale, read it again.
      if (found && found.sessionEpoch < epoch) {
        cache.forget(userId);
        found = await cache.load(userId);
      }
      return found && found.sessionEpoch === epoch ? found : null;
    },
    async me(userId) {
      const found = await cache.load(userId);
      if (!found) return failure('UNAUTHENTICATED', 'Not signed in.');
      return success({ user: userView(found.user), organisation: organisationView(found.organisation) });
    },
    updateMe: forgetting(accounts.updateMe, (userId) => userId),
    changePassword: forgetting(accounts.changePassword, (userId) => userId),
    resetPassword: forgetting(accounts.resetPassword, (_actor, targetUserId) => targetUserId),
  };
  return { service, cache };
}
