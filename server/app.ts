import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { Router, type Express } from 'express';
import pinoHttp from 'pino-http';
import { allowedOrigins, expectedOrigin, isHttps, type Config } from './config';
import type { Logger } from './logger';
import type { Database } from './db';
import { errorHandler, notFoundHandler } from './http/errorHandler';
import { createAuthKit } from './http/auth';
import { csrfProtection } from './http/csrf';
import { passwordChangeGate } from './http/guards';
import { securityHeaders } from './http/security';
import { createHub } from './realtime/hub';
import type { RealtimeDeps } from './realtime';
import { createUserRepository } from './features/accounts/accounts.repository';
import { accountsRoutes } from './features/accounts/accounts.routes';
import {
  createAccountsService,
  DEFAULT_THROTTLE,
  type AccountsService,
  type ThrottlePolicies,
} from './features/accounts/accounts.service';
import { BCRYPT_COST, createPasswordHasher } from './features/accounts/passwords';
import { adminRoutes } from './features/admin/admin.routes';
import { createOrganisationRepository } from './features/organisations/organisations.repository';
import { organisationRoutes } from './features/organisations/organisations.routes';
import { createOrganisationsService, type OrganisationsService } from './features/organisations/organisations.service';
import { createRateLimitRepository } from './features/ratelimits/ratelimits.repository';
import { createThrottleService } from './features/ratelimits/ratelimits.service';
import { createTokenRepository } from './features/tokens/tokens.repository';
import { tokenRoutes } from './features/tokens/tokens.routes';
import { createTokensService, type TokensService } from './features/tokens/tokens.service';
import { createDeskFeature, type DeskFeature } from './features/desk/desk.feature';
import type { MarketPort } from './features/desk/desk.market';
import { createMarket, type Market } from './features/market/market.module';
import { marketPublisher } from './features/market/market.publish';
import { marketRoutes } from './features/market/market.routes';
import type { MarketEvent } from './features/market/market.types';
import { createNotificationsFeature } from './features/notifications/notifications.feature';
import { openApiRoutes } from './http/openapi';
import { registerProgramme } from './features/programme/programme.feature';

export interface AppDeps {
  /** config.sessionSecret must be set (main.ts fills it with ensureSessionSecret). */
  config: Config;
  logger: Logger;
  db: Database;
  /** The clock; tests may pass their own. */
  now?: () => Date;
  /** Override rate-limit policies (tests). */
  throttle?: Partial<ThrottlePolicies>;
  /** bcrypt cost, 10–12 (default 11). */
  passwordCost?: number;
  /** The market as the chamber's desk sees it (features/desk/desk.market.ts); empty when absent. */
  deskMarket?: MarketPort;
}

export interface AppHandle {
  app: Express;
  /** Everything mounted under /api; tests enumerate its routes. */
  apiRouter: Router;
  /** Resolves when indexes (unique, TTL) and the session store are in place. Await before listening. */
  ready: Promise<void>;
  /** What createRealtime(httpServer, deps) needs: the same session, passport and services. */
  realtime: RealtimeDeps;
  services: {
    accounts: AccountsService;
    organisations: OrganisationsService;
    tokens: TokensService;
    desk: DeskFeature['services'];
  };
  /** Lots, offers, orders and their sweep (main.ts starts market.jobs; tests call runOnce). */
  market: Market;
  close(): Promise<void>;
}

const clientDist = path.resolve(__dirname, '..', 'client', 'dist');

/** Builds the Express app. Does not listen: only main.ts (and tests) do. */
/** An organisation's region as farms are listed and lots are placed: city and county, "吉安市新干县". */
const regionOf = (organisation: { address: { city: string; county: string } }) =>
  `${organisation.address.city}${organisation.address.county}`;

export function createApp(deps: AppDeps): AppHandle {
  const { logger, db, config } = deps;
  if (!config.sessionSecret) throw new Error('createApp needs config.sessionSecret (see ensureSessionSecret)');
  const now = deps.now ?? (() => new Date());
  const origin = expectedOrigin(config);
  const origins = allowedOrigins(config);
  const passwordCost = Math.min(12, Math.max(10, deps.passwordCost ?? BCRYPT_COST));

  const hub = createHub();
  // Organisation and user events are stored with a seq before they go out (catch-up after a reconnect).
  const notifications = createNotificationsFeature({ connection: db.connection, now, logger });
  hub.useSequencer(notifications.service.sequencer);
  const users = createUserRepository(db.connection);
  const organisationRepo = createOrganisationRepository(db.connection);
  const tokenRepo = createTokenRepository(db.connection);
  const rateLimits = createRateLimitRepository(db.connection);
  const hasher = createPasswordHasher(passwordCost);
  const accounts = createAccountsService({
    users,
    organisations: organisationRepo,
    tokens: tokenRepo,
    throttle: createThrottleService(rateLimits),
    policies: { ...DEFAULT_THROTTLE, ...deps.throttle },
    hasher,
    publisher: hub,
  });
  const organisations = createOrganisationsService({
    organisations: organisationRepo,
    users,
    tokens: tokenRepo,
    hasher,
    publisher: hub,
  });
  const tokens = createTokensService({ tokens: tokenRepo, loadUser: accounts.loadAuthenticated });
  const auth = createAuthKit({
    connection: db.connection,
    sessionSecret: config.sessionSecret,
    secureCookies: isHttps(config),
    accounts,
    tokens,
    now,
  });
  // Market events go to the sockets (marketPublisher) and to the desk (brokered orders → assistance
  // ledger); the desk's listener is bound once both exist.
  const marketListeners: ((event: MarketEvent) => unknown)[] = [];
  const toSockets = marketPublisher(hub, now, {
    logger,
    // Orders and expiries do not say where their lot is; the board's product and region rooms need it.
    placeOfLot: async (lotId) => {
      const lot = await market.repositories.lots.findById(lotId);
      return lot ? { productCode: lot.productCode, ...(lot.region ? { region: lot.region } : {}) } : null;
    },
  });
  const late: { desk?: DeskFeature } = {}; // the desk needs the market, the market calls the desk
  const market = createMarket({
    connection: db.connection,
    clock: now,
    logger,
    // Suspension (or a pending or rejected organisation) stops new trades on both sides, not just the caller's.
    isTrading: async (id, kind) => {
      const organisation = await organisationRepo.findById(id);
      return organisation?.verification === 'verified' && (kind === undefined || organisation.kind === kind);
    },
    organisationName: async (id) => (await organisationRepo.findById(id))?.name,
    organisationRegion: async (id) => {
      const organisation = await organisationRepo.findById(id);
      return organisation ? regionOf(organisation) : undefined;
    },
    onOrderConfirmed: async (order) => late.desk?.recordConfirmedOrder(order),
    publish: (event) => {
      toSockets(event);
      marketListeners.forEach((listen) => listen(event));
    },
  });
  const desk = createDeskFeature({
    connection: db.connection,
    organisations: organisationRepo,
    users,
    liveMarket: market,
    market: deps.deskMarket,
    now,
    logger,
  });
  marketListeners.push(desk.onMarketEvent);
  late.desk = desk;
  const programme = registerProgramme({ connection: db.connection, publisher: hub, market: desk.market, now, logger });
  marketListeners.push(programme.onMarketEvent);
  const ready = Promise.all([
    market.init(),
    desk.ready,
    programme.ready,
    notifications.ready,
    users.ensureIndexes(),
    organisationRepo.ensureIndexes(),
    tokenRepo.ensureIndexes(),
    rateLimits.ensureIndexes(),
    auth.ready,
  ]).then(() => undefined);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

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
    }),
  );
  app.use(securityHeaders(origin));
  app.use(express.json({ limit: '256kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await db.ping();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unreachable' });
  });

  // Authentication (Bearer token or session), then CSRF, then the one-time-password gate, then routes.
  const apiRouter = Router();
  apiRouter.use(auth.authenticate, csrfProtection(origins), passwordChangeGate);
  apiRouter.use(accountsRoutes({ accounts, auth, publisher: hub, now }));
  apiRouter.use(organisationRoutes({ organisations }));
  apiRouter.use(adminRoutes({ organisations, accounts, now }));
  apiRouter.use(tokenRoutes({ tokens, now }));
  apiRouter.use(desk.router);
  apiRouter.use(programme.router);
  apiRouter.use(
    marketRoutes({
      market,
      findOrganisation: (id) => organisationRepo.findById(id),
      listFarms: async () =>
        (await organisationRepo.list({ kind: 'farm', verification: 'verified', limit: 500 }))
          .map((o) => ({ id: o.id, name: o.name, region: regionOf(o) }))
          .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
    }),
  );
  apiRouter.use(notifications.router);
  apiRouter.use(openApiRoutes({ publicUrl: origin }));
  app.use('/api', apiRouter);

  if (fs.existsSync(path.join(clientDist, 'index.html'))) {
    // index.html must be revalidated (it names the current hashed assets); hashed assets never change.
    app.use(
      express.static(clientDist, {
        index: 'index.html',
        setHeaders: (res, filePath) => {
          const hashedAsset = filePath.includes(`${path.sep}assets${path.sep}`);
          res.setHeader('Cache-Control', hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
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
      accounts,
      organisations,
      notifications: notifications.service,
      now,
      market,
      findOrganisation: (id) => organisationRepo.findById(id),
      programmeSocketHandlers: programme.socketHandlers,
    },
    services: { accounts, organisations, tokens, desk: desk.services },
    market,
    async close() {
      await market.jobs.stop();
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
