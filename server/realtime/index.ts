import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type { AccountsService } from '../features/accounts/accounts.service';
import { whoamiHandler } from '../features/accounts/accounts.socket';
import type { AuthenticatedUser } from '../features/accounts/accounts.types';
import { chamberOrganisationsHandler } from '../features/admin/admin.socket';
import { MARKET_SOCKET_HANDLERS, type MarketSocketDeps } from '../features/market/market.socket';
import { marketWatchHandler } from '../features/market/market.watch';
import type { OrganisationsService } from '../features/organisations/organisations.service';
import { notificationsSinceHandler } from '../features/notifications/notifications.socket';
import type { NotificationsService } from '../features/notifications/notifications.service';
import { membersListHandler } from '../features/organisations/organisations.socket';
import type { AuthKit } from '../http/auth';
import type { Logger } from '../logger';
import type { AppSocket, SocketContext, SocketData } from './context';
import {
  CHAMBER_ROOM,
  MARKET_BOARD_ROOM,
  organisationRoom,
  sessionRoom,
  userRoom,
  type Hub,
  type RealtimeServer,
} from './hub';

export interface RealtimeDeps extends MarketSocketDeps {
  logger: Logger;
  /** Handshakes from another origin are refused (cross-site WebSocket hijacking). */
  allowedOrigins: readonly string[];
  auth: AuthKit;
  hub: Hub;
  accounts: AccountsService;
  organisations: OrganisationsService;
  notifications: NotificationsService;
  now: () => Date;
  /** The programme area's handlers (campaign:watch). */
  programmeSocketHandlers?: ((ctx: SocketContext) => void)[];
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

/** Every client→server event: one handler factory each (see `<area>.socket.ts`). */
export function socketHandlers(
  deps: Pick<
    RealtimeDeps,
    'accounts' | 'organisations' | 'notifications' | 'market' | 'findOrganisation' | 'programmeSocketHandlers'
  >,
) {
  return [
    whoamiHandler(deps),
    membersListHandler(deps),
    chamberOrganisationsHandler(deps),
    notificationsSinceHandler(deps),
    marketWatchHandler(),
    ...MARKET_SOCKET_HANDLERS.map((handler) => handler(deps)),
    ...(deps.programmeSocketHandlers ?? []),
  ];
}

/**
 * socket.io on the app's HTTP server. The session cookie authenticates the socket; a signed-in user
 * joins `org:<id>`, `user:<id>` (and `chamber` for chamber staff). Anonymous sockets join nothing.
 */
export function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const { logger, hub, accounts, now } = deps;
  const io: RealtimeServer = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    httpServer,
    {
      serveClient: false,
      allowRequest: (req, callback) => {
        const origin = req.headers.origin;
        callback(null, origin === undefined || deps.allowedOrigins.includes(origin));
      },
    },
  );
  for (const middleware of deps.auth.sessionChain) {
    io.engine.use(onlyForHandshake(middleware as unknown as EngineMiddleware));
  }

  const handlers = socketHandlers(deps);
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
        // Browsing is open to every signed-in user, verified or not: the whole board until `market:watch` narrows it.
        void socket.join(MARKET_BOARD_ROOM);
      }
    }
    const ctx: SocketContext = {
      socket,
      logger,
      now,
      async currentUser() {
        const { userId, sessionEpoch } = socket.data;
        if (!userId || sessionEpoch === undefined) return null;
        return accounts.loadSessionUser(userId, sessionEpoch);
      },
    };
    for (const register of handlers) register(ctx);
  });

  hub.attach(io);
  return {
    io,
    publish: hub,
    async close() {
      hub.detach();
      io.disconnectSockets(true);
      // Not io.close(): that would also close the HTTP server, which main.ts closes itself.
      io.engine.close();
    },
  };
}
