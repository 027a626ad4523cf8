/**
 * The notifications area's front door: what was sent to an organisation or user room, stored with a seq for
 * catch-up after a reconnect (its sequencer is plugged into the hub by the composition root).
 */
import type { Connection } from 'mongoose';
import type { AreaRegistration } from '../../area';
import type { Logger } from '../../logger';
import type { Publisher } from '../../realtime/hub';
import { createNotificationsFeature } from './notifications.module';
import { notificationsSinceHandler } from './notifications.socket';

export function createNotificationsArea(deps: {
  connection: Connection;
  now: () => Date;
  logger: Pick<Logger, 'error'>;
  /** How long stored notifications are kept (TTL); the module's default when unset. */
  retentionMs?: number;
  /** Read markers go to the person's other tabs and devices (`notifications:read`). */
  publisher?: Pick<Publisher, 'toRoom'>;
}) {
  const feature = createNotificationsFeature(deps);
  return {
    service: feature.service,
    register(): AreaRegistration {
      return {
        router: feature.router,
        socketHandlers: [notificationsSinceHandler({ notifications: feature.service })],
        ready: feature.ready,
      };
    },
  };
}
