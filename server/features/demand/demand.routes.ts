import { Router } from 'express';
import { createDemandBody, createSellOfferBody, createStandingOrderBody, listDemandQuery, occurrencesQuery, withdrawBody } from '../../../shared/schemas/market';
import { currentUser, requireAuth, requireVerified } from '../../http/guards';
import { parse, validate } from '../../http/validate';
import { reply } from '../market/market.http';
import { offerView } from '../offers/offers.views';
import type { DemandService } from './demand.service';

export function demandRoutes({ demand }: { demand: DemandService }): Router {
  const router = Router();

  router.post('/demand', requireVerified, validate(createDemandBody), async (req, res) => {
    reply(res, 201, await demand.createDemand(currentUser(req).principal, req.body), (r) => r.demand);
  });

  router.get('/demand', requireAuth, async (req, res) => {
    const { productCode, mine, limit } = parse(listDemandQuery, req.query);
    const items = await demand.listDemand({ limit, ...(productCode ? { productCode } : {}), ...(mine ? { buyerOrgId: currentUser(req).principal.organisationId } : {}) });
    res.json({ items });
  });

  router.post('/demand/:id/withdraw', requireVerified, validate(withdrawBody), async (req, res) => {
    reply(res, 200, await demand.withdrawDemand(currentUser(req).principal, String(req.params.id)), (r) => r.demand);
  });

  router.post('/demand/:id/offers', requireVerified, validate(createSellOfferBody), async (req, res) => {
    reply(res, 201, await demand.offerToDemand(currentUser(req).principal, String(req.params.id), req.body), (r) => offerView(r.offer));
  });

  router.post('/standing-orders', requireVerified, validate(createStandingOrderBody), async (req, res) => {
    reply(res, 201, await demand.createStandingOrder(currentUser(req).principal, req.body), (r) => r.standingOrder);
  });

  router.get('/standing-orders', requireAuth, async (req, res) => {
    res.json({ items: await demand.listStandingOrders(currentUser(req).principal) });
  });

  router.get('/standing-orders/:id/occurrences', requireAuth, async (req, res) => {
    const { from, days } = parse(occurrencesQuery, req.query);
    reply(res, 200, await demand.occurrences(currentUser(req).principal, String(req.params.id), from, days), (r) => ({ items: r.items }));
  });

  router.post('/standing-orders/:id/cancel', requireVerified, validate(withdrawBody), async (req, res) => {
    reply(res, 200, await demand.cancelStandingOrder(currentUser(req).principal, String(req.params.id)), (r) => r.standingOrder);
  });

  return router;
}
