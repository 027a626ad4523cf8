/**
 * The market API's shapes as the client sees them (docs/market.md): inferred from the response schemas
 * the server is checked against (shared/schemas/market-views.ts), so they cannot drift. Instants are ISO strings.
 */
import type { z } from 'zod';
import type {
  catalogueItemSchema,
  demandSchema,
  farmCapacitySchema,
  lotClockSchema,
  lotSchema,
  occurrenceSchema,
  offerSchema,
  offerStepSchema,
  orderSchema,
  outlookDaySchema,
  standingOrderSchema,
} from '../../../shared/schemas/market-views';

export type Lot = z.infer<typeof lotSchema>;
export type LotStatus = Lot['status'];
export type LotClock = z.infer<typeof lotClockSchema>;
export type ClockPhase = LotClock['phase'];

export type Offer = z.infer<typeof offerSchema>;
export type OfferStatus = Offer['status'];
export type OfferStep = z.infer<typeof offerStepSchema>;

export type Order = z.infer<typeof orderSchema>;
export type OrderStatus = Order['status'];

export type CatalogueItem = z.infer<typeof catalogueItemSchema>;
export type FarmCapacity = z.infer<typeof farmCapacitySchema>;
export type OutlookDay = z.infer<typeof outlookDaySchema>;
export type StandingOrder = z.infer<typeof standingOrderSchema>;
export type Occurrence = z.infer<typeof occurrenceSchema>;
export type Demand = z.infer<typeof demandSchema>;
