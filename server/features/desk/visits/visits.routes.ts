import { Router } from 'express';
import { createVisitBody, listVisitsQuery } from '../../../../shared/schemas/desk';
import { parse } from '../../../http/validate';
import { orThrow } from '../../../http/failure-status';
import { actingPerson, requireChamber } from '../kernel/desk.http';
import type { VisitsService } from './visits.service';

/** /api/visits: visits to enterprises (走访调研), chamber staff only. */
export function visitRoutes({ visits, now }: { visits: VisitsService; now: () => Date }): Router {
  const router = Router();
  router.use('/visits', requireChamber);

  router.post('/visits', async (req, res) => {
    const { visit, problems } = orThrow(
      await visits.create(parse(createVisitBody, req.body), actingPerson(req), now()),
    );
    res.status(201).json({ visit, problems });
  });

  router.get('/visits', async (req, res) => {
    res.json(await visits.list(parse(listVisitsQuery, req.query), now()));
  });

  return router;
}
