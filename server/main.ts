import http from 'node:http';
import { loadConfig, ConfigError, ensureSessionSecret, type Config } from './config';
import { createLogger } from './logger';
import { openDatabase } from './db';
import { createApp } from './app';
import { createRealtime } from './realtime';
import { connectRedis, type RedisLink } from './realtime/redis-adapter'; // scale (issue 11)

/** Composition root: the only place that reads the environment, listens and handles signals. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  config = { ...config, sessionSecret: ensureSessionSecret(config) };
  const db = await openDatabase(config, logger);
  // scale (issue 11): with REDIS_URL, sockets and cache invalidations reach every app process.
  const redis: RedisLink | undefined = config.scale.redisUrl
    ? await connectRedis(config.scale.redisUrl, logger)
    : undefined;
  const handle = createApp({ config, logger, db, redis });
  await handle.ready;
  const server = http.createServer(handle.app);
  const realtime = createRealtime(server, handle.realtime);
  // Lot expiry and reservation recovery: derived from the data, so safe on every node and after restarts.
  handle.scale.startSweeps(handle.market.jobs); // scale (issue 11): market.jobs.start with a run counter

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, embedded: Boolean(db.embedded), redis: Boolean(redis) },
    `FreshLink listening on http://localhost:${port}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    // Stop accepting; let requests in flight finish; then close what they used.
    // Sockets first: open WebSocket connections would keep server.close() waiting.
    await realtime.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await handle.close();
    await redis?.close(); // scale (issue 11)
    await db.close();
    logger.info('bye');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`FreshLink failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
