import { Router } from 'express';
import {
  clockSetupBody,
  clockTakeBody,
  createLotBody,
  editLotBody,
  listLotsQuery,
  withdrawBody,
} from '../../../../shared/schemas/market';
import { requireAuth, requireVerified } from '../../../http/guards';
import { parse, validate } from '../../../http/validate';
import type { TraderOf } from '../kernel/market.types';
import { idempotencyKeyOf, reply } from '../kernel/market.http';
import { tradeView } from '../orders/orders.views';
import type { LotsService } from './lots.service';

export function lotsRoutes({ lots, trader }: { lots: LotsService; trader: TraderOf }): Router {
  const router = Router();

  router.post('/lots', requireVerified, validate(createLotBody), async (req, res) => {
    // With an Idempotency-Key: 201 when this request posted the lot, 200 with the key's lot on a replay.
    const outcome = await lots.createLot(await trader(req), req.body, idempotencyKeyOf(req));
    reply(res, outcome.ok && !outcome.created ? 200 : 201, outcome, (r) => r.lot);
  });

  router.get('/lots', requireAuth, async (req, res) => {
    const query = parse(listLotsQuery, req.query);
    // Only a distance sort without lat/lng needs to know whose organisation it is measured from.
    const caller = query.sort === 'distance' && query.lat === undefined ? await trader(req) : undefined;
    reply(res, 200, await lots.listLots(query, caller), (r) => r.page);
  });

  router.get('/lots/:id', requireAuth, async (req, res) => {
    reply(res, 200, await lots.getLot(String(req.params.id)), (r) => r.lot);
  });

  router.post('/lots/:id/withdraw', requireVerified, async (req, res) => {
    reply(res, 200, await lots.withdrawLot(await trader(req), String(req.params.id)), (r) => r.lot);
  });

  router.patch('/lots/:id', requireVerified, validate(editLotBody), async (req, res) => {
    reply(res, 200, await lots.editLot(await trader(req), String(req.params.id), req.body), (r) => r.lot);
  });

  router.post('/lots/:id/clock/stop', requireVerified, validate(withdrawBody), async (req, res) => {
    reply(res, 200, await lots.stopClock(await trader(req), String(req.params.id)), (r) => r.lot);
  });

  router.post('/lots/:id/clock', requireVerified, validate(clockSetupBody), async (req, res) => {
    reply(res, 200, await lots.startClock(await trader(req), String(req.params.id), req.body), (r) => r.lot);
  });

  router.post('/lots/:id/clock/take', requireVerified, validate(clockTakeBody), async (req, res) => {
    const outcome = await lots.takeFromClock(await trader(req), String(req.params.id), req.body, idempotencyKeyOf(req));
    reply(res, outcome.ok && !outcome.created ? 200 : 201, outcome, tradeView);
  });

  return router;
}
