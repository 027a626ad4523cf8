import { canReviewOrganisations } from '../../../../shared/domain/permissions';
import { commonFailure } from '../../../../shared/failures';
import { listOrganisationsQuerySchema } from '../../../../shared/schemas/accounts';
import { success } from '../../../outcome';
import { socketHandler } from '../../../realtime/handler';
import type { OrganisationsService } from '../organisations/organisations.service';

/** `chamber:organisations`: chamber staff list organisations by verification state (the query may be left out). */
export const chamberOrganisationsHandler = ({ organisations }: { organisations: OrganisationsService }) =>
  socketHandler({
    event: 'chamber:organisations',
    access: 'signed-in',
    payload: 'optional',
    schema: listOrganisationsQuerySchema,
    authorise: (user) =>
      canReviewOrganisations(user.principal)
        ? null
        : commonFailure('FORBIDDEN', 'Only chamber of commerce staff can do this.'),
    handle: async ({ user, payload }) => {
      const listed = await organisations.listForReview(user, payload);
      return listed.ok ? success(listed.value) : listed;
    },
  });
