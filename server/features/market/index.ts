/**
 * The market area's front door: lots (and their clock sales), offers, orders, demand and capacity, the board's
 * rooms and its socket actions. Other areas and the composition root import only this file.
 *
 * Subscriptions are explicit: `onEvent` hears every market event after it happened (sockets first); and
 * `onOrderConfirmed` is awaited inside the settle step of every confirmed order, so a listener that throws
 * is called again by the sweep — the one path by which a brokered order reaches the desk's ledger.
 */
import { Router, type RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { ListLotsQuery } from '../../../shared/schemas/market';
import type { AreaRegistration } from '../../area';
import type { Logger } from '../../logger';
import type { Publisher } from '../../realtime/hub';
import type { ListVerifiedFarms } from './farms.routes';
import type {
  FindOrganisation,
  IsTrading,
  MarketEvent,
  OrganisationLocation,
  OrganisationName,
  OrganisationRegion,
} from './kernel/market.types';
import { orThrow } from '../../http/failure-status';
import { createMarket } from './market.module';
import type { OrganisationContact } from './orders/order-details';
import { marketPublisher } from './market.publish';
import { joinMarketBoard } from './market.rooms';
import { marketRoutes } from './market.routes';
import { MARKET_SOCKET_HANDLERS } from './market.socket';
import { marketWatchHandler } from './market.watch';
import type { OrderRecord } from './orders/orders.repository';

export { MARKET_BOARD_ROOM, boardPairRoom, boardProductRoom } from './market.rooms';
export type { Market } from './market.module';
export type { MarketEvent } from './kernel/market.types';
export type { LotRecord, LotsRepository } from './lots/lots.repository';
export type { OfferRecord, OffersRepository } from './offers/offers.repository';
export type { OrderRecord, OrdersRepository } from './orders/orders.repository';
export type { DemandRecord } from './demand/demand.repository';

/** What the market needs to know about organisations (the accounts area's directory fits). */
interface MarketDirectory {
  findOrganisation: FindOrganisation;
  isTrading: IsTrading;
  organisationName: OrganisationName;
  organisationRegion: OrganisationRegion;
  organisationLocation?: OrganisationLocation;
  listFarms: ListVerifiedFarms;
  /** Phones and registered addresses (orders: default address, contacts on the detail); absent: none known. */
  organisationContact?: OrganisationContact;
}

export interface MarketAreaDeps {
  connection: Connection;
  publisher: Publisher;
  directory: MarketDirectory;
  now: () => Date;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Serves `GET /lots` ahead of the lots route (issue 11: cached reply bytes with an ETag); it falls through
   * to the route for what it does not cache. Absent: the route answers every listing.
   */
  lotListing?: (list: (query: ListLotsQuery) => Promise<object>) => RequestHandler;
  /** Hours ahead a standing order's occurrence becomes a proposed order (config STANDING_ORDER_LEAD_HOURS). */
  standingOrderLeadHours?: number;
}

export function createMarketArea(deps: MarketAreaDeps) {
  const { connection, publisher, directory, now, logger } = deps;
  const listeners: ((event: MarketEvent) => unknown)[] = [];
  const confirmedListeners: ((order: OrderRecord) => Promise<void>)[] = [];
  const toSockets = marketPublisher(publisher, now, {
    logger,
    // Orders and expiries do not say where their lot is; the board's product and region rooms need it.
    placeOfLot: async (lotId) => {
      const lot = await market.repositories.lots.findById(lotId);
      return lot ? { productCode: lot.productCode, ...(lot.region ? { region: lot.region } : {}) } : null;
    },
  });
  const market = createMarket({
    connection,
    now,
    logger,
    isTrading: directory.isTrading,
    organisationName: directory.organisationName,
    organisationRegion: directory.organisationRegion,
    ...(directory.organisationLocation ? { organisationLocation: directory.organisationLocation } : {}),
    ...(directory.organisationContact ? { organisationContact: directory.organisationContact } : {}),
    ...(deps.standingOrderLeadHours ? { standingOrderLeadHours: deps.standingOrderLeadHours } : {}),
    onOrderConfirmed: async (order) => {
      for (const listener of confirmedListeners) await listener(order);
    },
    publish: (event) => {
      toSockets(event);
      for (const listener of listeners) listener(event);
    },
  });

  return {
    market,
    /** Hear every market event (in-process, after the change; a listener's rejection is its own to log). */
    onEvent(listener: (event: MarketEvent) => unknown): void {
      listeners.push(listener);
    },
    /** Awaited for every confirmed order before its sale counts as settled; must be idempotent per order. */
    onOrderConfirmed(listener: (order: OrderRecord) => Promise<void>): void {
      confirmedListeners.push(listener);
    },
    register(): AreaRegistration {
      const router = Router();
      if (deps.lotListing)
        router.get(
          '/lots',
          deps.lotListing(async (query) => {
            return orThrow(await market.lots.listLots(query)).page;
          }),
        );
      router.use(
        marketRoutes({ market, findOrganisation: directory.findOrganisation, listFarms: directory.listFarms }),
      );
      return {
        router,
        socketHandlers: [
          marketWatchHandler(),
          ...MARKET_SOCKET_HANDLERS.map((handler) => handler({ market, findOrganisation: directory.findOrganisation })),
        ],
        onConnect: [joinMarketBoard],
        ready: market.init(),
      };
    },
  };
}

export type MarketArea = ReturnType<typeof createMarketArea>;
