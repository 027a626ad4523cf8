import { notificationsSinceQuery, type NotificationsResponse } from '../../../shared/schemas/notifications';
import { issuesToFields } from '../../http/validate';
import { failure } from '../../outcome';
import { ackFunction, answer, signedIn } from '../../realtime/ack';
import type { SocketContext } from '../../realtime/context';
import type { NotificationsService } from './notifications.service';

/** `notifications:since`: what the caller's organisation (or the caller) was sent after a seq. */
export function notificationsSinceHandler({ notifications }: { notifications: NotificationsService }) {
  return (ctx: SocketContext) => {
    ctx.socket.on('notifications:since', (query: unknown, rawAck: unknown) => {
      const [payload, ackCandidate] = typeof query === 'function' ? [{}, query] : [query, rawAck];
      const ack = ackFunction<NotificationsResponse>(ackCandidate);
      void answer(ack, ctx.logger, async () => {
        const user = signedIn(await ctx.currentUser());
        if (!user.ok) return user;
        const parsed = notificationsSinceQuery.safeParse(payload ?? {});
        if (!parsed.success) {
          const fields = issuesToFields(parsed.error.issues);
          return failure('VALIDATION', `Invalid request: ${Object.keys(fields).join(', ')}`, { fields });
        }
        return notifications.list(user.value, parsed.data);
      });
    });
  };
}
