import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type { AuthenticatedUser } from '../principal';
import type { Logger } from '../logger';
import type { Failure } from '../../shared/failures';

export interface SocketData {
  userId?: string;
  sessionEpoch?: number;
}

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What each `<area>.socket.ts` handler factory receives. */
export interface SocketContext {
  socket: AppSocket;
  logger: Logger;
  /** The socket's user as of now (null if anonymous, removed, or their password changed since). */
  currentUser(): Promise<AuthenticatedUser | null>;
  now(): Date;
  /** The rate-limit hook every handler calls before its work (handler.ts). */
  rateLimit: SocketRateLimit;
}

/**
 * Called before the handler with the event and the acting user (null when anonymous); a Failure (normally
 * RATE_LIMITED with retryAfterSeconds) refuses the event. The composition root plugs the limiter in.
 */
export type SocketRateLimit = (
  event: string,
  user: AuthenticatedUser | null,
) => Promise<Failure | null> | Failure | null;
