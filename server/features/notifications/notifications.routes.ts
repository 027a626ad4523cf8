import { Router } from 'express';
import { listNotificationsQuery, markNotificationsReadBody } from '../../../shared/schemas/notifications';
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

  return router;
}
