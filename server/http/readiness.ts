import type { RequestHandler } from 'express';

/**
 * `/readyz`: ready when the database answers, and Redis too when REDIS_URL is set (issue 11): a process
 * that cannot reach Redis would take sockets whose events never reach the other processes.
 */
export function readinessHandler(checks: {
  database: () => Promise<boolean>;
  redis?: () => Promise<boolean>;
}): RequestHandler {
  return async (_req, res) => {
    const [database, redis] = await Promise.all([checks.database(), checks.redis ? checks.redis() : true]);
    const ok = database && redis;
    const status = ok ? 'ready' : !database ? 'database unreachable' : 'redis unreachable';
    res.status(ok ? 200 : 503).json({
      status,
      ...(checks.redis ? { checks: { database: database ? 'ok' : 'down', redis: redis ? 'ok' : 'down' } } : {}),
    });
  };
}
