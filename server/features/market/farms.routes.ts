import { Router } from 'express';
import type { FarmListing } from '../../../shared/schemas/market-views';
import { requireAuth } from '../../http/guards';

/** What a restaurant may know of a farm it could name in a standing order: who and where, nothing more. */
/** Verified farms, by name (app.ts reads them from the organisations repository). */
export type ListVerifiedFarms = () => Promise<FarmListing[]>;

/** GET /api/farms: the verified farms a restaurant can name as the seller of a standing order. */
export function farmsRoutes({ listFarms }: { listFarms: ListVerifiedFarms }): Router {
  const router = Router();
  router.get('/farms', requireAuth, async (_req, res) => {
    res.json({ items: await listFarms() });
  });
  return router;
}
