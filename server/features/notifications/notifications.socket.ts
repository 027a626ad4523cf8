import { notificationsSinceQuery } from '../../../shared/schemas/notifications';
import { socketHandler } from '../../realtime/handler';
import type { NotificationsService } from './notifications.service';

/** `notifications:since`: what the caller's organisation (or the caller) was sent after a seq. */
export const notificationsSinceHandler = ({ notifications }: { notifications: NotificationsService }) =>
  socketHandler({
    event: 'notifications:since',
    access: 'signed-in',
    payload: 'optional',
    schema: notificationsSinceQuery,
    handle: ({ user, payload }) => notifications.list(user, payload),
  });
