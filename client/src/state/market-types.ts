/**
 * The market API's shapes as the client sees them (docs/market.md): inferred from the response schemas
 * the server is checked against (shared/schemas/market-views.ts), so they cannot drift. Instants are ISO strings.
 */
import type { Order } from '../../../shared/schemas/market-views';

export type {
  CatalogueItem,
  Demand,
  FarmCapacity,
  FarmListing,
  Lot,
  LotClock,
  MarketOutlook,
  Offer,
  Order,
  OutlookDay,
  StandingOrder,
} from '../../../shared/schemas/market-views';

export type OrderStatus = Order['status'];
