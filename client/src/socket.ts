import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Same-origin socket.io; the session cookie rides along with the handshake. Opened after
 * sign-in and closed at sign-out so the server puts it in the right rooms.
 */
export function connectSocket(): AppSocket {
  return io({ withCredentials: true, transports: ['websocket', 'polling'] });
}
