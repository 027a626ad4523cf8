/** Composition for app.ts: the repository, the service (whose sequencer the hub uses) and the routes. */
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from '../../logger';
import type { Publisher } from '../../realtime/hub';
import { createNotificationsRepository } from './notifications.repository';
import { notificationsRoutes } from './notifications.routes';
import { createNotificationsService, type NotificationsService } from './notifications.service';

export interface NotificationsFeature {
  service: NotificationsService;
  router: Router;
  ready: Promise<void>;
}

export function createNotificationsFeature(deps: {
  connection: Connection;
  now: () => Date;
  logger: Pick<Logger, 'error'>;
  /** How long stored notifications are kept (default NOTIFICATION_TTL_MS). */
  retentionMs?: number;
  /** Read markers go to the person's other tabs (notifications:read). */
  publisher?: Pick<Publisher, 'toRoom'>;
}): NotificationsFeature {
  const repository = createNotificationsRepository(deps.connection);
  const service = createNotificationsService({
    notifications: repository,
    now: deps.now,
    logger: deps.logger,
    ttlMs: deps.retentionMs,
    publisher: deps.publisher,
  });
  return { service, router: notificationsRoutes({ notifications: service }), ready: repository.ensureIndexes() };
}
