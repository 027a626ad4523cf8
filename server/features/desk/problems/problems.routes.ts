import { Router } from 'express';
import {
  createProblemBody,
  entityId,
  linkProblemOrdersBody,
  listProblemsQuery,
  transitionProblemBody,
  updateProblemBody,
} from '../../../../shared/schemas/desk';
import { z } from 'zod';
import { parse } from '../../../http/validate';
import { orThrow } from '../../../http/failure-status';
import { actingPerson, requireChamber } from '../kernel/desk.http';
import type { ProblemsService } from './problems.service';

const idParams = z.strictObject({ id: entityId });

/** /api/problems: the problem list (问题清单), chamber staff only. */
export function problemRoutes({ problems, now }: { problems: ProblemsService; now: () => Date }): Router {
  const router = Router();
  router.use('/problems', requireChamber);

  router.post('/problems', async (req, res) => {
    const { problem } = orThrow(await problems.create(parse(createProblemBody, req.body), actingPerson(req), now()));
    res.status(201).json({ problem });
  });

  router.get('/problems', async (req, res) => {
    res.json(await problems.list(parse(listProblemsQuery, req.query)));
  });

  router.get('/problems/:id', async (req, res) => {
    const { problem } = orThrow(await problems.get(parse(idParams, req.params).id));
    res.json({ problem });
  });

  router.patch('/problems/:id', async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { problem } = orThrow(await problems.edit(id, parse(updateProblemBody, req.body), actingPerson(req), now()));
    res.json({ problem });
  });

  router.post('/problems/:id/transition', async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { problem } = orThrow(
      await problems.transition(id, parse(transitionProblemBody, req.body), actingPerson(req), now()),
    );
    res.json({ problem });
  });

  router.post('/problems/:id/links', async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { problem } = orThrow(
      await problems.link(id, parse(linkProblemOrdersBody, req.body).orderIds, actingPerson(req), now()),
    );
    res.json({ problem });
  });

  return router;
}
