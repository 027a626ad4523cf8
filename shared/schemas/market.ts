/**
 * Request bodies for the market (lots, bids/offers, demand, standing orders, clock sales,
 * orders, capacity). Shared by the server (validation) and the client (forms, typed fetch).
 * Quantities are integer grams, prices integer fen per kg, instants ISO 8601 with offset.
 * Objects are strict: a misspelt field is an error, not silently ignored.
 */
import { z } from 'zod';
import { PRODUCT_CODES, STORAGES } from '../domain/catalogue';
import { LOT_STATUSES } from '../domain/lots';
import { OFFER_STATES } from '../domain/offers';
import { ORDER_STATUSES } from '../domain/orders';
import { STANDING_ORDER_STATUSES } from '../domain/standing-orders';
import { isCalendarDate } from '../domain/calendar';
import { cursorText, decodedCursor, pageLimit } from './paging';

/** The orders the board lists lots in (keyset paging: each key is fixed once the lot is posted). */
export const LOT_SORTS = ['expiry', 'price', 'distance'] as const;
export type LotSort = (typeof LOT_SORTS)[number];
/** The orders an order list can be read in (creation time and agreed price never change; the total may, on delivery). */
export const ORDER_SORTS = ['newest', 'oldest', 'price'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

/** 1 000 t: far above any one lot, far below where integer maths could go wrong. */
const MAX_GRAMS = 1_000_000_000;
/** ¥100 000 per kg. */
const MAX_FEN_PER_KG = 10_000_000;

/** The limits the schemas put on any weight and price, for clients that check before sending. */
export const MARKET_LIMITS = { maxGrams: MAX_GRAMS, maxFenPerKg: MAX_FEN_PER_KG } as const;

export const grams = z
  .number({ error: 'must be a number of grams' })
  .int('must be whole grams')
  .positive('must be above 0')
  .max(MAX_GRAMS, 'must be at most 1,000,000,000 g (1 000 t)');
export const fenPerKg = z
  .number({ error: 'must be a number of fen per kg' })
  .int('must be whole fen')
  .positive('must be above 0')
  .max(MAX_FEN_PER_KG, 'must be at most 10,000,000 fen per kg (¥100 000/kg)');
export const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-26T08:00:00+08:00' })
  .transform((s) => new Date(s));
export const calendarDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
export const productCode = z.enum(PRODUCT_CODES, { error: 'is not a product in the catalogue' });
export const storage = z.enum(STORAGES, { error: 'must be "cold" or "ambient"' });
export const weekday = z.number().int().min(1, 'ISO weekday 1 (Mon)–7 (Sun)').max(7, 'ISO weekday 1 (Mon)–7 (Sun)');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
/** A farm's city and county as lots carry it, e.g. "吉安市新干县". */
export const regionName = z
  .string({ error: 'must be a city and county, e.g. 吉安市新干县' })
  .trim()
  .min(1, 'must not be empty')
  .max(40);

export const pickupSchema = z.strictObject({
  name: text(100),
  address: text(300),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});

export const deliverySchema = z.strictObject({
  radiusKm: z.number().positive().max(500),
  feeFen: z.number().int().min(0).max(1_000_000),
});

export const createLotBody = z.strictObject({
  productCode,
  quantityGrams: grams,
  harvestedAt: instant,
  storage,
  reservePriceFenPerKg: fenPerKg,
  askPriceFenPerKg: fenPerKg,
  grade: text(32).optional(),
  expiresAt: instant.optional(),
  pickup: pickupSchema.optional(),
  delivery: deliverySchema.optional(),
  /** The smallest bid or clock take (grams); default per product (shared/domain/lots.ts defaultMinTakeGrams). */
  minTakeGrams: grams.max(1_000_000, 'must be at most 1,000,000 g (1 t)').optional(),
});
export type CreateLotBody = z.infer<typeof createLotBody>;

export const listLotsQuery = z
  .strictObject({
    productCode: productCode.optional(),
    status: z.enum(LOT_STATUSES).optional(),
    sellerOrgId: text(64).optional(),
    /** The selling farm's city and county, exactly as lots carry it ("吉安市新干县"). */
    region: regionName.optional(),
    atRisk: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    /** Text search over product names, farm, grade and pickup place ($text; Chinese by character bigrams). */
    q: z.string().trim().min(1, 'must not be empty').max(60, 'at most 60 characters').optional(),
    /** expiry (soonest first, the default), price (cheapest ask first), distance (nearest pickup first). */
    sort: z.enum(LOT_SORTS, { error: 'must be expiry, price or distance' }).default('expiry'),
    /** The point distances are measured from; without it `sort=distance` uses the caller's organisation location. */
    lat: z.coerce
      .number({ error: 'must be a latitude' })
      .min(-90, 'must be from -90 to 90')
      .max(90, 'must be from -90 to 90')
      .optional(),
    lng: z.coerce
      .number({ error: 'must be a longitude' })
      .min(-180, 'must be from -180 to 180')
      .max(180, 'must be from -180 to 180')
      .optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    if ((query.lat === undefined) !== (query.lng === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [query.lat === undefined ? 'lat' : 'lng'],
        message: 'lat and lng go together',
      });
    // By price the cursor also carries when the walk began (lots repriced since keep their place).
    const after = decodedCursor(cursor, { sort: query.sort, keys: query.sort === 'price' ? 2 : 1 }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
export type ListLotsQuery = z.output<typeof listLotsQuery>;

/** PATCH /api/lots/:id: the farm edits an open lot. `quantityGrams` is the new total and may only go down. */
export const editLotBody = z.strictObject({
  askPriceFenPerKg: fenPerKg.optional(),
  reservePriceFenPerKg: fenPerKg.optional(),
  quantityGrams: grams.optional(),
  minTakeGrams: grams.max(1_000_000, 'must be at most 1,000,000 g (1 t)').optional(),
});
export type EditLotBody = z.infer<typeof editLotBody>;

/** Lot photos: how many a lot may show, and the largest upload (bytes) of a photo and of its thumbnail. */
export const LOT_PHOTO_LIMITS = { perLot: 4, photoBytes: 1_500_000, thumbBytes: 150_000 } as const;
/** The image types a lot photo may be (checked by the file's first bytes, not only its Content-Type). */
export const LOT_PHOTO_TYPES = ['image/jpeg', 'image/webp', 'image/png'] as const;

export const createBidBody = z.strictObject({
  quantityGrams: grams,
  priceFenPerKg: fenPerKg,
  validUntil: instant.optional(),
});
export type CreateBidBody = z.infer<typeof createBidBody>;

/** A farm offering (part of) a lot to a restaurant's demand. */
export const createSellOfferBody = z.strictObject({
  lotId: text(64),
  quantityGrams: grams,
  priceFenPerKg: fenPerKg,
  validUntil: instant.optional(),
});
export type CreateSellOfferBody = z.infer<typeof createSellOfferBody>;

export const acceptOfferBody = z.strictObject({ quantityGrams: grams.optional() });
export type AcceptOfferBody = z.infer<typeof acceptOfferBody>;

/** Sent as the `Idempotency-Key` header on accepts and takes; a retry with the same key is a no-op. */
export const idempotencyKey = z
  .string()
  .min(8, 'Idempotency-Key: at least 8 characters')
  .max(128)
  .regex(/^[\w.:-]+$/, 'Idempotency-Key: letters, digits and ._:- only');

export const counterOfferBody = z
  .strictObject({ quantityGrams: grams.optional(), priceFenPerKg: fenPerKg.optional(), validUntil: instant.optional() })
  .refine((b) => b.quantityGrams !== undefined || b.priceFenPerKg !== undefined || b.validUntil !== undefined, {
    message: 'a counter changes at least one of quantityGrams, priceFenPerKg, validUntil',
  });
export type CounterOfferBody = z.infer<typeof counterOfferBody>;

export const rejectOfferBody = z.strictObject({ reason: text(500) });
export const withdrawBody = z.strictObject({});

/** GET /api/offers: the caller's offers (the chamber's: all), newest made first, a page at a time. */
export const listOffersQuery = z
  .strictObject({
    lotId: text(64).optional(),
    status: z.enum(OFFER_STATES).optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: 'offers-newest', keys: 1 }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });

export const createDemandBody = z.strictObject({
  productCode,
  quantityGrams: grams,
  maxPriceFenPerKg: fenPerKg,
  /** The latest delivery; with `deliverFrom` the delivery window. */
  neededBy: instant,
  /** The earliest delivery (must be before neededBy: 422 WINDOW_ENDS_BEFORE_START naming deliverFrom). */
  deliverFrom: instant.optional(),
  storage: storage.optional(),
  deliveryRequired: z.boolean().default(false),
  /** Where the farm delivers; required when deliveryRequired is true (422 DELIVERY_ADDRESS_REQUIRED). */
  deliveryAddress: text(200).optional(),
  /** Free text for the farm; the window and address have their own fields. */
  note: text(500).optional(),
});
export type CreateDemandBody = z.infer<typeof createDemandBody>;

export const toleranceSchema = z.strictObject({
  extraPercent: z.number().min(0).max(100),
  discountPercent: z.number().min(0).max(90),
});

export const createStandingOrderBody = z.strictObject({
  productCode,
  gramsPerOccurrence: grams,
  weekdays: z
    .array(weekday)
    .min(1, 'choose at least one weekday')
    .max(7)
    .refine((d) => new Set(d).size === d.length, 'weekdays repeat'),
  priceFenPerKg: fenPerKg,
  startDate: calendarDate,
  endDate: calendarDate.optional(),
  deliverBy: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (Shanghai time)')
    .default('10:00'),
  tolerance: toleranceSchema.optional(),
  sellerOrgId: text(64).optional(),
});
export type CreateStandingOrderBody = z.infer<typeof createStandingOrderBody>;

/** The named farm agrees to a proposed standing order. */
export const acceptStandingOrderBody = z.strictObject({});
/** The named farm turns a proposal down: the restaurant reads why. */
export const declineStandingOrderBody = z.strictObject({ reason: text(500) });
export type DeclineStandingOrderBody = z.infer<typeof declineStandingOrderBody>;
/** The restaurant may give a reason; the farm ending an agreed standing order must. */
export const cancelStandingOrderBody = z.strictObject({ reason: text(500).optional() });
export type CancelStandingOrderBody = z.infer<typeof cancelStandingOrderBody>;
/** An organisation's id (24 hex), e.g. the farm chamber staff read a plan of. */
export const organisationIdParam = z.string().regex(/^[0-9a-f]{24}$/, 'must be an organisation id (24 hex digits)');
/** `orgId`: chamber staff read one organisation's (a trader may only name its own). */
/** GET /api/standing-orders: newest placed first (creation time never changes), a page at a time. */
export const listStandingOrdersQuery = z
  .strictObject({
    status: z.enum(STANDING_ORDER_STATUSES).optional(),
    orgId: organisationIdParam.optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: 'standing-newest', keys: 1 }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });

/** GET /api/farms: verified farms, in the order they joined (creation time, then id), a page at a time. */
export const listFarmsQuery = z
  .strictObject({ limit: pageLimit, cursor: cursorText.optional() })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: 'farms-oldest', keys: 1, idPattern: /^[0-9a-f]{24}$/ }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });

export const clockSetupBody = z.strictObject({
  startPriceFenPerKg: fenPerKg,
  floorPriceFenPerKg: fenPerKg.optional(),
  floorHoursBeforeExpiry: z
    .number()
    .min(0)
    .max(24 * 365),
  stepMinutes: z
    .number()
    .int()
    .positive()
    .max(24 * 60)
    .optional(),
  startsAt: instant.optional(),
  minTakeGrams: grams.optional(),
});
export type ClockSetupBody = z.infer<typeof clockSetupBody>;

export const clockTakeBody = z.strictObject({
  quantityGrams: grams,
  maxPriceFenPerKg: fenPerKg.optional(),
});
export type ClockTakeBody = z.infer<typeof clockTakeBody>;

export const listOrdersQuery = z
  .strictObject({
    status: z.enum(ORDER_STATUSES).optional(),
    lotId: text(64).optional(),
    /** Product (Chinese or English name) or the other party's name. */
    q: z.string().trim().min(1, 'must not be empty').max(60, 'at most 60 characters').optional(),
    /** newest (the default), oldest, or price (highest agreed price per kg first). */
    sort: z.enum(ORDER_SORTS, { error: 'must be newest, oldest or price' }).default('newest'),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    // By price the cursor also carries when the walk began (lots repriced since keep their place).
    const after = decodedCursor(cursor, { sort: query.sort, keys: query.sort === 'price' ? 2 : 1 }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
export type ListOrdersQuery = z.output<typeof listOrdersQuery>;

export const dispatchOrderBody = z.strictObject({});
export const deliverOrderBody = z.strictObject({
  deliveredGrams: z.number().int('must be whole grams').min(0).max(MAX_GRAMS),
});
export const completeOrderBody = z.strictObject({});
export const cancelOrderBody = z.strictObject({ reason: text(500) });
export const disputeOrderBody = z.strictObject({ note: text(2000) });
/** POST /orders/:id/delivery: either party, until dispatch. */
export const editOrderDeliveryBody = z.strictObject({
  mode: z.enum(['delivery', 'pickup']).optional(),
  address: text(200).optional(),
  slot: z.strictObject({ from: instant, to: instant }).optional(),
});
/** POST /orders/:id/confirm-proposal: the farm fills a standing order's proposed order from one of its lots. */
export const confirmProposalBody = z.strictObject({ lotId: text(64), quantityGrams: grams });
/** POST /orders/:id/decline: the farm turns a proposed order down. */
export const declineOrderBody = z.strictObject({ reason: text(500) });

export const capacityBody = z.strictObject({
  production: z
    .array(z.strictObject({ productCode, dailyGrams: grams, weekdays: z.array(weekday).min(1).max(7).optional() }))
    .max(50),
  coldStorageGrams: z.number().int().min(0).max(MAX_GRAMS),
  dispatchGramsPerDay: z.number().int().min(0).max(MAX_GRAMS),
  pickup: pickupSchema.optional(),
});
export type CapacityBody = z.infer<typeof capacityBody>;

/** `orgId`: the farm chamber staff read (a farm may only name itself). */
export const capacityQuery = z.strictObject({ orgId: organisationIdParam.optional() });
export const outlookQuery = z.strictObject({
  from: calendarDate.optional(),
  days: z.coerce.number().int().min(1).max(28).default(7),
  orgId: organisationIdParam.optional(),
});
/** GET /api/capacity/market-outlook: every farm's outlook summed (chamber staff). */
export const marketOutlookQuery = z.strictObject({
  from: calendarDate.optional(),
  days: z.coerce.number().int().min(1).max(28).default(7),
});

/**
 * What the server pushes on the socket event `market:update`: to the organisations involved and the chamber,
 * and lot-level changes (no buyer, price or order details) to the market board every signed-in user watches.
 */
export const MARKET_EVENT_TYPES = [
  'lot:posted',
  'lot:withdrawn',
  'lot:clock',
  'lot:expired',
  /** Board only: an order was confirmed or cancelled and the lot's stock moved; `data.lot` is the lot now. */
  'lot:updated',
  /** The farm edited the lot (prices, minimum take, total); `data.lot` is the lot now. */
  'lot:edited',
  'offer:made',
  'offer:countered',
  'offer:accepted',
  'offer:rejected',
  'offer:withdrawn',
  'offer:expired',
  'offer:updated',
  'order:confirmed',
  'order:updated',
  /** To the restaurant and the farm: a standing order's occurrence became a proposed order (`data.order`). */
  'order:proposed',
  /** To the restaurant and the named farm: `data.standingOrder` as the REST API shows it. */
  'standing-order:proposed',
  'standing-order:accepted',
  'standing-order:declined',
  'standing-order:cancelled',
] as const;
export type MarketEventType = (typeof MARKET_EVENT_TYPES)[number];

export interface MarketUpdate {
  type: MarketEventType;
  lotId?: string;
  offerId?: string;
  orderId?: string;
  productCode?: string;
  /** The lot's region (its farm's city and county), where the lot has one. */
  region?: string;
  /**
   * What changed, as the REST API shows it (instants as ISO strings), to apply without asking again:
   * `lot` (every lot:* event, and order events that moved the lot's stock), `offer` (offer:*), `order`
   * (order:*), `standingOrder` (standing-order:*). shared/schemas/market-views.ts `marketUpdateData`.
   */
  data: Record<string, unknown>;
  at: string;
}

/**
 * GET /api/demand: open demand still ahead, soonest needed first (`neededBy` never changes), or with
 * mine=true the caller's own, newest posted first; a page at a time. A cursor fits only its own list.
 */
export const listDemandQuery = z
  .strictObject({
    productCode: productCode.optional(),
    /** "true": the caller's own demand, whatever its status. */
    mine: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: query.mine ? 'demand-newest' : 'demand-needed', keys: 1 }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
export type ListDemandQuery = z.output<typeof listDemandQuery>;

/**
 * GET /api/standing-orders/:id/occurrences: the dated occurrences in `from`..`from + days - 1`, a page at a
 * time by date. The cursor holds the last date shown and the window's last day, so later pages keep the
 * window the first page was read with.
 */
export const occurrencesQuery = z
  .strictObject({
    from: calendarDate.optional(),
    days: z.coerce.number().int().min(1).max(92).default(14),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: 'occurrences', keys: 2 }, ctx);
    const dates = after?.keys.every((k) => typeof k === 'string' && isCalendarDate(k));
    if (after && !dates)
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'must be the nextCursor of a previous page' });
    return { ...query, ...(after && dates ? { cursor: after } : {}) };
  });
