/** Builds the market's repositories, services and jobs on one database connection. */
import type { Connection } from 'mongoose';
import type { Logger } from '../../logger';
import { createCapacityRepository } from './capacity/capacity.repository';
import { createCapacityService } from './capacity/capacity.service';
import { createDemandRepository } from './demand/demand.repository';
import { createDemandService } from './demand/demand.service';
import { createLotsRepository } from './lots/lots.repository';
import { createLotsService } from './lots/lots.service';
import { createPhotosRepository } from './photos/photos.repository';
import { createPhotosService } from './photos/photos.service';
import { createOffersRepository } from './offers/offers.repository';
import { createOffersService, type OffersServiceDeps } from './offers/offers.service';
import { createOrdersRepository, type OrderRecord } from './orders/orders.repository';
import { createOutcomesRepository } from './outcomes/outcomes.repository';
import { createOutcomesService } from './outcomes/outcomes.service';
import { createOrdersService } from './orders/orders.service';
import { DEFAULT_LEAD_HOURS } from '../../../shared/domain/standing-orders';
import { createStandingFill } from './orders/standing-fill';
import { createOrderDetails, noContacts, type OrganisationContact } from './orders/order-details';
import { newId } from './kernel/market.ids';
import { createMarketJobs } from './market.jobs';
import { backfillLotSearchFields } from './lots/lots.backfill';
import {
  everyoneTrades,
  noLocations,
  publishNothing,
  type Now,
  type IsTrading,
  type OrganisationName,
  type OrganisationLocation,
  type OrganisationRegion,
  type Publish,
} from './kernel/market.types';

export interface MarketModuleDeps {
  connection: Connection;
  now?: Now;
  publish?: Publish;
  logger?: Pick<Logger, 'info' | 'error'>;
  staleAfterMs?: number;
  /** See OffersServiceDeps.onOrderConfirmed. */
  onOrderConfirmed?: OffersServiceDeps['onOrderConfirmed'];
  /** Whether the other side of a new bid, offer, accept or clock take may trade (app.ts: verified); default everyone. */
  isTrading?: IsTrading;
  /** Organisation display names, copied onto new lots, offers and orders (app.ts: the organisations repository). */
  organisationName?: OrganisationName;
  /** Organisation regions (city + county), copied onto new lots (app.ts: from the organisation's address). */
  organisationRegion?: OrganisationRegion;
  /** Organisation locations: a farm's lots' default pickup point, a buyer's distance origin (app.ts: the profile). */
  organisationLocation?: OrganisationLocation;
  /** Organisation phones and addresses: the default delivery/pickup address, and contacts on an order's detail. */
  organisationContact?: OrganisationContact;
  /** Hours ahead a standing order's occurrence becomes a proposed order (default 24). */
  standingOrderLeadHours?: number;
}

export function createMarket(deps: MarketModuleDeps) {
  const now = deps.now ?? (() => new Date());
  const publish = deps.publish ?? publishNothing;
  const lots = createLotsRepository(deps.connection);
  const offers = createOffersRepository(deps.connection);
  const demand = createDemandRepository(deps.connection);
  const contact = deps.organisationContact ?? noContacts;
  const rawOrders = createOrdersRepository(deps.connection);
  // Every confirmation (accept, take, the sweep's recovery) writes the number, address, slot and mark with it.
  const orderDetails = createOrderDetails({
    orders: rawOrders,
    lots,
    offers,
    findDemand: (id) => demand.findDemand(id),
    contact,
  });
  const orders = orderDetails.withDetails(rawOrders);
  const capacity = createCapacityRepository(deps.connection);
  const isTrading = deps.isTrading ?? everyoneTrades;
  const { organisationName } = deps;
  const lotsService = createLotsService({
    lots,
    orders,
    now,
    newId,
    publish,
    isTrading,
    organisationName,
    organisationRegion: deps.organisationRegion,
    organisationLocation: deps.organisationLocation,
  });
  // A confirmed order from a sell offer on a demand counts towards it before anyone else hears of it;
  // both must be idempotent per order (the hook is retried by the sweep until it succeeds).
  const onOrderConfirmed: OffersServiceDeps['onOrderConfirmed'] = async (order, offer) => {
    if (offer.demandId) await demandService.recordFill(offer.demandId, order);
    await deps.onOrderConfirmed?.(order, offer);
  };
  const offersService = createOffersService({
    lots,
    offers,
    orders,
    now,
    newId,
    publish,
    isTrading,
    organisationName,
    logger: deps.logger,
    onOrderConfirmed,
  });
  // A cancelled order from a sell offer on a demand gives its grams back (idempotent per order; the sweep
  // repairs a missed one). The order names its offer, the offer its demand.
  const onOrderCancelled = async (order: OrderRecord) => {
    const offer = order.source === 'offer' && order.offerId ? await offers.findById(order.offerId) : null;
    if (offer?.demandId) await demandService.releaseFill(offer.demandId, order);
  };
  const ordersService = createOrdersService({
    lots,
    orders,
    now,
    publish,
    logger: deps.logger,
    onOrderCancelled,
    contact,
  });
  const standingFill = createStandingFill({
    lots,
    orders,
    listActiveStanding: (limit) => demand.listAllStandingOrders({ statuses: ['active'], limit }),
    now,
    publish,
    leadHours: deps.standingOrderLeadHours ?? DEFAULT_LEAD_HOURS,
    ...(deps.organisationName ? { organisationName: deps.organisationName } : {}),
    contact,
  });
  const demandService = createDemandService({
    demand,
    lots,
    offersService,
    offers,
    orders,
    now,
    newId,
    isTrading,
    publish,
    ...(deps.organisationName ? { organisationName: deps.organisationName } : {}),
  });
  const photosService = createPhotosService({
    lots,
    photos: createPhotosRepository(deps.connection),
    now,
    newId,
    publish,
  });
  const capacityService = createCapacityService({ capacity, orders, demand, now });
  const jobs = createMarketJobs({
    lots,
    orders,
    offersService,
    ordersService,
    demandService,
    now,
    publish,
    logger: deps.logger,
    staleAfterMs: deps.staleAfterMs,
    standingFill,
    sweepPhotos: () => photosService.sweepExpired(),
  });
  return {
    repositories: { lots, offers, orders, demand, capacity },
    lots: lotsService,
    offers: offersService,
    orders: ordersService,
    standingFill,
    demand: demandService,
    capacity: capacityService,
    photos: photosService,
    /** What became of keyed actions (POST /api/outcomes, docs/offline.md). */
    outcomes: createOutcomesService({ repository: createOutcomesRepository(deps.connection), now }),
    jobs,
    /** Creates the collections' indexes (idempotent); call once at start-up. */
    async init(): Promise<void> {
      await Promise.all(
        ['Lot', 'Offer', 'Order', 'OrderNumberCounter', 'Demand', 'StandingOrder', 'Capacity'].map((name) =>
          deps.connection.models[name]?.init(),
        ),
      );
      // The photo retention sweep finds files by their lot's expiry.
      await deps.connection.db?.collection('lotPhotos.files').createIndex({ 'metadata.lotExpiresAt': 1 });
      // Lots posted before search and distance sort get their names and pickup point (bounded, idempotent).
      await backfillLotSearchFields({
        lots,
        organisationLocation: deps.organisationLocation ?? noLocations,
        ...(deps.logger ? { logger: deps.logger } : {}),
      });
    },
  };
}

export type Market = ReturnType<typeof createMarket>;
