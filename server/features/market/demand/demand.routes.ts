import { Router } from 'express';
import {
  acceptStandingOrderBody,
  cancelStandingOrderBody,
  createDemandBody,
  createSellOfferBody,
  createStandingOrderBody,
  declineStandingOrderBody,
  listDemandQuery,
  listStandingOrdersQuery,
  occurrencesQuery,
  withdrawBody,
} from '../../../../shared/schemas/market';
import { requireAuth, requireVerified } from '../../../http/guards';
import { parse, validate } from '../../../http/validate';
import type { TraderOf } from '../kernel/market.types';
import { idempotencyKeyOf, reply } from '../kernel/market.http';
import { offerView } from '../offers/offers.views';
import type { DemandService } from './demand.service';
import { demandView } from './demand.views';

export function demandRoutes({ demand, trader }: { demand: DemandService; trader: TraderOf }): Router {
  const router = Router();

  router.post('/demand', requireVerified, validate(createDemandBody), async (req, res) => {
    reply(res, 201, await demand.createDemand(await trader(req), req.body), (r) => demandView(r.demand));
  });

  router.get('/demand', requireAuth, async (req, res) => {
    const { productCode, mine, limit, cursor } = parse(listDemandQuery, req.query);
    const page = await demand.pageDemand({
      limit,
      ...(cursor ? { after: cursor } : {}),
      ...(productCode ? { productCode } : {}),
      ...(mine ? { buyerOrgId: (await trader(req)).organisationId } : {}),
    });
    res.json({ items: page.items.map(demandView), nextCursor: page.nextCursor });
  });

  router.post('/demand/:id/withdraw', requireVerified, validate(withdrawBody), async (req, res) => {
    reply(res, 200, await demand.withdrawDemand(await trader(req), String(req.params.id)), (r) => demandView(r.demand));
  });

  // With an Idempotency-Key: 201 when this request made the offer, 200 with the key's offer on a replay (offers.service.ts).
  router.post('/demand/:id/offers', requireVerified, validate(createSellOfferBody), async (req, res) => {
    const outcome = await demand.offerToDemand(
      await trader(req),
      String(req.params.id),
      req.body,
      idempotencyKeyOf(req),
    );
    reply(res, outcome.ok && !outcome.created ? 200 : 201, outcome, (r) => offerView(r.offer));
  });

  router.post('/standing-orders', requireVerified, validate(createStandingOrderBody), async (req, res) => {
    reply(res, 201, await demand.createStandingOrder(await trader(req), req.body), (r) => r.standingOrder);
  });

  router.get('/standing-orders', requireAuth, async (req, res) => {
    const { status, orgId, limit, cursor } = parse(listStandingOrdersQuery, req.query);
    const query = {
      limit,
      ...(status ? { status } : {}),
      ...(orgId ? { orgId } : {}),
      ...(cursor ? { after: cursor } : {}),
    };
    reply(res, 200, await demand.listStandingOrders(await trader(req), query), (r) => ({
      items: r.items,
      nextCursor: r.nextCursor,
    }));
  });

  router.get('/standing-orders/:id/occurrences', requireAuth, async (req, res) => {
    const { from, days, limit, cursor } = parse(occurrencesQuery, req.query);
    const query = { days, limit, ...(from ? { from } : {}), ...(cursor ? { after: cursor } : {}) };
    reply(res, 200, await demand.occurrences(await trader(req), String(req.params.id), query), (r) => ({
      items: r.items,
      nextCursor: r.nextCursor,
    }));
  });

  router.post('/standing-orders/:id/accept', requireVerified, validate(acceptStandingOrderBody), async (req, res) => {
    reply(res, 200, await demand.acceptStandingOrder(await trader(req), String(req.params.id)), (r) => r.standingOrder);
  });

  router.post('/standing-orders/:id/decline', requireVerified, validate(declineStandingOrderBody), async (req, res) => {
    const { reason } = req.body as { reason: string };
    reply(
      res,
      200,
      await demand.declineStandingOrder(await trader(req), String(req.params.id), reason),
      (r) => r.standingOrder,
    );
  });

  router.post('/standing-orders/:id/cancel', requireVerified, validate(cancelStandingOrderBody), async (req, res) => {
    const { reason } = req.body as { reason?: string };
    reply(
      res,
      200,
      await demand.cancelStandingOrder(await trader(req), String(req.params.id), reason),
      (r) => r.standingOrder,
    );
  });

  return router;
}
