/**
 * Several app processes, one live market (issue 11): when REDIS_URL is set, socket.io broadcasts go
 * through a Redis stream (`@socket.io/redis-streams-adapter`), so an event published on process A
 * reaches the sockets on process B; sessions for connection-state recovery are kept in Redis too, so a
 * socket that reconnects to any process gets the packets it missed. Without REDIS_URL none of this
 * exists and one process works alone, as before.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import type { Logger } from '../logger';

/** How long a dropped socket may come back and still get what it missed (socket.io's recovery). */
const RECOVERY_WINDOW_MS = 2 * 60_000;

export interface RedisLink {
  /** What `new Server(http, options)` needs to broadcast across processes and recover sessions. */
  serverOptions: Partial<ServerOptions>;
  /** For /readyz: true when Redis answers PING within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectRedis(url: string, logger: Pick<Logger, 'warn' | 'info'>): Promise<RedisLink> {
  // One connection for the adapter (it blocks on XREAD), one for health checks, so a PING never waits behind it.
  const client = createClient({ url });
  const probe = client.duplicate();
  let lastError = '';
  for (const c of [client, probe]) {
    c.on('error', (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      // The client reconnects by itself; say so once per distinct failure, not once per retry.
      if (message !== lastError) logger.warn({ err: message }, 'redis connection problem; reconnecting');
      lastError = message;
    });
    c.on('ready', () => {
      if (lastError) logger.info('redis connection back');
      lastError = '';
    });
  }
  await Promise.all([client.connect(), probe.connect()]);
  return {
    serverOptions: {
      adapter: createAdapter(client, {
        streamName: 'freshlink:socket.io',
        channelPrefix: 'freshlink:socket.io',
        maxLen: 10_000,
        // How long one XREAD waits for news: also how long shutting down waits for the reader to stop.
        blockTimeInMs: 2_000,
        // Our packets are JSON (no Buffers): skip the binary scan on every broadcast.
        onlyPlaintext: true,
      }),
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    },
    async ping(timeoutMs = 1_000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const answer = await Promise.race([
          probe.ping(),
          new Promise<string>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), timeoutMs);
          }),
        ]);
        return answer === 'PONG';
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      // Let queued commands finish for a moment; a Redis that is gone would make close() wait forever.
      await Promise.race([
        Promise.allSettled([client.close(), probe.close()]),
        new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
      ]);
      client.destroy();
      probe.destroy();
    },
  };
}
