import { Router } from 'express';
import { canReviewOrganisations } from '../../../../shared/domain/permissions';
import {
  adminAuditQuerySchema,
  adminMembersQuerySchema,
  decisionNoteSchema,
  decisionReasonSchema,
  idParamsSchema,
  listOrganisationsQuerySchema,
  type VerificationAction,
} from '../../../../shared/schemas/accounts';
import { currentUser, requireRole } from '../../../http/guards';
import { unwrap } from '../../../http/failure-status';
import { parse } from '../../../http/validate';
import type { AccountsService } from '../users/accounts.service';
import type { OrganisationsService } from '../organisations/organisations.service';

export interface AdminRoutesDeps {
  organisations: OrganisationsService;
  accounts: AccountsService;
  now: () => Date;
}

/** /api/admin/*: chamber staff (and admins) review organisations and help users. */
export function adminRoutes({ organisations, accounts, now }: AdminRoutesDeps): Router {
  const router = Router();
  const staff = requireRole(canReviewOrganisations, 'Only chamber of commerce staff can do this.');

  router.get('/admin/organisations', staff, async (req, res) => {
    const query = parse(listOrganisationsQuerySchema, req.query);
    res.json(unwrap(await organisations.listForReview(currentUser(req), query)));
  });

  router.get('/admin/organisations/:id', staff, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params);
    res.json({ organisation: unwrap(await organisations.getForReview(currentUser(req), id)) });
  });

  router.get('/admin/organisations/:id/members', staff, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params);
    const page = parse(adminMembersQuerySchema, req.query);
    res.json(unwrap(await organisations.membersForReview(currentUser(req), id, page)));
  });

  router.get('/admin/organisations/:id/audit', staff, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params);
    const page = parse(adminAuditQuerySchema, req.query);
    res.json(unwrap(await organisations.auditFor(currentUser(req), id, page)));
  });

  const decision = (action: VerificationAction) =>
    router.post(`/admin/organisations/:id/${action}`, staff, async (req, res) => {
      const { id } = parse(idParamsSchema, req.params);
      const reason =
        action === 'reject' || action === 'suspend'
          ? parse(decisionReasonSchema, req.body ?? {}).reason
          : parse(decisionNoteSchema, req.body ?? {}).note || undefined;
      res.json({ organisation: unwrap(await organisations.decide(currentUser(req), id, action, reason, now())) });
    });
  decision('verify');
  decision('reject');
  decision('suspend');
  decision('reinstate');

  router.post('/admin/users/:id/reset-password', staff, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params);
    res.json(unwrap(await accounts.resetPassword(currentUser(req), id)));
  });

  return router;
}
