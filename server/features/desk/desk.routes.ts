import { Router } from 'express';
import { z } from 'zod';
import {
  atRiskQuery,
  brokeredOffersQuery,
  entityId,
  matchParamsBody,
  sendProposalBody,
} from '../../../shared/schemas/desk';
import { parse } from '../../http/validate';
import { orThrow } from '../../http/failure-status';
import { actingPerson, requireChamber } from './kernel/desk.http';
import type { DeskService } from './desk.service';

const idParams = z.strictObject({ id: entityId });

/** /api/desk: the brokering desk, chamber staff only. */
export function deskRoutes({ desk, now }: { desk: DeskService; now: () => Date }): Router {
  const router = Router();
  router.use('/desk', requireChamber);

  router.get('/desk/at-risk', async (req, res) => {
    res.json(await desk.atRisk(parse(atRiskQuery, req.query), now()));
  });

  router.post('/desk/lots/:id/find-buyers', async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { ok: _ok, ...plan } = orThrow(await desk.findBuyers(id, parse(matchParamsBody, req.body ?? {}), now()));
    res.json(plan);
  });

  router.post('/desk/match-all', async (req, res) => {
    const { ok: _ok, ...plan } = orThrow(await desk.matchAll(parse(matchParamsBody, req.body ?? {}), now()));
    res.json(plan);
  });

  router.get('/desk/brokered-offers', async (req, res) => {
    res.json(await desk.brokeredOffers(parse(brokeredOffersQuery, req.query)));
  });

  router.post('/desk/proposals/send', async (req, res) => {
    const { offerId } = orThrow(await desk.sendProposal(parse(sendProposalBody, req.body), actingPerson(req), now()));
    res.status(201).json({ offerId });
  });

  return router;
}
