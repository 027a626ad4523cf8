/**
 * Composition of the chamber's side (ledger, visits, problems, desk) for app.ts: repositories,
 * services and one router to mount under /api after authentication.
 */
import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { UserRepository } from '../accounts/accounts.repository';
import type { OrganisationRepository } from '../organisations/organisations.repository';
import { createLedgerRepository } from '../ledger/ledger.repository';
import { ledgerRoutes } from '../ledger/ledger.routes';
import { createLedgerService, type LedgerService } from '../ledger/ledger.service';
import { createProblemRepository } from '../problems/problems.repository';
import { problemRoutes } from '../problems/problems.routes';
import { createProblemsService, type ProblemsService } from '../problems/problems.service';
import { createVisitRepository } from '../visits/visits.repository';
import { visitRoutes } from '../visits/visits.routes';
import { createVisitsService, type VisitsService } from '../visits/visits.service';
import { createDirectory } from './desk.directory';
import { emptyMarket, type MarketPort } from './desk.market';
import { deskRoutes } from './desk.routes';
import { createDeskService, type DeskService } from './desk.service';

export interface DeskFeatureDeps {
  connection: Connection;
  organisations: OrganisationRepository;
  users: UserRepository;
  /** The market's side of the desk; `emptyMarket` until the market feature provides one. */
  market?: MarketPort;
  now: () => Date;
}

export interface DeskFeature {
  router: Router;
  ready: Promise<void>;
  services: { ledger: LedgerService; visits: VisitsService; problems: ProblemsService; desk: DeskService };
}

export function createDeskFeature(deps: DeskFeatureDeps): DeskFeature {
  const { connection, now } = deps;
  const market = deps.market ?? emptyMarket;
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

  const ready = Promise.all([ledgerRepo.ensureIndexes(), visitRepo.ensureIndexes(), problemRepo.ensureIndexes()]).then(() => undefined);
  return { router, ready, services: { ledger, visits, problems, desk } };
}
