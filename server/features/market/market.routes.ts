import { Router } from 'express';
import { listProducts } from '../../../shared/domain/catalogue';
import { capacityRoutes } from '../capacity/capacity.routes';
import { demandRoutes } from '../demand/demand.routes';
import { lotsRoutes } from '../lots/lots.routes';
import { offersRoutes } from '../offers/offers.routes';
import { ordersRoutes } from '../orders/orders.routes';
import type { Market } from './market.module';

/** Everything the market serves under /api. */
export function marketRoutes({ market }: { market: Market }): Router {
  const router = Router();
  router.get('/catalogue', (_req, res) => {
    res.json({ items: listProducts() });
  });
  router.use(lotsRoutes({ lots: market.lots }));
  router.use(offersRoutes({ offers: market.offers }));
  router.use(ordersRoutes({ orders: market.orders }));
  router.use(demandRoutes({ demand: market.demand }));
  router.use(capacityRoutes({ capacity: market.capacity }));
  return router;
}
