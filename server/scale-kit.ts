/**
 * Everything issue 11 adds to one app process, built in one place so app.ts wires it in a few marked
 * lines: metrics, fair-socket budgets, cross-process invalidations (through the Redis adapter when there is
 * one), the caller and listing caches, proxy settings, compression and readiness.
 */
import compression from 'compression';
import type { Express, RequestHandler } from 'express';
import type { Config } from './config';
import type { Database } from './db';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './http/metrics';
import { marketFiguresReader, monitorDatabaseCommands } from './http/metrics-market';
import type { ListLotsQuery } from '../shared/schemas/market';
import { lotListingCache } from './http/listing-cache';
import { insecureProxyWarning } from './http/proxies';
import { readinessHandler } from './http/readiness';
import { createInvalidationBus, type InvalidationBus } from './realtime/invalidations';
import type { Hub } from './realtime/hub';
import type { RedisLink } from './realtime/redis-adapter';
import { socketGuard, type RealtimeScale } from './realtime/scale-hooks';
import type { ConnectHook } from './area';
import { createSocketBudget, DEFAULT_SOCKET_BUDGET, type SocketBudgetPolicy } from './realtime/socket-budget';
import { DEFAULT_SCALE_CONFIG } from './scale-config';

/** Organisation events that change who its members are or what they may do. */
const CALLER_CHANGES: ReadonlySet<string> = new Set(['organisation:verification', 'organisation:members']);

export interface ScaleKitDeps {
  config: Config;
  logger: Logger;
  db: Database;
  now: () => Date;
  /** Present when REDIS_URL is set (main.ts connects before building the app). */
  redis?: RedisLink;
  socketBudget?: SocketBudgetPolicy;
}

export interface ScaleKit {
  metrics: Metrics;
  invalidations: InvalidationBus;
  /** For createRealtime: the Redis adapter's options and the invalidations it carries. */
  realtime: RealtimeScale;
  /** A connect hook for every socket: its event budget (realtime/socket-budget.ts) and the connection gauge. */
  guardSocket: ConnectHook;
  /** app.set('trust proxy', …) and the first middlewares (request timer, proxy warning). */
  prepare(app: Express): void;
  /** JSON over ~1 kB compressed when the client accepts it (mount on /api). */
  compressJson: RequestHandler;
  readiness: RequestHandler;
  /**
   * The hub, telling the caches what changed: a member's role or removal, a password change or reset,
   * a verification or suspension all go through it (to the organisation or the user) after the write.
   */
  watchHub(hub: Hub): Hub;
  /** GET /api/lots from cached bytes (http/listing-cache.ts); the market area mounts it before its lots route. */
  lotListing(list: (query: ListLotsQuery) => Promise<object>): RequestHandler;
  /** Market events that touch a lot empty the listing caches of every process. */
  onMarketEvent(event: { lotId?: string }): void;
  /** Sweeps with a run counter (replaces market.jobs.start in main.ts). */
  startSweeps(jobs: { runOnce(): Promise<unknown> }, intervalMs?: number): void;
  close(): void;
}

export function createScaleKit(deps: ScaleKitDeps): ScaleKit {
  const scale = deps.config.scale ?? DEFAULT_SCALE_CONFIG;
  const metrics = createMetrics({
    token: scale.metricsToken,
    marketFigures: marketFiguresReader(deps.db.connection, deps.now),
    processMetrics: deps.config.nodeEnv !== 'test',
  });
  const stopMonitoring = monitorDatabaseCommands(deps.db.connection, metrics);
  const invalidations = createInvalidationBus();
  const budget = createSocketBudget(deps.socketBudget ?? DEFAULT_SOCKET_BUDGET, {
    logger: deps.logger,
    hooks: { onEvent: (name) => metrics.socketEvent(name) },
  });
  let sweepTimer: NodeJS.Timeout | undefined;

  return {
    metrics,
    invalidations,
    realtime: { serverOptions: deps.redis?.serverOptions, invalidations },
    guardSocket: socketGuard(budget, metrics),
    prepare(app) {
      app.set('trust proxy', scale.trustProxy);
      app.use(metrics.httpTimer);
      app.use(
        insecureProxyWarning({ publicUrl: deps.config.publicUrl, trustProxy: scale.trustProxy, logger: deps.logger }),
      );
    },
    compressJson: compression({ threshold: 1024 }),
    readiness: readinessHandler({
      database: () => deps.db.ping(),
      ...(deps.redis ? { redis: () => deps.redis!.ping() } : {}),
    }),
    watchHub(hub) {
      return {
        ...hub,
        toOrganisation(organisationId, event, payload) {
          // Market updates to the organisation change nothing about its callers; these two do.
          if (CALLER_CHANGES.has(event)) invalidations.publish({ kind: 'organisation', organisationId });
          hub.toOrganisation(organisationId, event, payload);
        },
        endUserSockets(userId, reason) {
          invalidations.publish({ kind: 'user', userId });
          hub.endUserSockets(userId, reason);
        },
      };
    },
    lotListing: (list) => lotListingCache(list, invalidations),
    onMarketEvent(event) {
      if (event.lotId) invalidations.publish({ kind: 'lots' });
    },
    startSweeps(jobs, intervalMs = 5_000) {
      const tick = () => {
        jobs.runOnce().then(
          () => metrics.sweepRun('ok'),
          (err: unknown) => {
            metrics.sweepRun('failed');
            deps.logger.error({ err }, 'market sweep failed');
          },
        );
      };
      tick();
      sweepTimer = setInterval(tick, intervalMs);
      sweepTimer.unref();
    },
    close() {
      if (sweepTimer) clearInterval(sweepTimer);
      stopMonitoring();
    },
  };
}
