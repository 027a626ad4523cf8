import { Router } from 'express';
import {
  listNotificationsQuery,
  markNotificationsReadBody,
  markReadUpToBody,
  notificationCentreQuery,
} from '../../../shared/schemas/notifications';
import { currentUser, requireAuth } from '../../http/guards';
import { unwrap } from '../../http/failure-status';
import { parse } from '../../http/validate';
import type { NotificationsService } from './notifications.service';

/** /api/notifications: the caller's own organisation and user notifications, and their read marker. */
export function notificationsRoutes({ notifications }: { notifications: NotificationsService }): Router {
  const router = Router();

  router.get('/notifications', requireAuth, async (req, res) => {
    res.json(unwrap(await notifications.list(currentUser(req), parse(listNotificationsQuery, req.query))));
  });

  router.post('/notifications/read', requireAuth, async (req, res) => {
    const { channel, upToSeq } = parse(markNotificationsReadBody, req.body ?? {});
    res.json(unwrap(await notifications.markRead(currentUser(req), channel, upToSeq)));
  });

  // The notification centre (docs/notifications.md): a page newest first, the unread count, "read up to".
  router.get('/notifications/centre', requireAuth, async (req, res) => {
    res.json(unwrap(await notifications.centre(currentUser(req), parse(notificationCentreQuery, req.query))));
  });

  router.get('/notifications/unread', requireAuth, async (req, res) => {
    res.json(unwrap(await notifications.unread(currentUser(req))));
  });

  router.post('/notifications/read-up-to', requireAuth, async (req, res) => {
    const { upTo } = parse(markReadUpToBody, req.body ?? {});
    res.json(unwrap(await notifications.markReadUpTo(currentUser(req), new Date(upTo))));
  });

  return router;
}
