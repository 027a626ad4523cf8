/**
 * The session store with a per-process cache in front (issue 11): a signed-in request or socket handshake no
 * longer reads its session from MongoDB each time. Bounded (`maxEntries`, oldest dropped first) and short-lived
 * (`maxAgeMs`, 10 s), and emptied where it matters on every process through the invalidation bus (the Redis
 * adapter when there are several): a logout (`destroy`) or any rewrite of a session (`set`: sign-in, the
 * password-change sign-in) drops that session; a user invalidation (password change or reset, removal) drops
 * all of that user's sessions. The user behind a session is still checked on each read (caller cache + session
 * epoch), so a stale entry can never outlive a password change; the cache only saves the session read.
 */
import type { Store } from 'express-session';
import type { InvalidationBus } from '../realtime/invalidations';

export interface SessionCacheOptions {
  maxAgeMs?: number;
  maxEntries?: number;
  nowMs?: () => number;
}

type SessionData = Parameters<Store['set']>[1];

interface Entry {
  at: number;
  data: SessionData;
  userId: string | undefined;
}

function userIdOf(data: SessionData): string | undefined {
  const user = (data as { passport?: { user?: { id?: unknown } } }).passport?.user;
  return typeof user?.id === 'string' ? user.id : undefined;
}

/**
 * Puts the cache in front of `store` (its get, set and destroy; everything else is the store's own).
 * `keyOf` turns a session id into the key that travels between processes (a hash: no usable id in Redis).
 */
export function cacheSessions<S extends Store>(
  store: S,
  bus: Pick<InvalidationBus, 'publish' | 'subscribe'>,
  keyOf: (sid: string) => string,
  options: SessionCacheOptions = {},
): S {
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const nowMs = options.nowMs ?? (() => performance.now());
  const entries = new Map<string, Entry>();

  bus.subscribe((change) => {
    if (change.kind === 'session') entries.delete(change.sessionKey);
    else if (change.kind === 'user') {
      for (const [key, entry] of entries) if (entry.userId === change.userId) entries.delete(key);
    }
  });
  const forget = (sid: string) => bus.publish({ kind: 'session', sessionKey: keyOf(sid) });

  const get = store.get.bind(store);
  const set = store.set.bind(store);
  const destroy = store.destroy.bind(store);
  // express-session mutates what it is given (the cookie): every reader gets its own copy.
  store.get = (sid, callback) => {
    const key = keyOf(sid);
    const cached = entries.get(key);
    if (cached && nowMs() - cached.at < maxAgeMs) {
      callback(null, structuredClone(cached.data));
      return;
    }
    get(sid, (err, data) => {
      if (!err && data) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(key, { at: nowMs(), data: structuredClone(data), userId: userIdOf(data) });
      } else entries.delete(key);
      callback(err, data);
    });
  };
  store.set = (sid, data, callback) => {
    forget(sid);
    set(sid, data, callback);
  };
  store.destroy = (sid, callback) => {
    forget(sid);
    destroy(sid, callback);
  };
  return store;
}
