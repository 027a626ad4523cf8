import { Router } from 'express';
import { canManageMembers } from '../../../../shared/domain/permissions';
import {
  addMemberRequestSchema,
  idParamsSchema,
  listMembersQuery,
  organisationLocationBody,
  updateMemberRequestSchema,
} from '../../../../shared/schemas/accounts';
import { currentUser, requireAuth, requireRole } from '../../../http/guards';
import { unwrap } from '../../../http/failure-status';
import { parse } from '../../../http/validate';
import type { OrganisationsService } from './organisations.service';

/** /api/organisation/*: the signed-in user's own organisation. */
export function organisationRoutes({ organisations }: { organisations: OrganisationsService }): Router {
  const router = Router();
  const managers = requireRole(canManageMembers, 'Only managers can change who belongs to the organisation.');

  router.get('/organisation/members', requireAuth, async (req, res) => {
    const { limit, cursor } = parse(listMembersQuery, req.query);
    res.json(await organisations.pageMembers(currentUser(req), { limit, ...(cursor ? { after: cursor } : {}) }));
  });

  router.post('/organisation/members', managers, async (req, res) => {
    const body = parse(addMemberRequestSchema, req.body);
    res.status(201).json(unwrap(await organisations.addMember(currentUser(req), body)));
  });

  router.patch('/organisation/members/:id', managers, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params);
    const body = parse(updateMemberRequestSchema, req.body);
    res.json({ user: unwrap(await organisations.updateMember(currentUser(req), id, body)) });
  });

  router.delete('/organisation/members/:id', managers, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params);
    unwrap(await organisations.removeMember(currentUser(req), id));
    res.status(204).end();
  });

  router.patch('/organisation/location', managers, async (req, res) => {
    const body = parse(organisationLocationBody, req.body);
    res.json({ organisation: unwrap(await organisations.setLocation(currentUser(req), body)) });
  });

  return router;
}
