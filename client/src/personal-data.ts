/**
 * What one person leaves on a shared phone (docs/offline.md "Sign-out"): the service worker's copies of the
 * lists they read (vite.config.ts `freshlink-last-read`), the outbox and the pending actions. Cleared at
 * sign-out, and when someone else signs in than the person who left them (a session that ran out without a
 * sign-out), so the next person never sees them offline.
 */
import type { KeyValueStorage } from './i18n';

/** The Workbox runtime cache's name in client/vite.config.ts. */
const LAST_READ_CACHE = 'freshlink-last-read';
/** Whose answers the cache holds. */
const OWNER_KEY = 'freshlink.owner';

export async function forgetLastRead(storage: KeyValueStorage | undefined): Promise<void> {
  try {
    storage?.setItem(OWNER_KEY, '');
  } catch {
    // storage refused: the cache below is what matters
  }
  if (typeof caches !== 'undefined') await caches.delete(LAST_READ_CACHE);
}

/** `userId` signed in: if the cache holds someone else's answers, they go. */
export async function claimLastRead(storage: KeyValueStorage | undefined, userId: string): Promise<void> {
  let owner: string | null;
  try {
    owner = storage?.getItem(OWNER_KEY) ?? null;
  } catch {
    owner = null;
  }
  if (owner === userId) return;
  await forgetLastRead(storage);
  try {
    storage?.setItem(OWNER_KEY, userId);
  } catch {
    // not remembered: the next sign-in clears the cache once more, which is safe
  }
}
