/**
 * What several processes need of the socket.io server (issue 11), in one place so realtime/index.ts
 * wires it in three lines: the Redis adapter's options, the fair-socket budget, the metrics, and the
 * cross-process invalidations. Every part is optional; without them socket.io runs as before.
 */
import type { ServerOptions } from 'socket.io';
import type { Metrics } from '../http/metrics';
import type { InvalidationBus } from './invalidations';
import type { RealtimeServer } from './hub';
import type { BudgetedSocket, SocketBudget } from './socket-budget';

export interface RealtimeScale {
  /** From connectRedis (realtime/redis-adapter.ts): the adapter and connection-state recovery. */
  serverOptions?: Partial<ServerOptions>;
  budget?: SocketBudget;
  metrics?: Pick<Metrics, 'socketConnected' | 'socketDisconnected'>;
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

/** On every connection, before the handlers are registered. */
export function guardSocket(
  socket: BudgetedSocket,
  userId: string | undefined,
  scale: RealtimeScale | undefined,
): void {
  if (!scale) return;
  scale.budget?.guard(socket, userId);
  if (scale.metrics) {
    const metrics = scale.metrics;
    metrics.socketConnected();
    socket.on('disconnect', () => metrics.socketDisconnected());
  }
}
