/**
 * What an area hands the composition root (server/app.ts): its routes, its socket handlers, what a new
 * socket joins, and when it is ready. Each area's index.ts builds one; only app.ts and main.ts call them.
 */
import type { Router } from 'express';
import type { AuthenticatedUser } from './principal';
import type { AppSocket } from './realtime/context';
import type { SocketHandler } from './realtime/handler';

/** Runs for every new socket with its user (null when anonymous), e.g. to join the area's rooms. */
export type ConnectHook = (socket: AppSocket, user: AuthenticatedUser | null) => void;

export interface AreaRegistration {
  /** Mounted under /api after authentication, CSRF and the password-change gate. */
  router: Router;
  /** Every client→server event the area answers (realtime/handler.ts socketHandler). */
  socketHandlers: SocketHandler[];
  onConnect?: ConnectHook[];
  /** Indexes and collections in place. */
  ready: Promise<void>;
}
