import { Router } from 'express';
import {
  cancelOrderBody,
  completeOrderBody,
  confirmProposalBody,
  declineOrderBody,
  editOrderDeliveryBody,
  deliverOrderBody,
  dispatchOrderBody,
  disputeOrderBody,
  listOrdersQuery,
} from '../../../../shared/schemas/market';
import { requireAuth, requireVerified } from '../../../http/guards';
import { parse, validate } from '../../../http/validate';
import type { TraderOf } from '../kernel/market.types';
import { idempotencyKeyOf, reply } from '../kernel/market.http';
import type { OrdersService } from './orders.service';
import { orderDetailView, orderView } from './orders.views';
import type { StandingFill } from './standing-fill';

export function ordersRoutes({
  orders,
  standingFill,
  trader,
}: {
  orders: OrdersService;
  standingFill: StandingFill;
  trader: TraderOf;
}): Router {
  const router = Router();

  router.get('/orders', requireAuth, async (req, res) => {
    const page = await orders.page(await trader(req), parse(listOrdersQuery, req.query));
    res.json({ items: page.items.map(orderView), nextCursor: page.nextCursor });
  });

  router.get('/orders/:id', requireAuth, async (req, res) => {
    // The detail carries both parties' phones: the service answers the two parties and the chamber only.
    reply(res, 200, await orders.detail(await trader(req), String(req.params.id)), orderDetailView);
  });

  const id = (req: { params: Record<string, string | string[] | undefined> }) => String(req.params.id);

  router.post('/orders/:id/dispatch', requireVerified, validate(dispatchOrderBody), async (req, res) => {
    reply(res, 200, await orders.dispatch(await trader(req), id(req)), (r) => orderView(r.order));
  });
  router.post('/orders/:id/deliver', requireVerified, validate(deliverOrderBody), async (req, res) => {
    // A receipt confirmed offline is replayed from the phone's outbox with its key: done once (orders.service.ts).
    const key = idempotencyKeyOf(req);
    reply(res, 200, await orders.deliver(await trader(req), id(req), req.body.deliveredGrams, key), (r) =>
      orderView(r.order),
    );
  });
  router.post('/orders/:id/complete', requireVerified, validate(completeOrderBody), async (req, res) => {
    reply(res, 200, await orders.complete(await trader(req), id(req)), (r) => orderView(r.order));
  });
  router.post('/orders/:id/cancel', requireVerified, validate(cancelOrderBody), async (req, res) => {
    reply(res, 200, await orders.cancel(await trader(req), id(req), req.body.reason), (r) => orderView(r.order));
  });
  router.post('/orders/:id/dispute', requireVerified, validate(disputeOrderBody), async (req, res) => {
    reply(res, 200, await orders.dispute(await trader(req), id(req), req.body.note), (r) => orderView(r.order));
  });

  router.post('/orders/:id/delivery', requireVerified, validate(editOrderDeliveryBody), async (req, res) => {
    reply(res, 200, await orders.editDelivery(await trader(req), id(req), req.body), (r) => orderView(r.order));
  });
  router.post('/orders/:id/confirm-proposal', requireVerified, validate(confirmProposalBody), async (req, res) => {
    reply(res, 200, await standingFill.confirm(await trader(req), id(req), req.body), (r) => orderView(r.order));
  });
  router.post('/orders/:id/decline', requireVerified, validate(declineOrderBody), async (req, res) => {
    reply(res, 200, await orders.decline(await trader(req), id(req), req.body.reason), (r) => orderView(r.order));
  });

  return router;
}
