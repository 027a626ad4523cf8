/**
 * Composition of the chamber's side (ledger, visits, problems, desk) for app.ts: repositories,
 * services and one router to mount under /api after authentication.
 */
import type { Order } from '../../../shared/domain/orders';
import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { OrganisationRepository, UserRepository } from '../accounts';
import { createLedgerRepository } from './ledger/ledger.repository';
import { ledgerRoutes } from './ledger/ledger.routes';
import { createLedgerService, type LedgerService } from './ledger/ledger.service';
import { createProblemRepository } from './problems/problems.repository';
import { problemRoutes } from './problems/problems.routes';
import { createProblemsService, type ProblemsService } from './problems/problems.service';
import { createVisitRepository } from './visits/visits.repository';
import { visitRoutes } from './visits/visits.routes';
import { createVisitsService, type VisitsService } from './visits/visits.service';
import { createDirectory } from './desk.directory';
import type { Logger } from '../../logger';
import type { Market, MarketEvent } from '../market';
import { emptyMarket, type MarketPort } from './kernel/desk.market';
import { marketPortFrom } from './desk.market-adapter';
import { createMarketEventListener } from './desk.market-events';
import { deskRoutes } from './desk.routes';
import { createDeskService, type DeskService } from './desk.service';

export interface DeskFeatureDeps {
  connection: Connection;
  organisations: OrganisationRepository;
  users: UserRepository;
  /** The live market: the desk reads lots, demand and outlooks through it and follows its orders. */
  liveMarket?: Market;
  /** Overrides the port built from liveMarket (tests pass an in-memory market). */
  market?: MarketPort;
  now: () => Date;
  logger?: Pick<Logger, 'error'>;
}

export interface DeskFeature {
  router: Router;
  ready: Promise<void>;
  /** The market as the desk reads it (the programme area reads it too). */
  market: MarketPort;
  services: { ledger: LedgerService; visits: VisitsService; problems: ProblemsService; desk: DeskService };
  /** Give this the market's events (createMarket's `publish`): brokered orders enter the ledger, cancellations void them. */
  onMarketEvent(event: MarketEvent): Promise<void>;
  /**
   * The market's settle step awaits this for every confirmed order (createMarket's onOrderConfirmed):
   * a brokered order enters the ledger before the sale counts as settled, and if this throws the
   * market's sweep calls it again, so a crash cannot lose the entry. Idempotent per order.
   */
  recordConfirmedOrder(order: Order): Promise<void>;
}

export function createDeskFeature(deps: DeskFeatureDeps): DeskFeature {
  const { connection, now } = deps;
  const live = deps.liveMarket;
  const farmIds = async () =>
    (await deps.organisations.list({ kind: 'farm', verification: 'verified', limit: 1000 })).map((o) => o.id);
  const market = deps.market ?? (live ? marketPortFrom({ market: live, farmIds }) : emptyMarket);
  const directory = createDirectory(deps.organisations, deps.users);
  const ledgerRepo = createLedgerRepository(connection);
  const visitRepo = createVisitRepository(connection);
  const problemRepo = createProblemRepository(connection);
  const ledger = createLedgerService({ ledger: ledgerRepo, directory, market });
  const problems = createProblemsService({ problems: problemRepo, visits: visitRepo, directory });
  const visits = createVisitsService({ visits: visitRepo, problems: problemRepo, directory });
  const desk = createDeskService({ market, directory });

  const router = Router();
  router.use(ledgerRoutes({ ledger, now }));
  router.use(visitRoutes({ visits, now }));
  router.use(problemRoutes({ problems, now }));
  router.use(deskRoutes({ desk, now }));

  const ready = Promise.all([ledgerRepo.ensureIndexes(), visitRepo.ensureIndexes(), problemRepo.ensureIndexes()]).then(
    () => undefined,
  );
  const listener = live
    ? createMarketEventListener({
        ledger,
        ...live.repositories,
        now,
        logger: deps.logger,
        isChamber: async (id) => (await deps.organisations.findById(id))?.kind === 'chamber',
      })
    : undefined;
  return {
    router,
    ready,
    market,
    services: { ledger, visits, problems, desk },
    onMarketEvent: (event) => listener?.onMarketEvent(event) ?? Promise.resolve(),
    async recordConfirmedOrder(order) {
      if (!listener) return;
      if ((await listener.recordIfBrokered(order)) === 'failed')
        throw new Error(`ledger entry for order ${order.id} not recorded`);
    },
  };
}
