/** Lots: a farm posts stock, anyone browses, the farm withdraws or runs a clock sale on it. */
import { setupClock, take as takeFromClock, type ClockSale } from '../../../../shared/domain/clock';
import {
  checkLotEdit,
  checkLotTradable,
  checkNewLot,
  checkWithdrawLot,
  minTakeOf,
} from '../../../../shared/domain/lots';
import { newOrder } from '../../../../shared/domain/orders';
import { isBuyerKind } from '../../../../shared/domain/permissions';
import { findProduct } from '../../../../shared/domain/catalogue';
import { pageOf, type Page } from '../../../../shared/domain/paging';
import type {
  ClockSetupBody,
  ClockTakeBody,
  CreateLotBody,
  EditLotBody,
  ListLotsQuery,
  LotSort,
} from '../../../../shared/schemas/market';
import { deterministicId } from '../kernel/market.ids';
import {
  counterpartyNotTrading,
  everyoneTrades,
  forbidden,
  noNames,
  noLocations,
  noRegions,
  notFound,
  partyNames,
  type Now,
  type IsTrading,
  type OrganisationLocation,
  type OrganisationName,
  type OrganisationRegion,
  type MarketEvent,
  type Publish,
  type Trader,
} from '../kernel/market.types';
import { findAttempt, placeOrder } from '../orders/reservation';
import type { OrderRecord, OrdersRepository } from '../orders/orders.repository';
import { orderView } from '../orders/orders.views';
import type { ListedLot, LotRecord, LotsRepository } from './lots.repository';
import { lotView, type LotView } from './lots.views';
import type { Failed, Result } from '../../../outcome';
import { marketFail, refusedBy } from '../kernel/market.failures';

export interface LotsServiceDeps {
  lots: LotsRepository;
  orders: OrdersRepository;
  now: Now;
  newId: () => string;
  publish: Publish;
  /** A suspended (or otherwise unverified) farm's clock stops selling. */
  isTrading?: IsTrading;
  /** Copied onto new lots (the farm) and clock-take orders (the restaurant). */
  organisationName?: OrganisationName;
  /** The farm's city and county, copied onto new lots (the board's region rooms and `?region=`). */
  organisationRegion?: OrganisationRegion;
  /** The organisation's location: a farm's is the pickup point of lots posted without one; a buyer's is where distances are measured from. */
  organisationLocation?: OrganisationLocation;
}

/**
 * The cursor keys of a listed lot. By price: the ask the walk orders by and when the walk began (the first
 * page's read time, carried on), so later pages place lots repriced meanwhile where the walk saw them.
 */
function lotSortKeys(sort: LotSort, lot: ListedLot, walkStartedMs: number): number[] {
  if (sort === 'distance') return [lot.distanceMeters ?? 0];
  if (sort === 'price') return [lot.walkPriceFenPerKg ?? lot.askPriceFenPerKg, walkStartedMs];
  return [lot.expiresAt.getTime()];
}

/** The lot's own pickup coordinates when it names both, else the farm's location. */
function pickupPointOf(
  pickup: CreateLotBody['pickup'],
  farm: { lat: number; lng: number } | undefined,
): { lat: number; lng: number } | undefined {
  if (pickup?.lat !== undefined && pickup.lng !== undefined) return { lat: pickup.lat, lng: pickup.lng };
  return farm;
}

export type LotOutcome = { ok: true; lot: LotView } | Failed;

/** Lots go "at risk" from here on for the ?atRisk=true listing. */
const AT_RISK_MS = 48 * 60 * 60 * 1000;

export function createLotsService(deps: LotsServiceDeps) {
  const { lots, publish } = deps;
  const organisationName = deps.organisationName ?? noNames;
  const organisationRegion = deps.organisationRegion ?? noRegions;
  const organisationLocation = deps.organisationLocation ?? noLocations;

  async function ownLot(trader: Trader, lotId: string): Promise<{ ok: true; lot: LotRecord } | Failed> {
    const lot = await lots.findById(lotId);
    if (!lot) return notFound('Lot');
    if (lot.sellerOrgId !== trader.organisationId) return forbidden('Only the farm that posted this lot may do that');
    return { ok: true, lot };
  }

  /** Tells the board and the lot's watchers what changed, carrying the lot's view; returns that view. */
  function announce(type: MarketEvent['type'], lot: LotRecord, now: Date): LotView {
    const view = lotView(lot, now);
    publish({
      type,
      lotId: lot.id,
      sellerOrgId: lot.sellerOrgId,
      productCode: lot.productCode,
      ...(lot.region ? { region: lot.region } : {}),
      data: { lot: view },
    });
    return view;
  }

  return {
    /** With an Idempotency-Key the lot is posted at most once per farm and key; a replay answers the key's lot (`created: false`). */
    async createLot(
      trader: Trader,
      body: CreateLotBody,
      idempotencyKey?: string,
    ): Promise<{ ok: true; created: boolean; lot: LotView } | Failed> {
      if (trader.kind !== 'farm') return forbidden('Only farms post lots');
      const now = deps.now();
      if (idempotencyKey) {
        const replay = await lots.findByKey(trader.organisationId, idempotencyKey);
        if (replay) return { ok: true, created: false, lot: lotView(replay, now) };
      }
      const checked = checkNewLot(body, now);
      if (!checked.ok) return refusedBy(checked);
      const [sellerName, region, farmLocation] = await Promise.all([
        organisationName(trader.organisationId),
        organisationRegion(trader.organisationId),
        organisationLocation(trader.organisationId),
      ]);
      const point = pickupPointOf(body.pickup, farmLocation);
      const product = findProduct(body.productCode);
      const record = {
        id: deps.newId(),
        sellerOrgId: trader.organisationId,
        ...(sellerName ? { sellerName } : {}),
        ...(region ? { region } : {}),
        createdBy: trader.userId,
        productCode: body.productCode,
        quantityGrams: body.quantityGrams,
        remainingGrams: checked.lot.remainingGrams,
        harvestedAt: body.harvestedAt,
        storage: body.storage,
        reservePriceFenPerKg: body.reservePriceFenPerKg,
        askPriceFenPerKg: body.askPriceFenPerKg,
        ...(body.grade ? { grade: body.grade } : {}),
        expiresAt: checked.lot.expiresAt,
        minTakeGrams: checked.lot.minTakeGrams,
        ...(body.pickup ? { pickup: body.pickup } : {}),
        ...(body.delivery ? { delivery: body.delivery } : {}),
        status: 'open' as const,
        ...(point
          ? { pickupPoint: { type: 'Point' as const, coordinates: [point.lng, point.lat] as [number, number] } }
          : {}),
        ...(product ? { productNames: [product.nameZh, product.nameEn] } : {}),
      };
      const keyed = idempotencyKey ? await lots.insertKeyed({ ...record, idempotencyKey }) : null;
      if (keyed && !keyed.inserted) return { ok: true, created: false, lot: lotView(keyed.lot, now) };
      const lot = keyed ? keyed.lot : await lots.insert(record);
      const view = announce('lot:posted', lot, now);
      return { ok: true, created: true, lot: view };
    },

    /**
     * One page of the board (keyset paging, shared/domain/paging.ts). `sort=distance` measures from `lat`/`lng`,
     * else from the caller's organisation location; with neither it is a 400 naming `lat`.
     */
    async listLots(query: ListLotsQuery, caller?: Trader): Promise<Result<{ page: Page<LotView> }>> {
      const now = deps.now();
      let near = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined;
      if (query.sort === 'distance' && !near) {
        near = caller ? await organisationLocation(caller.organisationId) : undefined;
        if (!near)
          return marketFail('VALIDATION', 'To sort by distance, send lat and lng or set your organisation’s location', {
            field: 'lat',
          });
      }
      // "open" means tradable now: a lot past its expiry that the sweep has not reached yet is left out.
      const rows = await lots.list({
        limit: query.limit + 1,
        sort: query.sort,
        ...(near ? { near } : {}),
        ...(query.cursor ? { after: query.cursor } : {}),
        ...(query.q ? { text: query.q } : {}),
        ...(query.productCode ? { productCode: query.productCode } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.sellerOrgId ? { sellerOrgId: query.sellerOrgId } : {}),
        ...(query.region ? { region: query.region } : {}),
        ...(query.status === 'open' || query.atRisk ? { expiresAfter: now } : {}),
        ...(query.atRisk ? { expiresBefore: new Date(now.getTime() + AT_RISK_MS) } : {}),
      });
      const page = pageOf(
        rows,
        query.limit,
        (lot) => ({
          sort: query.sort,
          keys: lotSortKeys(
            query.sort,
            lot,
            query.cursor?.keys[1] !== undefined ? Number(query.cursor.keys[1]) : now.getTime(),
          ),
          id: lot.id,
        }),
        (lot) => ({
          ...lotView(lot, now),
          ...(lot.distanceMeters !== undefined ? { distanceKm: Math.round(lot.distanceMeters / 100) / 10 } : {}),
        }),
      );
      return { ok: true, page };
    },

    async getLot(lotId: string): Promise<LotOutcome> {
      const lot = await lots.findById(lotId);
      return lot ? { ok: true, lot: lotView(lot, deps.now()) } : notFound('Lot');
    },

    async withdrawLot(trader: Trader, lotId: string): Promise<LotOutcome> {
      const own = await ownLot(trader, lotId);
      if (!own.ok) return own;
      const allowed = checkWithdrawLot(own.lot);
      if (!allowed.ok) return refusedBy(allowed);
      const now = deps.now();
      const lot = await lots.withdraw(lotId, now);
      if (!lot) return marketFail('LOT_NOT_OPEN', 'The lot is no longer open');
      const view = announce('lot:withdrawn', lot, now);
      return { ok: true, lot: view };
    },

    /**
     * The farm edits an open lot: ask and reserve prices, the minimum take, and the total (down only,
     * never below what is sold or reserved). Checked against the lot as read and written only if its stock
     * is still that (one conditional update); a take in between makes us read and check again.
     */
    async editLot(trader: Trader, lotId: string, body: EditLotBody): Promise<LotOutcome> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const own = await ownLot(trader, lotId);
        if (!own.ok) return own;
        const now = deps.now();
        const read = own.lot;
        const checked = checkLotEdit(
          { ...read, ...(read.clock ? { clockFloorFenPerKg: read.clock.floorPriceFenPerKg } : {}) },
          body,
          now,
        );
        if (!checked.ok) return refusedBy(checked);
        const lot = await lots.edit(lotId, read, checked.terms, now);
        if (!lot) continue;
        const view = announce('lot:edited', lot, now);
        return { ok: true, lot: view };
      }
      return marketFail('CONCURRENT_UPDATE', 'The lot kept changing; try again');
    },

    /** The farm ends its clock sale; the lot stays on the market at its ask. */
    async stopClock(trader: Trader, lotId: string): Promise<LotOutcome> {
      const own = await ownLot(trader, lotId);
      if (!own.ok) return own;
      if (own.lot.status !== 'open') return marketFail('LOT_NOT_OPEN', 'The lot is no longer open');
      if (!own.lot.clock) return marketFail('NO_CLOCK', 'This lot has no clock sale');
      const now = deps.now();
      const lot = await lots.stopClock(lotId);
      if (!lot) return marketFail('NO_CLOCK', 'This lot has no clock sale (any more)');
      const view = announce('lot:clock', lot, now);
      return { ok: true, lot: view };
    },

    async startClock(trader: Trader, lotId: string, body: ClockSetupBody): Promise<LotOutcome> {
      const own = await ownLot(trader, lotId);
      if (!own.ok) return own;
      const now = deps.now();
      const set = setupClock(body, { ...own.lot, minTakeGrams: minTakeOf(own.lot) }, now);
      if (!set.ok) return refusedBy(set);
      const { lotId: _id, ...stored } = set.clock;
      const lot = await lots.setClock(lotId, stored, now);
      if (!lot) return marketFail('LOT_NOT_OPEN', 'The lot is no longer open');
      const view = announce('lot:clock', lot, now);
      return { ok: true, lot: view };
    },

    /**
     * A restaurant takes from the clock at the current price. The order id comes from the
     * Idempotency-Key (and the attempt, orders/reservation.ts), so a retried take returns the
     * first order instead of buying twice; after a failed attempt it is a fresh one.
     */
    async takeFromClock(
      trader: Trader,
      lotId: string,
      body: ClockTakeBody,
      idempotencyKey: string | undefined,
    ): Promise<{ ok: true; order: OrderRecord; created: boolean; lot: LotView | null } | Failed> {
      if (!isBuyerKind(trader.kind))
        return forbidden('Only buyers (restaurants, canteens, retailers, enterprises) buy');
      const lot = await lots.findById(lotId);
      if (!lot) return notFound('Lot');
      if (lot.sellerOrgId === trader.organisationId)
        return marketFail('OWN_LOT', 'An organisation cannot trade with itself');
      if (!lot.clock) return marketFail('NO_CLOCK', 'This lot has no clock sale');
      if (!(await (deps.isTrading ?? everyoneTrades)(lot.sellerOrgId))) return counterpartyNotTrading('farm');
      const now = deps.now();
      const key = `take:${lotId}:${trader.organisationId}:${idempotencyKey ?? deps.newId()}`;
      const { id, order: previous } = idempotencyKey
        ? await findAttempt(deps.orders, key, 'current')
        : { id: deterministicId(key), order: null };
      if (previous && previous.status !== 'failed' && previous.status !== 'pending')
        return { ok: true, order: previous, created: false, lot: lotView(lot, now) };
      const tradable = checkLotTradable(lot, now);
      if (!tradable.ok) return refusedBy(tradable);
      // A clock set up before the lot had a minimum (or with a smaller one) still honours the lot's.
      const sale: ClockSale = { ...lot.clock, lotId, minTakeGrams: Math.max(lot.clock.minTakeGrams, minTakeOf(lot)) };
      const taken = takeFromClock(sale, now, body.quantityGrams, lot.remainingGrams, body.maxPriceFenPerKg);
      if (!taken.ok) return refusedBy(taken);
      const order = newOrder(
        {
          id,
          lotId,
          source: 'clock',
          buyerOrgId: trader.organisationId,
          sellerOrgId: lot.sellerOrgId,
          productCode: lot.productCode,
          quantityGrams: taken.take.grams,
          priceFenPerKg: taken.take.priceFenPerKg,
        },
        now,
      );
      const names = partyNames({
        sellerName: lot.sellerName,
        buyerName: await organisationName(trader.organisationId),
      });
      const placed = await placeOrder(deps, { ...order, ...names, key, ...(idempotencyKey ? { idempotencyKey } : {}) });
      if (!placed.ok) return placed;
      const after = placed.lot ? lotView(placed.lot, now) : null;
      if (placed.created) {
        publish({
          type: 'order:confirmed',
          lotId,
          orderId: placed.order.id,
          buyerOrgId: placed.order.buyerOrgId,
          sellerOrgId: placed.order.sellerOrgId,
          data: { order: orderView(placed.order), ...(after ? { lot: after } : {}) },
        });
      }
      return { ok: true, order: placed.order, created: placed.created, lot: after };
    },
  };
}

export type LotsService = ReturnType<typeof createLotsService>;
