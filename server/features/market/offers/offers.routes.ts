/** Bids and offers. `/api/bids/:id/…` and `/api/offers/:id/…` are the same resource. */
import { Router } from 'express';
import { pageOf } from '../../../../shared/domain/paging';
import {
  acceptOfferBody,
  counterOfferBody,
  createBidBody,
  listOffersQuery,
  rejectOfferBody,
  withdrawBody,
} from '../../../../shared/schemas/market';
import { requireAuth, requireVerified } from '../../../http/guards';
import { parse, validate } from '../../../http/validate';
import type { TraderOf } from '../kernel/market.types';
import { idempotencyKeyOf, reply } from '../kernel/market.http';
import { tradeView } from '../orders/orders.views';
import type { OffersService } from './offers.service';
import { offerView } from './offers.views';

export function offersRoutes({ offers, trader }: { offers: OffersService; trader: TraderOf }): Router {
  const router = Router();

  // With an Idempotency-Key: 201 when this request made the bid, 200 with the key's bid on a replay.
  router.post('/lots/:id/bids', requireVerified, validate(createBidBody), async (req, res) => {
    const outcome = await offers.createBid(await trader(req), String(req.params.id), req.body, idempotencyKeyOf(req));
    reply(res, outcome.ok && !outcome.created ? 200 : 201, outcome, (r) => offerView(r.offer));
  });

  router.get('/offers', requireAuth, async (req, res) => {
    const { lotId, status, limit, cursor } = parse(listOffersQuery, req.query);
    const rows = await offers.listOffers(await trader(req), {
      ...(lotId ? { lotId } : {}),
      ...(status ? { state: status } : {}),
      limit: limit + 1,
      ...(cursor ? { after: cursor } : {}),
    });
    res.json(
      pageOf(rows, limit, (o) => ({ sort: 'offers-newest', keys: [o.createdAt.getTime()], id: o.id }), offerView),
    );
  });

  for (const base of ['/bids', '/offers']) {
    router.get(`${base}/:id`, requireAuth, async (req, res) => {
      reply(res, 200, await offers.getOffer(await trader(req), String(req.params.id)), (r) => offerView(r.offer));
    });

    router.post(`${base}/:id/accept`, requireVerified, validate(acceptOfferBody), async (req, res) => {
      const outcome = await offers.accept(
        await trader(req),
        String(req.params.id),
        req.body.quantityGrams,
        idempotencyKeyOf(req),
      );
      reply(res, 200, outcome, (r) => ({ ...tradeView(r), offer: offerView(r.offer) }));
    });

    router.post(`${base}/:id/counter`, requireVerified, validate(counterOfferBody), async (req, res) => {
      reply(res, 200, await offers.counter(await trader(req), String(req.params.id), req.body), (r) =>
        offerView(r.offer),
      );
    });

    router.post(`${base}/:id/reject`, requireVerified, validate(rejectOfferBody), async (req, res) => {
      reply(res, 200, await offers.reject(await trader(req), String(req.params.id), req.body.reason), (r) =>
        offerView(r.offer),
      );
    });

    router.post(`${base}/:id/withdraw`, requireVerified, validate(withdrawBody), async (req, res) => {
      reply(res, 200, await offers.withdraw(await trader(req), String(req.params.id)), (r) => offerView(r.offer));
    });
  }

  return router;
}
