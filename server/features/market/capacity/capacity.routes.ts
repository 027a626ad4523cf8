import { Router } from 'express';
import { capacityBody, capacityQuery, marketOutlookQuery, outlookQuery } from '../../../../shared/schemas/market';
import { requireAuth, requireVerified } from '../../../http/guards';
import { parse, validate } from '../../../http/validate';
import type { TraderOf } from '../kernel/market.types';
import { reply } from '../kernel/market.http';
import type { CapacityService } from './capacity.service';

export function capacityRoutes({ capacity, trader }: { capacity: CapacityService; trader: TraderOf }): Router {
  const router = Router();

  router.put('/capacity', requireVerified, validate(capacityBody), async (req, res) => {
    reply(res, 200, await capacity.put(await trader(req), req.body), (r) => r.capacity);
  });

  // `?orgId=`: chamber staff read any farm's; anyone else naming another organisation gets 403.
  router.get('/capacity', requireAuth, async (req, res) => {
    const { orgId } = parse(capacityQuery, req.query);
    reply(res, 200, await capacity.get(await trader(req), orgId), (r) => r.capacity);
  });

  router.get('/capacity/outlook', requireAuth, async (req, res) => {
    const { from, days, orgId } = parse(outlookQuery, req.query);
    reply(res, 200, await capacity.outlook(await trader(req), from, days, orgId), (r) => ({ days: r.days }));
  });

  router.get('/capacity/market-outlook', requireAuth, async (req, res) => {
    const { from, days } = parse(marketOutlookQuery, req.query);
    reply(res, 200, await capacity.marketOutlook(await trader(req), from, days), (r) => ({
      days: r.days,
      farms: r.farms,
    }));
  });

  return router;
}
