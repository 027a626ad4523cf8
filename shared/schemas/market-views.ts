/**
 * What the market API answers (docs/market.md): the one description of its response shapes.
 * The client's types are inferred from these (client/src/state/market-types.ts), the OpenAPI
 * document's 200/201 responses are generated from them, the server's views are checked against
 * them at compile time (`SerialisesTo`, in each *.views.ts), and tests/api/market-views.test.ts
 * parses real responses with them. They model the wire: instants are ISO strings (the server's
 * Dates as JSON.stringify sends them). Objects are strict, so a field the server starts sending
 * without saying so here fails that test instead of drifting silently.
 */
import { z } from 'zod';
import { LOT_STATUSES } from '../domain/lots';
import { DEMAND_STATUSES } from '../domain/demand';
import { OFFER_STATES } from '../domain/offers';
import { pageOfSchema } from './paging';

const instant = z.iso.datetime({ offset: true });
const calendarDate = z.iso.date();
const grams = z.number().int().nonnegative();
const fen = z.number().int().nonnegative();
const weekday = z.number().int().min(1).max(7);
const storage = z.enum(['cold', 'ambient']);
/** A counterparty's display name (the organisation's name), copied when the record was made; absent on older records. */
const partyName = z.string().optional();

const pickup = z.strictObject({
  name: z.string(),
  address: z.string(),
  lat: z.number().optional(),
  lng: z.number().optional(),
});

export const CLOCK_PHASES = ['scheduled', 'falling', 'at_floor', 'ended'] as const;
export const URGENCIES = ['fresh', 'at_risk', 'urgent', 'critical', 'expired'] as const;
/** The statuses an order can have once people see it (pending/failed belong to the reservation protocol). */
export const VISIBLE_ORDER_STATUSES = [
  'confirmed',
  'dispatched',
  'delivered',
  'completed',
  'cancelled',
  'disputed',
  'proposed',
  'declined',
] as const;
export const STANDING_ORDER_STATUSES = ['proposed', 'active', 'declined', 'cancelled'] as const;
/** Timeline steps: a status the order reached, or an edit of its delivery details. */
const ORDER_TIMELINE_STATUSES = [...VISIBLE_ORDER_STATUSES, 'pending', 'edited'] as const;

/** A clock sale (Dutch auction) on a lot, with its reading at the moment of the response. */
export const lotClockSchema = z.strictObject({
  startPriceFenPerKg: fen,
  floorPriceFenPerKg: fen,
  startsAt: instant,
  floorAt: instant,
  endsAt: instant,
  stepMinutes: z.number().int().positive().optional(),
  minTakeGrams: grams,
  phase: z.enum(CLOCK_PHASES),
  /** null before the start and after the end. */
  priceFenPerKg: fen.nullable(),
  nextChangeAt: instant.optional(),
});

export const lotSchema = z.strictObject({
  id: z.string(),
  sellerOrgId: z.string(),
  sellerName: partyName,
  /** The farm's city and county when the lot was posted ("吉安市新干县"); absent on older lots. */
  region: z.string().optional(),
  productCode: z.string(),
  productNameZh: z.string(),
  productNameEn: z.string(),
  quantityGrams: grams,
  remainingGrams: grams,
  soldGrams: grams,
  spoiledGrams: grams.optional(),
  harvestedAt: instant,
  storage,
  reservePriceFenPerKg: fen,
  askPriceFenPerKg: fen,
  grade: z.string().optional(),
  expiresAt: instant,
  /** Hours until expiry, one decimal; negative once expired. */
  hoursLeft: z.number(),
  urgency: z.enum(URGENCIES),
  status: z.enum(LOT_STATUSES),
  pickup: pickup.optional(),
  delivery: z.strictObject({ radiusKm: z.number(), feeFen: fen }).optional(),
  clock: lotClockSchema.optional(),
  /** The smallest bid or clock take; a take of everything left is always allowed (always sent; optional for old clients' copies). */
  minTakeGrams: grams.optional(),
  /** Up to 4 photos, oldest first; `url` and `thumbUrl` never change for a photo id (cached as immutable). */
  photos: z
    .array(
      z.strictObject({ id: z.string(), url: z.string(), thumbUrl: z.string(), contentType: z.string(), at: instant }),
    )
    .optional(),
  createdAt: instant,
  /** Bumped by every write of the lot: of two views, the higher version is the fresher (clients ignore older events). */
  version: z.number().int().nonnegative(),
  /** Where the lot is picked up (from the lot's pickup or the farm's location when posted); absent when unknown. */
  pickupPoint: z.strictObject({ lat: z.number(), lng: z.number() }).optional(),
  /** Kilometres from the point the listing was sorted by distance from (only with `sort=distance`). */
  distanceKm: z.number().nonnegative().optional(),
});

/** One step of a negotiation, as the offer's history records it. */
export const offerStepSchema = z.strictObject({
  action: z.enum(['make', 'counter', 'accept', 'reject', 'withdraw', 'expire']),
  side: z.enum(['buyer', 'seller', 'system']),
  userId: z.string().optional(),
  viaBroker: z.boolean().optional(),
  at: instant,
  quantityGrams: grams.optional(),
  priceFenPerKg: fen.optional(),
  validUntil: instant.optional(),
  reason: z.string().optional(),
});

/** A restaurant's bid or a farm's sell offer, with whose turn it is and the whole negotiation. */
export const offerSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['bid', 'sell_offer']),
  lotId: z.string(),
  demandId: z.string().optional(),
  buyerOrgId: z.string(),
  sellerOrgId: z.string(),
  buyerName: partyName,
  sellerName: partyName,
  makerSide: z.enum(['buyer', 'seller']),
  status: z.enum(OFFER_STATES),
  turn: z.enum(['buyer', 'seller']),
  quantityGrams: grams,
  priceFenPerKg: fen,
  validUntil: instant,
  acceptedGrams: grams.optional(),
  closedReason: z.string().optional(),
  /** Set once accepted: the order the acceptance produced. */
  orderId: z.string().optional(),
  history: z.array(offerStepSchema),
  createdAt: instant,
  updatedAt: instant,
  /** Bumped by every write of the offer (its conditional save): of two views, the higher version is the fresher. */
  version: z.number().int().nonnegative(),
});

export const orderSchema = z.strictObject({
  id: z.string(),
  lotId: z.string(),
  source: z.enum(['offer', 'clock', 'standing_order']),
  offerId: z.string().optional(),
  buyerOrgId: z.string(),
  sellerOrgId: z.string(),
  buyerName: partyName,
  sellerName: partyName,
  productCode: z.string(),
  quantityGrams: grams,
  priceFenPerKg: fen,
  totalFen: fen,
  status: z.enum(VISIBLE_ORDER_STATUSES),
  createdAt: instant,
  updatedAt: instant,
  /** Bumped by every write of the order: of two views, the higher version is the fresher (clients ignore older events). */
  version: z.number().int().nonnegative(),
  confirmedAt: instant.optional(),
  dispatchedAt: instant.optional(),
  deliveredAt: instant.optional(),
  deliveredGrams: grams.optional(),
  completedAt: instant.optional(),
  cancelReason: z.string().optional(),
  disputeNote: z.string().optional(),
  /** `XL-YYYYMMDD-NNNN`; absent on orders made before numbers. */
  number: z.string().optional(),
  delivery: z.strictObject({ mode: z.enum(['delivery', 'pickup']), address: z.string() }).optional(),
  slot: z.strictObject({ from: instant, to: instant }).optional(),
  /** A chamber broker took a step in the deal. */
  brokered: z.boolean().optional(),
  /** Who moved the order and when. */
  timeline: z
    .array(
      z.strictObject({
        status: z.enum([...ORDER_TIMELINE_STATUSES]),
        at: instant,
        side: z.enum(['buyer', 'seller', 'system']).optional(),
        userId: z.string().optional(),
        viaBroker: z.boolean().optional(),
        note: z.string().optional(),
      }),
    )
    .optional(),
  /** The standing order's occurrence a proposed (or confirmed) order is for; `lotId` is '' until the farm names one. */
  standing: z
    .strictObject({
      standingOrderId: z.string(),
      date: calendarDate,
      baseGrams: grams,
      maxExtraGrams: grams,
      extraPriceFenPerKg: fen,
    })
    .optional(),
  declineReason: z.string().optional(),
  /** GET /orders/:id only, for the two parties and the chamber: both parties' contact phones. */
  contacts: z.strictObject({ buyerPhone: z.string().optional(), sellerPhone: z.string().optional() }).optional(),
});

export const demandSchema = z.strictObject({
  id: z.string(),
  buyerOrgId: z.string(),
  buyerName: partyName,
  createdBy: z.string(),
  productCode: z.string(),
  quantityGrams: grams,
  maxPriceFenPerKg: fen,
  neededBy: instant,
  /** Start of the delivery window deliverFrom..neededBy. */
  deliverFrom: instant.optional(),
  storage: storage.optional(),
  deliveryRequired: z.boolean(),
  deliveryAddress: z.string().optional(),
  note: z.string().optional(),
  /** 'filled': confirmed orders from sell offers on it add up to quantityGrams. */
  status: z.enum(DEMAND_STATUSES),
  /** Grams bought through sell offers on it so far (older demand: absent, i.e. 0). */
  filledGrams: grams.optional(),
  createdAt: instant,
  updatedAt: instant,
});

export const standingOrderSchema = z.strictObject({
  id: z.string(),
  /** Bumped by every step of the standing order: of two views, the higher version is the fresher (absent: made before versions). */
  version: z.number().int().nonnegative().optional(),
  buyerOrgId: z.string(),
  sellerOrgId: z.string().optional(),
  createdBy: z.string(),
  productCode: z.string(),
  gramsPerOccurrence: grams,
  weekdays: z.array(weekday),
  priceFenPerKg: fen,
  startDate: calendarDate,
  endDate: calendarDate.optional(),
  /** Shanghai wall-clock time, HH:MM. */
  deliverBy: z.string(),
  tolerance: z.strictObject({ extraPercent: z.number(), discountPercent: z.number() }).optional(),
  /** 'proposed' waits for the named farm's consent; 'declined' is its refusal. */
  status: z.enum(STANDING_ORDER_STATUSES),
  declineReason: z.string().optional(),
  closedReason: z.string().optional(),
  /** Who ended it (`buyer`: the restaurant, `seller`: the farm) and, for the farm, why. */
  cancelledBy: z.enum(['buyer', 'seller']).optional(),
  cancelReason: z.string().optional(),
  /** Every consent step after creation: who, on which side, when, why. */
  steps: z
    .array(
      z.strictObject({
        status: z.enum(STANDING_ORDER_STATUSES),
        side: z.enum(['buyer', 'seller']),
        userId: z.string(),
        viaBroker: z.boolean().optional(),
        reason: z.string().optional(),
        at: instant,
      }),
    )
    .optional(),
  /** In lists: the parties' names. */
  buyerName: z.string().optional(),
  sellerName: z.string().optional(),
  createdAt: instant,
  updatedAt: instant,
});

/** A verified farm a restaurant may name in a standing order (GET /api/farms). */
export const farmListingSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** "吉安市新干县": city and county. */
  region: z.string(),
});
export const farmListingList = pageOfSchema(farmListingSchema);

/** One dated delivery of a standing order, with how a full supply would fill it. */
export const occurrenceSchema = z.strictObject({
  standingOrderId: z.string(),
  date: calendarDate,
  dueAt: instant,
  baseGrams: grams,
  maxExtraGrams: grams,
  fill: z.strictObject({
    baseGrams: grams,
    extraGrams: grams,
    basePriceFenPerKg: fen,
    extraPriceFenPerKg: fen,
    totalFen: fen,
    shortfallGrams: grams,
  }),
});

export const farmCapacitySchema = z.strictObject({
  orgId: z.string(),
  production: z.array(
    z.strictObject({ productCode: z.string(), dailyGrams: grams, weekdays: z.array(weekday).optional() }),
  ),
  coldStorageGrams: grams,
  dispatchGramsPerDay: grams,
  pickup: pickup.optional(),
  updatedAt: instant,
  updatedBy: z.string(),
});

export const outlookDaySchema = z.strictObject({
  date: calendarDate,
  weekday,
  lines: z.array(
    z.strictObject({
      productCode: z.string(),
      expectedGrams: grams,
      committedGrams: grams,
      /** expected − committed; negative is a shortfall. */
      surplusGrams: z.number().int(),
    }),
  ),
  totalSurplusGrams: grams,
  totalCommittedGrams: grams,
  dispatchOverGrams: grams,
  storableSurplusGrams: grams,
});

/** GET /api/capacity/market-outlook (chamber staff): every farm's outlook summed per day, and each farm's day totals. */
export const marketOutlookSchema = z.strictObject({
  days: z.array(outlookDaySchema),
  farms: z.array(
    z.strictObject({
      orgId: z.string(),
      days: z.array(
        z.strictObject({
          date: calendarDate,
          totalSurplusGrams: grams,
          totalCommittedGrams: grams,
          shortfallGrams: grams,
        }),
      ),
    }),
  ),
});

export const catalogueItemSchema = z.strictObject({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  category: z.enum(['mushroom', 'leafy', 'vegetable', 'fruit', 'grain', 'egg', 'soy', 'meat', 'fish']),
  shelfLifeHours: z.strictObject({ cold: z.number().positive(), ambient: z.number().positive() }),
  quotedPer: z.enum(['jin', 'kg']),
});

const listOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item) });

export const lotList = pageOfSchema(lotSchema);
export const offerList = pageOfSchema(offerSchema);
export const orderList = pageOfSchema(orderSchema);
export const demandList = pageOfSchema(demandSchema);
export const standingOrderList = pageOfSchema(standingOrderSchema);
export const occurrenceList = pageOfSchema(occurrenceSchema);
export const catalogue = listOf(catalogueItemSchema);
export const outlook = z.strictObject({ days: z.array(outlookDaySchema) });
/**
 * POST …/accept: the order the acceptance made, the offer as it now stands, and the lot after the order took
 * its stock (absent only if the lot has gone), so the page need not read it again.
 */
export const acceptResult = z.strictObject({ order: orderSchema, offer: offerSchema, lot: lotSchema.optional() });
/** POST /lots/:id/clock/take: the order and the lot after it (as for accept). */
export const takeResult = z.strictObject({ order: orderSchema, lot: lotSchema.optional() });

/** `data` of a socket `market:update` (shared/schemas/market.ts): the same views as REST, each where it changed. */
export const marketUpdateData = z.strictObject({
  lot: lotSchema.optional(),
  offer: offerSchema.optional(),
  order: orderSchema.optional(),
  standingOrder: standingOrderSchema.optional(),
});

export type LotClock = z.infer<typeof lotClockSchema>;
export type Lot = z.infer<typeof lotSchema>;
export type OfferStep = z.infer<typeof offerStepSchema>;
export type Offer = z.infer<typeof offerSchema>;
export type Order = z.infer<typeof orderSchema>;
export type Demand = z.infer<typeof demandSchema>;
export type StandingOrder = z.infer<typeof standingOrderSchema>;
export type Occurrence = z.infer<typeof occurrenceSchema>;
export type FarmCapacity = z.infer<typeof farmCapacitySchema>;
export type OutlookDay = z.infer<typeof outlookDaySchema>;
export type MarketOutlook = z.infer<typeof marketOutlookSchema>;
export type FarmListing = z.infer<typeof farmListingSchema>;
export type CatalogueItem = z.infer<typeof catalogueItemSchema>;

/** T as JSON.stringify sends it: every Date becomes its ISO string. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/**
 * `true` when a server view type V, serialised, is wire type W: assignable, with no top-level field the
 * schema does not describe and none the schema has that the view lacks; otherwise an object naming
 * the problem. Used as `const _check: SerialisesTo<LotView, Lot> = true;` so a drift fails `tsc`.
 */
export type SerialisesTo<V, W> = [Jsonified<V>] extends [W]
  ? [Exclude<keyof V, keyof W>] extends [never]
    ? [Exclude<keyof W, keyof V>] extends [never]
      ? true
      : { schemaFieldsTheViewLacks: Exclude<keyof W, keyof V> }
    : { viewFieldsNotInSchema: Exclude<keyof V, keyof W> }
  : { notAssignable: Jsonified<V> };
