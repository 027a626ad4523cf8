/**
 * `client:heartbeat`: the client asks every second or so and counts an unanswered one as a sign the network
 * is gone, long before socket.io's own ping timeout (~45 s) notices (docs/offline.md). Answered at once,
 * with no database read and no rate-limit charge: it must stay cheap enough to send this often.
 */
import type { HeartbeatAck } from '../../shared/events';
import type { SocketHandler } from './handler';

export const heartbeatHandler: SocketHandler = ({ socket, now }) => {
  (socket.on as (event: string, listener: (ack: unknown) => void) => void)('client:heartbeat', (ack) => {
    if (typeof ack !== 'function') return;
    (ack as (answer: HeartbeatAck) => void)({ ok: true, data: { at: now().toISOString() } });
  });
};
