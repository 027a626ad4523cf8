import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type { ConnectHook } from '../area';
import type { AuthKit } from '../http/auth';
import type { Logger } from '../logger';
import type { AuthenticatedUser } from '../principal';
import type { AppSocket, SocketContext, SocketData } from './context';
import { noRateLimit, type SocketHandler, type SocketRateLimit } from './handler';
import { CHAMBER_ROOM, organisationRoom, sessionRoom, userRoom, type Hub, type RealtimeServer } from './hub';
import { attachScale, type RealtimeScale } from './scale-hooks'; // scale (issue 11)

/** Transport and rooms only: the features' handlers and connect hooks come from the composition root. */
export interface RealtimeDeps {
  logger: Logger;
  /** Handshakes from another origin are refused (cross-site WebSocket hijacking). */
  allowedOrigins: readonly string[];
  auth: AuthKit;
  hub: Hub;
  now: () => Date;
  /** Re-reads a socket's user on every event (the accounts service's loadSessionUser). */
  loadSessionUser(userId: string, sessionEpoch: number): Promise<AuthenticatedUser | null>;
  /** Every client→server event's handler (each area's registration). */
  socketHandlers: readonly SocketHandler[];
  /** Run for each new socket after the organisation, user and chamber rooms are joined. */
  onConnect?: readonly ConnectHook[];
  /** Called before every client→server event (handler.ts); none by default. */
  socketRateLimit?: SocketRateLimit;
  /** scale (issue 11): Redis adapter options, socket budgets, metrics, invalidations; absent = one plain process. */
  scale?: RealtimeScale;
}

export interface Realtime {
  io: RealtimeServer;
  publish: Hub;
  close(): Promise<void>;
}

type EngineRequest = IncomingMessage & {
  _query?: Record<string, string>;
  user?: AuthenticatedUser;
  sessionID?: string;
};
type EngineMiddleware = (req: EngineRequest, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Session and passport run only on the handshake request, as in socket.io's "Usage with Passport". */
function onlyForHandshake(middleware: EngineMiddleware): EngineMiddleware {
  return (req, res, next) => {
    if (req._query?.sid === undefined) middleware(req, res, next);
    else next();
  };
}

/**
 * socket.io on the app's HTTP server. The session cookie authenticates the socket; a signed-in user
 * joins `org:<id>`, `user:<id>` (and `chamber` for chamber staff). Anonymous sockets join nothing.
 */
export function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const { logger, hub, now } = deps;
  const io: RealtimeServer = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    httpServer,
    {
      serveClient: false,
      ...deps.scale?.serverOptions, // scale (issue 11)
      allowRequest: (req, callback) => {
        const origin = req.headers.origin;
        callback(null, origin === undefined || deps.allowedOrigins.includes(origin));
      },
    },
  );
  for (const middleware of deps.auth.sessionChain) {
    io.engine.use(onlyForHandshake(middleware as unknown as EngineMiddleware));
  }

  io.on('connection', (socket: AppSocket) => {
    const req = socket.request as EngineRequest;
    const user = req.user;
    if (user) {
      socket.data.userId = user.id;
      socket.data.sessionEpoch = user.sessionEpoch;
      void socket.join(userRoom(user.id));
      if (req.sessionID) void socket.join(sessionRoom(req.sessionID));
      // Until the one-time password is changed, the user gets nothing about the organisation.
      if (!user.mustChangePassword) {
        void socket.join(organisationRoom(user.organisation.id));
        if (user.organisation.kind === 'chamber') void socket.join(CHAMBER_ROOM);
      }
    }
    for (const hook of deps.onConnect ?? []) hook(socket, user ?? null);
    const ctx: SocketContext = {
      socket,
      logger,
      now,
      rateLimit: deps.socketRateLimit ?? noRateLimit,
      async currentUser() {
        const { userId, sessionEpoch } = socket.data;
        if (!userId || sessionEpoch === undefined) return null;
        return deps.loadSessionUser(userId, sessionEpoch);
      },
    };
    for (const handle of deps.socketHandlers) handle(ctx);
  });

  hub.attach(io);
  const detachScale = attachScale(io, deps.scale); // scale (issue 11)
  return {
    io,
    publish: hub,
    async close() {
      hub.detach();
      detachScale(); // scale (issue 11)
      io.disconnectSockets(true);
      // Not io.close(): that would also close the HTTP server, which main.ts closes itself.
      io.engine.close();
    },
  };
}
