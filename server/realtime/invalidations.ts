/**
 * Cache invalidations that cross processes (issue 11). A change made on process A (a suspension, a
 * password change, a new lot) must empty the caches of every process: `publish` applies it here at once
 * and sends it to the other processes through socket.io's adapter (`serverSideEmit`), which is the
 * Redis stream when REDIS_URL is set and nothing at all with one process.
 */
import type { Server } from 'socket.io';

export type Invalidation =
  /** The user's caller record (role, password, sessions, suspension of the user). */
  | { kind: 'user'; userId: string }
  /** Every caller of the organisation (verification, suspension, members). */
  | { kind: 'organisation'; organisationId: string }
  /** Cached lot listings (a lot was posted, sold, withdrawn, expired). */
  | { kind: 'lots' }
  /** A session was rewritten or ended (logout); the key is a hash of its id (http/session-cache.ts). */
  | { kind: 'session'; sessionKey: string }
  /** An API token was revoked. */
  | { kind: 'token'; tokenHash: string };

type InvalidationListener = (invalidation: Invalidation) => void;

export interface InvalidationBus {
  publish(invalidation: Invalidation): void;
  subscribe(listener: InvalidationListener): () => void;
  /** From now on, invalidations also go to (and come from) the other processes of this socket.io server. */
  attach(io: Pick<Server, 'serverSideEmit' | 'on' | 'off'>): void;
  detach(): void;
}

const CHANNEL = 'freshlink:invalidate';

const isInvalidation = (value: unknown): value is Invalidation => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'user':
      return typeof v.userId === 'string';
    case 'organisation':
      return typeof v.organisationId === 'string';
    case 'token':
      return typeof v.tokenHash === 'string';
    case 'session':
      return typeof v.sessionKey === 'string';
    case 'lots':
      return true;
    default:
      return false;
  }
};

export function createInvalidationBus(): InvalidationBus {
  const listeners = new Set<InvalidationListener>();
  let io: Pick<Server, 'serverSideEmit' | 'on' | 'off'> | undefined;
  const deliver = (invalidation: Invalidation) => {
    for (const listen of listeners) listen(invalidation);
  };
  const fromOthers = (value: unknown) => {
    if (isInvalidation(value)) deliver(value);
  };
  return {
    publish(invalidation) {
      deliver(invalidation);
      // serverSideEmit reaches the other processes only (socket.io never echoes it back to the sender).
      io?.serverSideEmit(CHANNEL, invalidation);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attach(server) {
      io = server;
      (server.on as (event: string, listener: (value: unknown) => void) => unknown)(CHANNEL, fromOthers);
    },
    detach() {
      (io?.off as ((event: string, listener: (value: unknown) => void) => unknown) | undefined)?.call(
        io,
        CHANNEL,
        fromOthers,
      );
      io = undefined;
    },
  };
}
