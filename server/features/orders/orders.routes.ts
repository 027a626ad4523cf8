import { Router } from 'express';
import { cancelOrderBody, completeOrderBody, deliverOrderBody, dispatchOrderBody, disputeOrderBody, listOrdersQuery } from '../../../shared/schemas/market';
import { currentUser, requireAuth, requireVerified } from '../../http/guards';
import { parse, validate } from '../../http/validate';
import { reply } from '../market/market.http';
import type { OrdersService } from './orders.service';
import { orderView } from './orders.views';

export function ordersRoutes({ orders }: { orders: OrdersService }): Router {
  const router = Router();

  router.get('/orders', requireAuth, async (req, res) => {
    const items = await orders.list(currentUser(req).principal, parse(listOrdersQuery, req.query));
    res.json({ items: items.map(orderView) });
  });

  router.get('/orders/:id', requireAuth, async (req, res) => {
    reply(res, 200, await orders.get(currentUser(req).principal, String(req.params.id)), (r) => orderView(r.order));
  });

  const id = (req: { params: Record<string, string | string[] | undefined> }) => String(req.params.id);

  router.post('/orders/:id/dispatch', requireVerified, validate(dispatchOrderBody), async (req, res) => {
    reply(res, 200, await orders.dispatch(currentUser(req).principal, id(req)), (r) => orderView(r.order));
  });
  router.post('/orders/:id/deliver', requireVerified, validate(deliverOrderBody), async (req, res) => {
    reply(res, 200, await orders.deliver(currentUser(req).principal, id(req), req.body.deliveredGrams), (r) => orderView(r.order));
  });
  router.post('/orders/:id/complete', requireVerified, validate(completeOrderBody), async (req, res) => {
    reply(res, 200, await orders.complete(currentUser(req).principal, id(req)), (r) => orderView(r.order));
  });
  router.post('/orders/:id/cancel', requireVerified, validate(cancelOrderBody), async (req, res) => {
    reply(res, 200, await orders.cancel(currentUser(req).principal, id(req), req.body.reason), (r) => orderView(r.order));
  });
  router.post('/orders/:id/dispute', requireVerified, validate(disputeOrderBody), async (req, res) => {
    reply(res, 200, await orders.dispute(currentUser(req).principal, id(req), req.body.note), (r) => orderView(r.order));
  });

  return router;
}
