import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { Router, type Express } from 'express';
import pinoHttp from 'pino-http';
import { allowedOrigins, expectedOrigin, isHttps, type Config } from './config';
import type { Logger } from './logger';
import type { Database } from './db';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { rejectNul } from './http/reject-nul';
import { createAuthKit } from './http/auth';
import { csrfProtection } from './http/csrf';
import { passwordChangeGate } from './http/guards';
import { securityHeaders } from './http/security';
import { createHub } from './realtime/hub';
import type { RealtimeDeps } from './realtime';
import type { AreaRegistration } from './area';
import {
  createAccountsArea,
  type AccountsService,
  type OrganisationsService,
  type ThrottlePolicies,
  type TokensService,
} from './features/accounts';
import { createDeskArea, type DeskArea, type MarketPort } from './features/desk';
import { createMarketArea, type Market } from './features/market';
import { createNotificationsArea } from './features/notifications';
import { createProgrammeArea } from './features/programme';
import { openApiRoutes } from './http/openapi';
import { staticAssets } from './http/static-assets'; // scale (issue 11)
import type { RedisLink } from './realtime/redis-adapter'; // scale (issue 11)
import { heartbeatHandler } from './realtime/heartbeat';
import { createScaleKit, type ScaleKit } from './scale-kit'; // scale (issue 11)

export interface AppDeps {
  /** config.sessionSecret must be set (main.ts fills it with ensureSessionSecret). */
  config: Config;
  logger: Logger;
  db: Database;
  /** The time source ("clock" is the clock sale); tests may pass their own. */
  now?: () => Date;
  /** Override rate-limit policies (tests). */
  throttle?: Partial<ThrottlePolicies>;
  /** bcrypt cost, 10–12 (default 11). */
  passwordCost?: number;
  /** The market as the chamber's desk sees it (features/desk/desk.market.ts); empty when absent. */
  deskMarket?: MarketPort;
  /** scale (issue 11): the Redis link when REDIS_URL is set (main.ts connects it). */
  redis?: RedisLink;
}

export interface AppHandle {
  app: Express;
  /** Everything mounted under /api; tests enumerate its routes. */
  apiRouter: Router;
  /** Resolves when indexes (unique, TTL) and the session store are in place. Await before listening. */
  ready: Promise<void>;
  /** What createRealtime(httpServer, deps) needs: the same session and passport, every area's socket handlers. */
  realtime: RealtimeDeps;
  /** Notifications written in the background have been stored (tests await it). */
  notificationsIdle(): Promise<void>;
  services: {
    accounts: AccountsService;
    organisations: OrganisationsService;
    tokens: TokensService;
    desk: DeskArea['services'];
  };
  /** Lots, offers, orders and their sweep (main.ts starts market.jobs; tests call runOnce). */
  market: Market;
  /** scale (issue 11): metrics, invalidations, caches, sweeps with a run counter. */
  scale: ScaleKit;
  close(): Promise<void>;
}

const clientDist = path.resolve(__dirname, '..', 'client', 'dist');

/**
 * The composition root of the HTTP app: builds each area, wires the areas' explicit subscriptions (in the
 * areas' index files), mounts their routes and collects their socket handlers. No business rule lives here.
 * Does not listen: only main.ts (and tests) do.
 */
export function createApp(deps: AppDeps): AppHandle {
  const { logger, db, config } = deps;
  if (!config.sessionSecret) throw new Error('createApp needs config.sessionSecret (see ensureSessionSecret)');
  const now = deps.now ?? (() => new Date());
  const origin = expectedOrigin(config);
  const origins = allowedOrigins(config);
  const { connection } = db;

  const scale = createScaleKit({ config, logger, db, now, redis: deps.redis }); // scale (issue 11)
  const hub = scale.watchHub(createHub()); // scale (issue 11): caller changes empty the caches
  // Organisation and user events are stored with a seq before they go out (catch-up after a reconnect).
  const notifications = createNotificationsArea({
    connection,
    now,
    logger,
    retentionMs: config.notificationRetentionDays * 24 * 60 * 60 * 1000,
    publisher: hub,
  });
  hub.useSequencer(notifications.service.sequencer);
  const accounts = createAccountsArea({
    connection,
    publisher: hub,
    now,
    throttle: deps.throttle,
    passwordCost: deps.passwordCost,
    invalidations: scale.invalidations, // scale (issue 11): the caller cache, emptied on every process
  });
  const auth = createAuthKit({
    connection,
    sessionSecret: config.sessionSecret,
    secureCookies: isHttps(config),
    accounts: accounts.services.accounts,
    tokens: accounts.services.tokens,
    now,
    invalidations: scale.invalidations, // scale (issue 11): sessions cached per process
  });
  const marketArea = createMarketArea({
    connection,
    publisher: hub,
    directory: accounts.directory,
    now,
    logger,
    lotListing: scale.lotListing, // scale (issue 11): cached bytes + ETag
    standingOrderLeadHours: config.standingOrderLeadHours, // orders (issue 12)
  });
  marketArea.onEvent(scale.onMarketEvent); // scale (issue 11): lot changes empty the listing caches
  const desk = createDeskArea({
    connection,
    organisations: accounts.repositories.organisations,
    users: accounts.repositories.users,
    marketArea,
    market: deps.deskMarket,
    now,
    logger,
  });
  const programme = createProgrammeArea({ connection, publisher: hub, market: desk.market, marketArea, now, logger });
  const areas: AreaRegistration[] = [
    accounts.register({ auth }),
    desk.register(),
    programme.register(),
    marketArea.register(),
    notifications.register(),
  ];
  const ready = Promise.all([...areas.map((area) => area.ready), auth.ready]).then(() => undefined);

  const app = express();
  app.disable('x-powered-by');
  scale.prepare(app); // scale (issue 11): TRUST_PROXY, request timer, https-behind-http warning

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // One short line per request: what was asked, by which address, and the answer. Headers stay
      // out (cookies and tokens are redacted anyway), which also keeps logging cheap per request.
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(securityHeaders(origin));
  app.use(express.json({ limit: '256kb' }));
  app.use(rejectNul);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', scale.readiness); // scale (issue 11): database, and Redis when configured
  app.use(scale.metrics.router); // scale (issue 11): GET /metrics (404 without METRICS_TOKEN)

  // Authentication (Bearer token or session), then CSRF, then the one-time-password gate, then routes.
  const apiRouter = Router();
  apiRouter.use(auth.authenticate, csrfProtection(origins), passwordChangeGate);
  for (const area of areas) apiRouter.use(area.router);
  apiRouter.use(openApiRoutes({ publicUrl: origin }));
  app.use('/api', scale.compressJson, apiRouter); // scale (issue 11): JSON over ~1 kB compressed

  if (fs.existsSync(path.join(clientDist, 'index.html'))) {
    // scale (issue 11): pre-compressed .br/.gz, index.html revalidated, hashed assets immutable.
    app.use(staticAssets(clientDist));
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send(placeholderPage);
    });
  }

  app.use('/api', notFoundHandler);
  app.use(notFoundHandler);
  app.use(errorHandler);

  return {
    app,
    apiRouter,
    ready,
    realtime: {
      logger,
      allowedOrigins: origins,
      auth,
      hub,
      now,
      loadSessionUser: accounts.services.accounts.loadSessionUser,
      socketHandlers: [heartbeatHandler, ...areas.flatMap((area) => area.socketHandlers)],
      // scale (issue 11): fair-socket budgets and socket metrics on every connection
      onConnect: [scale.guardSocket, ...areas.flatMap((area) => area.onConnect ?? [])],
      scale: scale.realtime, // scale (issue 11): Redis adapter, cross-process invalidations
    },
    notificationsIdle: () => notifications.service.idle(),
    services: { ...accounts.services, desk: desk.services },
    market: marketArea.market,
    scale,
    async close() {
      scale.close(); // scale (issue 11)
      await marketArea.market.jobs.stop();
      await notifications.service.idle();
    },
  };
}

const placeholderPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>鲜链 FreshLink</title></head>
<body>
<h1>鲜链 FreshLink</h1>
<p>农产品保鲜直供平台正在建设中。</p>
<p lang="en">Fresh produce, sold before it spoils. The app is being built.</p>
</body></html>`;
