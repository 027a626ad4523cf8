/**
 * The desk area's front door: the chamber's ledger, visits, problems and matching desk. It reads the market
 * through the market area's index and subscribes to it explicitly here (no forward reference in app.ts).
 */
import type { AreaRegistration } from '../../area';
import type { MarketArea } from '../market';
import { createDeskFeature, type DeskFeatureDeps } from './desk.module';

export type { MarketPort } from './kernel/desk.market';

export function createDeskArea(deps: Omit<DeskFeatureDeps, 'liveMarket'> & { marketArea: MarketArea }) {
  const { marketArea, ...rest } = deps;
  const desk = createDeskFeature({ ...rest, liveMarket: marketArea.market });
  // Brokered orders enter the ledger inside the market's settle step; cancellations void them.
  marketArea.onOrderConfirmed((order) => desk.recordConfirmedOrder(order));
  marketArea.onEvent((event) => desk.onMarketEvent(event));
  return {
    services: desk.services,
    /** The market as the desk reads it (open lots, outlooks, open demand, daily outcomes); the programme reads it too. */
    market: desk.market,
    register(): AreaRegistration {
      return { router: desk.router, socketHandlers: [], ready: desk.ready };
    },
  };
}

export type DeskArea = ReturnType<typeof createDeskArea>;
