/**
 * What several processes need of the socket.io server (issue 11), in one place so realtime/index.ts
 * wires it in three lines: the Redis adapter's options and the cross-process invalidations (attached
 * once the server exists), and the connect hook that puts each socket under its budget. Every part is optional; without them socket.io runs as before.
 */
import type { ServerOptions } from 'socket.io';
import type { ConnectHook } from '../area';
import type { Metrics } from '../http/metrics';
import type { InvalidationBus } from './invalidations';
import type { RealtimeServer } from './hub';
import type { BudgetedSocket, SocketBudget } from './socket-budget';

export interface RealtimeScale {
  /** From connectRedis (realtime/redis-adapter.ts): the adapter and connection-state recovery. */
  serverOptions?: Partial<ServerOptions>;
  invalidations?: InvalidationBus;
}

/** After the server exists: invalidations travel through its adapter. Returns the undo for close(). */
export function attachScale(io: RealtimeServer, scale: RealtimeScale | undefined): () => void {
  // Only a cluster adapter (Redis) carries server-side events; the in-memory one would warn on each.
  if (scale?.serverOptions?.adapter) scale.invalidations?.attach(io);
  return () => {
    scale?.invalidations?.detach();
    // The Redis adapter reads its stream until closed (io.close() would do it, but also closes the HTTP server).
    if (scale?.serverOptions?.adapter) void io.of('/').adapter.close();
  };
}

/**
 * A connect hook (server/area.ts) for every socket: the fair-socket budget (installed with `socket.use`, so
 * an event over budget is refused before the user is re-read or any handler runs, unknown events count too,
 * and acks in flight are bounded) and the connection gauge. The per-event rate-limit hook of handler.ts
 * stays free for limits that need the event's meaning.
 */
export function socketGuard(
  budget: SocketBudget | undefined,
  metrics: Pick<Metrics, 'socketConnected' | 'socketDisconnected'> | undefined,
): ConnectHook {
  return (socket, user) => {
    budget?.guard(socket as unknown as BudgetedSocket, user?.id);
    if (metrics) {
      metrics.socketConnected();
      socket.on('disconnect', () => metrics.socketDisconnected());
    }
  };
}
