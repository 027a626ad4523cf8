/**
 * Fair sockets (issue 11): one user flooding events must not slow everyone else down.
 *  - every socket and every user has a token bucket; an event over budget is not handled, and its ack
 *    (if it asked for one) gets `RATE_LIMITED` with `retryAfterMs`;
 *  - at most `maxInFlight` acknowledged handlers run per socket at once; the next is refused the same way;
 *  - a socket refused `abuse.refusals` times within `abuse.windowMs` is disconnected.
 * Installed with `socket.use`, before any handler, so refused events cost neither the database nor memory.
 */
import type { Logger } from '../logger';
import { createTokenBucket, type BucketPolicy, type TokenBucket } from './token-bucket';

export interface SocketBudgetPolicy {
  perSocket: BucketPolicy;
  perUser: BucketPolicy;
  maxInFlight: number;
  abuse: { refusals: number; windowMs: number };
}

/** Generous for a person (a phone sends a few events per second at most), tight for a script. */
export const DEFAULT_SOCKET_BUDGET: SocketBudgetPolicy = {
  perSocket: { ratePerSecond: 20, burst: 40 },
  perUser: { ratePerSecond: 40, burst: 80 },
  maxInFlight: 8,
  abuse: { refusals: 300, windowMs: 10_000 },
};

interface RateLimitedAck {
  ok: false;
  error: { code: 'RATE_LIMITED'; message: string; details: { retryAfterMs: number; retryAfterSeconds: number } };
}

/** What the budget needs of a socket.io socket (tests pass a fake). */
export interface BudgetedSocket {
  id: string;
  use(middleware: (packet: unknown[], next: (err?: Error) => void) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  disconnect(close?: boolean): unknown;
}

export interface SocketBudgetHooks {
  /** Every event received, before the budget decides (metrics: socket events by name). */
  onEvent?(name: string): void;
  onRefused?(reason: 'socket-rate' | 'user-rate' | 'in-flight'): void;
  onDisconnectedForAbuse?(): void;
}

export interface SocketBudget {
  /** Puts `socket` (of `userId`, if signed in) under budget; releases its share when it disconnects. */
  guard(socket: BudgetedSocket, userId: string | undefined): void;
  /** Users with a bucket now (bounded by the users with an open socket). */
  trackedUsers(): number;
}

const rateLimited = (retryAfterMs: number): RateLimitedAck => ({
  ok: false,
  error: {
    code: 'RATE_LIMITED',
    message: 'Too many events; slow down.',
    details: { retryAfterMs, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
  },
});

export function createSocketBudget(
  policy: SocketBudgetPolicy = DEFAULT_SOCKET_BUDGET,
  options: { nowMs?: () => number; logger?: Pick<Logger, 'warn'>; hooks?: SocketBudgetHooks } = {},
): SocketBudget {
  const nowMs = options.nowMs ?? (() => performance.now());
  const hooks = options.hooks ?? {};
  const users = new Map<string, { bucket: TokenBucket; sockets: number }>();

  return {
    trackedUsers: () => users.size,
    guard(socket, userId) {
      const own = createTokenBucket(policy.perSocket, nowMs());
      let shared: { bucket: TokenBucket; sockets: number } | undefined;
      if (userId) {
        shared = users.get(userId) ?? { bucket: createTokenBucket(policy.perUser, nowMs()), sockets: 0 };
        shared.sockets += 1;
        users.set(userId, shared);
      }
      let inFlight = 0;
      let refusals = 0;
      let windowStart = nowMs();
      let cut = false;

      const refuse = (ack: unknown, retryAfterMs: number, reason: 'socket-rate' | 'user-rate' | 'in-flight') => {
        hooks.onRefused?.(reason);
        if (typeof ack === 'function') (ack as (r: RateLimitedAck) => void)(rateLimited(retryAfterMs));
        const now = nowMs();
        if (now - windowStart > policy.abuse.windowMs) {
          windowStart = now;
          refusals = 0;
        }
        refusals += 1;
        if (refusals >= policy.abuse.refusals && !cut) {
          cut = true;
          hooks.onDisconnectedForAbuse?.();
          options.logger?.warn({ socketId: socket.id, userId }, 'socket disconnected: sustained event flood');
          socket.disconnect(true);
        }
      };

      socket.use((packet, next) => {
        const name = typeof packet[0] === 'string' ? packet[0] : '?';
        hooks.onEvent?.(name);
        if (cut) return; // dropped: the socket is on its way out
        const last = packet.length - 1;
        const ack = packet[last];
        const hasAck = last > 0 && typeof ack === 'function';
        if (hasAck && inFlight >= policy.maxInFlight) return refuse(ack, 50, 'in-flight');
        const now = nowMs();
        const mine = own.take(now);
        if (!mine.ok) return refuse(ack, mine.retryAfterMs, 'socket-rate');
        const theirs = shared?.bucket.take(now);
        if (theirs && !theirs.ok) return refuse(ack, theirs.retryAfterMs, 'user-rate');
        if (hasAck) {
          inFlight += 1;
          let released = false;
          packet[last] = (...reply: unknown[]) => {
            if (!released) {
              released = true;
              inFlight -= 1;
            }
            (ack as (...r: unknown[]) => void)(...reply);
          };
        }
        next();
      });

      socket.on('disconnect', () => {
        if (!userId || !shared) return;
        shared.sockets -= 1;
        if (shared.sockets <= 0 && users.get(userId) === shared) users.delete(userId);
      });
    },
  };
}
