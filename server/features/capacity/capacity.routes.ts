import { Router } from 'express';
import { capacityBody, outlookQuery } from '../../../shared/schemas/market';
import { currentUser, requireAuth, requireVerified } from '../../http/guards';
import { parse, validate } from '../../http/validate';
import { reply } from '../market/market.http';
import type { CapacityService } from './capacity.service';

export function capacityRoutes({ capacity }: { capacity: CapacityService }): Router {
  const router = Router();

  router.put('/capacity', requireVerified, validate(capacityBody), async (req, res) => {
    reply(res, 200, await capacity.put(currentUser(req).principal, req.body), (r) => r.capacity);
  });

  router.get('/capacity', requireAuth, async (req, res) => {
    reply(res, 200, await capacity.get(currentUser(req).principal), (r) => r.capacity);
  });

  router.get('/capacity/outlook', requireAuth, async (req, res) => {
    const { from, days } = parse(outlookQuery, req.query);
    reply(res, 200, await capacity.outlook(currentUser(req).principal, from, days), (r) => ({ days: r.days }));
  });

  return router;
}
