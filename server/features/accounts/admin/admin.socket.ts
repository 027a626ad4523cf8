import { canReviewOrganisations } from '../../../../shared/domain/permissions';
import { listOrganisationsQuerySchema, type OrganisationsResponse } from '../../../../shared/schemas/accounts';
import { issuesToFields } from '../../../http/validate';
import { failure, success } from '../../../outcome';
import { ackFunction, answer, signedIn } from '../../../realtime/ack';
import type { SocketContext } from '../../../realtime/context';
import type { OrganisationsService } from '../organisations/organisations.service';

/** `chamber:organisations`: chamber staff list organisations by verification state. */
export function chamberOrganisationsHandler({ organisations }: { organisations: OrganisationsService }) {
  return (ctx: SocketContext) => {
    ctx.socket.on('chamber:organisations', (query: unknown, rawAck: unknown) => {
      // Tolerate a missing query: emit('chamber:organisations', ack).
      const [payload, ackCandidate] = typeof query === 'function' ? [{}, query] : [query, rawAck];
      const ack = ackFunction<OrganisationsResponse>(ackCandidate);
      void answer(ack, ctx.logger, async () => {
        const user = signedIn(await ctx.currentUser());
        if (!user.ok) return user;
        if (!canReviewOrganisations(user.value.principal))
          return failure('FORBIDDEN', 'Only chamber of commerce staff can do this.');
        const parsed = listOrganisationsQuerySchema.safeParse(payload ?? {});
        if (!parsed.success) {
          const fields = issuesToFields(parsed.error.issues);
          return failure('VALIDATION', `Invalid request: ${Object.keys(fields).join(', ')}`, { fields });
        }
        const listed = await organisations.listForReview(user.value, parsed.data);
        return listed.ok ? success({ organisations: listed.value }) : listed;
      });
    });
  };
}
