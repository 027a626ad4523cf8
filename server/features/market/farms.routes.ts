import { Router } from 'express';
import type { Page, PageCursor } from '../../../shared/domain/paging';
import { listFarmsQuery } from '../../../shared/schemas/market';
import type { FarmListing } from '../../../shared/schemas/market-views';
import { requireAuth } from '../../http/guards';
import { parse } from '../../http/validate';

/** What a restaurant may know of a farm it could name in a standing order: who and where, nothing more. */
/** Verified farms, a page at a time in the order they joined (app.ts reads them from the organisations repository). */
export type ListVerifiedFarms = (page: { limit: number; after?: PageCursor }) => Promise<Page<FarmListing>>;

/** GET /api/farms: the verified farms a restaurant can name as the seller of a standing order, `{items, nextCursor}`. */
export function farmsRoutes({ listFarms }: { listFarms: ListVerifiedFarms }): Router {
  const router = Router();
  router.get('/farms', requireAuth, async (req, res) => {
    const { limit, cursor } = parse(listFarmsQuery, req.query);
    res.json(await listFarms({ limit, ...(cursor ? { after: cursor } : {}) }));
  });
  return router;
}
