import { Router } from 'express';
import { listProducts } from '../../../shared/domain/catalogue';
import { capacityRoutes } from './capacity/capacity.routes';
import { demandRoutes } from './demand/demand.routes';
import { farmsRoutes, type ListVerifiedFarms } from './farms.routes';
import { lotsRoutes } from './lots/lots.routes';
import { offersRoutes } from './offers/offers.routes';
import { ordersRoutes } from './orders/orders.routes';
import { photosRoutes } from './photos/photos.routes';
import { outcomesRoutes } from './outcomes/outcomes.routes';
import { traderResolver } from './kernel/market.http';
import type { Market } from './market.module';
import type { FindOrganisation } from './kernel/market.types';

/** Everything the market serves under /api. */
export function marketRoutes({
  market,
  findOrganisation,
  listFarms,
}: {
  market: Market;
  findOrganisation: FindOrganisation;
  listFarms: ListVerifiedFarms;
}): Router {
  const router = Router();
  const trader = traderResolver(findOrganisation);
  router.get('/catalogue', (_req, res) => {
    res.json({ items: listProducts() });
  });
  router.use(lotsRoutes({ lots: market.lots, trader }));
  router.use(photosRoutes({ photos: market.photos, trader }));
  router.use(offersRoutes({ offers: market.offers, trader }));
  router.use(ordersRoutes({ orders: market.orders, standingFill: market.standingFill, trader }));
  router.use(demandRoutes({ demand: market.demand, trader }));
  router.use(capacityRoutes({ capacity: market.capacity, trader }));
  router.use(farmsRoutes({ listFarms }));
  router.use(outcomesRoutes({ outcomes: market.outcomes, trader }));
  return router;
}
