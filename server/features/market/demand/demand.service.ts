/** Restaurants post what they need (one-off demand, standing orders); farms answer demand with sell offers. */
import { addDays, shanghaiDate, type Weekday } from '../../../../shared/domain/calendar';
import { pageOf, type Page, type PageCursor } from '../../../../shared/domain/paging';
import { isBuyerKind } from '../../../../shared/domain/permissions';
import {
  checkLotFitsDemand,
  checkNewDemand,
  statusAfterFill,
  statusAfterRelease,
} from '../../../../shared/domain/demand';
import {
  checkStandingOrder,
  expandOccurrences,
  fillOccurrence,
  initialStatus,
  isCommitment,
  MAX_EXPANSION_DAYS,
  standingOrderTransition,
  type StandingOrderAction,
  type StandingOrderStatus,
} from '../../../../shared/domain/standing-orders';
import type {
  CreateDemandBody,
  CreateSellOfferBody,
  CreateStandingOrderBody,
  MarketEventType,
} from '../../../../shared/schemas/market';
import type { LotsRepository } from '../lots/lots.repository';
import {
  counterpartyNotTrading,
  everyoneTrades,
  forbidden,
  notFound,
  publishNothing,
  type Now,
  type IsTrading,
  type Publish,
  type Trader,
} from '../kernel/market.types';
import type { OffersRepository } from '../offers/offers.repository';
import type { MakeOutcome, OffersService } from '../offers/offers.service';
import type { OrdersRepository } from '../orders/orders.repository';
import type { DemandRecord, DemandRepository, StandingOrderRecord } from './demand.repository';
import type { Failed } from '../../../outcome';
import { marketFail, refusedBy } from '../kernel/market.failures';

export interface DemandServiceDeps {
  demand: DemandRepository;
  lots: LotsRepository;
  offersService: OffersService;
  now: Now;
  newId: () => string;
  isTrading?: IsTrading;
  /** Standing-order steps go to both organisations' rooms (stored, so an offline farm catches up). */
  publish?: Publish;
  /** Names the two parties in standing-order lists (a farm must know which restaurant asks). */
  organisationName?: (id: string) => Promise<string | undefined>;
  /** For repairFills (the sweep): accepted sell offers on demand, and their orders. */
  offers?: Pick<OffersRepository, 'list'>;
  orders?: Pick<OrdersRepository, 'findById' | 'list'>;
}

/**
 * The orders that count towards a demand: any that was confirmed and not cancelled (the reservation
 * protocol's pending/failed never do; a cancelled one gives its grams back).
 */
const COUNTED_ORDER = (status: string) => status !== 'pending' && status !== 'failed' && status !== 'cancelled';
/** The sweep looks at demand needed from this long ago on (a late confirmation or cancellation still counts). */
const REPAIR_LOOKBACK_MS = 7 * 24 * 3_600_000;
const REPAIR_BATCH = 200;

export type StandingOrderView = StandingOrderRecord & { buyerName?: string; sellerName?: string };

type StandingOrderOutcome = { ok: true; standingOrder: StandingOrderRecord } | Failed;

const STEP_EVENTS: Record<StandingOrderStatus, MarketEventType> = {
  proposed: 'standing-order:proposed',
  active: 'standing-order:accepted',
  declined: 'standing-order:declined',
  cancelled: 'standing-order:cancelled',
};

export function createDemandService(deps: DemandServiceDeps) {
  const { demand } = deps;
  const publish = deps.publish ?? publishNothing;

  const announce = (standingOrder: StandingOrderRecord) =>
    publish({
      type: STEP_EVENTS[standingOrder.status],
      buyerOrgId: standingOrder.buyerOrgId,
      ...(standingOrder.sellerOrgId ? { sellerOrgId: standingOrder.sellerOrgId } : {}),
      productCode: standingOrder.productCode,
      data: { standingOrder },
    });

  /** One consent step: who may take it is the domain's rule; the write is conditional on the status read. */
  async function step(trader: Trader, id: string, action: StandingOrderAction): Promise<StandingOrderOutcome> {
    const found = await demand.findStandingOrder(id);
    if (!found) return notFound('Standing order');
    const side =
      found.buyerOrgId === trader.organisationId
        ? 'buyer'
        : found.sellerOrgId === trader.organisationId
          ? 'seller'
          : null;
    if (!side)
      return forbidden('Only the restaurant that placed the standing order and the farm it names may act on it');
    const decided = standingOrderTransition(found.status, side, action);
    if (!decided.ok) return refusedBy(decided);
    const reason = action.type === 'accept' ? undefined : action.reason?.trim() || undefined;
    const at = deps.now();
    const moved = await demand.transitionStandingOrder(
      id,
      found.status,
      {
        status: decided.to,
        side,
        userId: trader.userId,
        ...(trader.viaBroker ? { viaBroker: true } : {}),
        ...(reason ? { reason } : {}),
        at,
      },
      action.type === 'decline'
        ? { declineReason: reason }
        : action.type === 'cancel'
          ? { cancelledBy: side, ...(reason ? { cancelReason: reason } : {}) }
          : {},
    );
    if (!moved) {
      const now = await demand.findStandingOrder(id);
      return marketFail('WRONG_STATUS', `The standing order is ${now?.status ?? 'gone'}`, {
        details: { status: now?.status },
      });
    }
    announce(moved);
    return { ok: true, standingOrder: moved };
  }

  /**
   * Counts a confirmed order from a sell offer on the demand (the market's onOrderConfirmed hook, and
   * the sweep): once per order, however often it is called; `filled` once the grams reach the quantity.
   * Each step is one conditional single-document update, so concurrent orders all count, and a crash
   * between the two steps is finished by the next call for any of its orders or by the sweep.
   */
  async function recordFill(
    demandId: string,
    order: { id: string; quantityGrams: number },
  ): Promise<{ counted: boolean; demand: DemandRecord | null }> {
    const counted = await demand.addFill(demandId, order.id, order.quantityGrams, deps.now());
    const current = counted ?? (await demand.findDemand(demandId));
    if (!current || statusAfterFill({ ...current, filledGrams: current.filledGrams ?? 0 }) !== 'filled')
      return { counted: counted !== null, demand: current };
    const filled =
      (await demand.markFilled(demandId, current.quantityGrams, deps.now())) ?? (await demand.findDemand(demandId));
    return { counted: counted !== null, demand: filled };
  }

  /**
   * Gives a cancelled order's grams back (the market's onOrderCancelled hook, and the sweep): once per
   * order, however often it is called; a filled demand now short reopens while its neededBy is ahead.
   * The same two conditional steps as recordFill, finished by the next call or the sweep after a crash.
   */
  async function releaseFill(
    demandId: string,
    order: { id: string; quantityGrams: number },
  ): Promise<{ released: boolean; demand: DemandRecord | null }> {
    const released = await demand.removeFill(demandId, order.id, order.quantityGrams, deps.now());
    const current = released ?? (await demand.findDemand(demandId));
    if (!current || statusAfterRelease({ ...current, filledGrams: current.filledGrams ?? 0 }, deps.now()) !== 'open')
      return { released: released !== null, demand: current };
    const reopened =
      (await demand.reopen(demandId, current.quantityGrams, deps.now())) ?? (await demand.findDemand(demandId));
    return { released: released !== null, demand: reopened };
  }

  /** The sweep's un-fill: cancelled orders still counted on recent demand give their grams back; short filled demand reopens. */
  async function repairReleases(ordersRepo: Pick<OrdersRepository, 'list'>, since: Date): Promise<number> {
    const counted = await demand.listWithFills(since, REPAIR_BATCH);
    const demandOf = new Map(counted.flatMap((d) => (d.orderIds ?? []).map((orderId) => [orderId, d.id] as const)));
    const cancelled =
      demandOf.size === 0
        ? []
        : await ordersRepo.list({ ids: [...demandOf.keys()], status: 'cancelled', limit: demandOf.size });
    let repaired = 0;
    for (const order of cancelled) {
      const demandId = demandOf.get(order.id);
      if (demandId && (await releaseFill(demandId, order)).released) repaired++;
    }
    for (const d of counted) {
      if (
        statusAfterRelease({ ...d, filledGrams: d.filledGrams ?? 0 }, deps.now()) === 'open' &&
        (await demand.reopen(d.id, d.quantityGrams, deps.now()))
      )
        repaired++;
    }
    return repaired;
  }

  return {
    async createDemand(trader: Trader, body: CreateDemandBody): Promise<{ ok: true; demand: DemandRecord } | Failed> {
      if (!isBuyerKind(trader.kind)) return forbidden('Only buyers post demand');
      const now = deps.now();
      const checked = checkNewDemand(body, now);
      if (!checked.ok) return refusedBy(checked);
      // Copied like the parties' names on lots and offers, so farms browsing demand see who asks.
      const buyerName = await deps.organisationName?.(trader.organisationId);
      const created = await demand.insertDemand({
        id: deps.newId(),
        buyerOrgId: trader.organisationId,
        ...(buyerName ? { buyerName } : {}),
        createdBy: trader.userId,
        productCode: body.productCode,
        quantityGrams: body.quantityGrams,
        maxPriceFenPerKg: body.maxPriceFenPerKg,
        neededBy: body.neededBy,
        ...(body.deliverFrom ? { deliverFrom: body.deliverFrom } : {}),
        ...(body.storage ? { storage: body.storage } : {}),
        deliveryRequired: body.deliveryRequired,
        ...(body.deliveryAddress ? { deliveryAddress: body.deliveryAddress } : {}),
        ...(body.note ? { note: body.note } : {}),
        status: 'open',
        filledGrams: 0,
        createdAt: now,
        updatedAt: now,
      });
      return { ok: true, demand: created };
    },

    /**
     * One page of demand: open demand still in the future, soonest needed first (what farms browse), or all
     * of one restaurant's, newest posted first (keyset pages, shared/domain/paging.ts).
     */
    async pageDemand(filter: {
      productCode?: string;
      buyerOrgId?: string;
      limit: number;
      after?: PageCursor;
    }): Promise<Page<DemandRecord>> {
      const { limit, after, ...rest } = filter;
      const sort = rest.buyerOrgId ? 'newest' : 'needed';
      const rows = await demand.listDemand({
        ...rest,
        ...(rest.buyerOrgId ? {} : { status: 'open', neededAfter: deps.now() }),
        sort,
        ...(after ? { after } : {}),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (d) => ({
        sort: sort === 'newest' ? 'demand-newest' : 'demand-needed',
        keys: [(sort === 'newest' ? d.createdAt : d.neededBy).getTime()],
        id: d.id,
      }));
    },

    async withdrawDemand(trader: Trader, id: string): Promise<{ ok: true; demand: DemandRecord } | Failed> {
      const found = await demand.findDemand(id);
      if (!found) return notFound('Demand');
      if (found.buyerOrgId !== trader.organisationId)
        return forbidden('Only the restaurant that posted it may withdraw it');
      const withdrawn = await demand.withdrawDemand(id, deps.now());
      return withdrawn ? { ok: true, demand: withdrawn } : marketFail('DEMAND_CLOSED', `The demand is ${found.status}`);
    },

    /** A farm answers a demand with (part of) one of its lots; the restaurant then accepts, counters or rejects. */
    async offerToDemand(
      trader: Trader,
      demandId: string,
      body: CreateSellOfferBody,
      idempotencyKey?: string,
    ): Promise<MakeOutcome> {
      const found = await demand.findDemand(demandId);
      if (!found) return notFound('Demand');
      const lot = await deps.lots.findById(body.lotId);
      if (!lot) return notFound('Lot', 'lotId');
      // The shared feasibility rule (the desk's proposals obey it too); more than the lot has left is the
      // offer's own QUANTITY_EXCEEDS_REMAINING below, so the remaining grams are not passed here.
      const { remainingGrams: _left, ...lotTerms } = lot;
      const fits = checkLotFitsDemand(lotTerms, found, deps.now(), body.quantityGrams);
      if (!fits.ok) return refusedBy(fits);
      return deps.offersService.createSellOffer(
        trader,
        { ...body, buyerOrgId: found.buyerOrgId, demandId },
        idempotencyKey,
      );
    },

    recordFill: async (demandId: string, order: { id: string; quantityGrams: number }): Promise<DemandRecord | null> =>
      (await recordFill(demandId, order)).demand,
    releaseFill: async (demandId: string, order: { id: string; quantityGrams: number }): Promise<DemandRecord | null> =>
      (await releaseFill(demandId, order)).demand,

    /**
     * Re-applies fills and releases the hooks missed (orders confirmed before fills were tracked, a hook
     * that never ran, a crash between counting and closing or between giving back and reopening): every
     * counted order of an accepted sell offer on recent open or expired demand, and every cancelled order
     * still counted on recent demand. Idempotent per order, so safe every sweep and on several nodes.
     * Returns how many orders it newly counted or gave back plus how many demands it newly closed or reopened.
     */
    async repairFills(): Promise<number> {
      if (!deps.offers || !deps.orders) return 0;
      const since = new Date(deps.now().getTime() - REPAIR_LOOKBACK_MS);
      const released = await repairReleases(deps.orders, since);
      const open = await demand.listDemand({ status: ['open', 'expired'], neededAfter: since, limit: REPAIR_BATCH });
      if (open.length === 0) return released;
      const byId = new Map(open.map((d) => [d.id, d]));
      const accepted = await deps.offers.list({
        demandIds: [...byId.keys()],
        state: 'accepted',
        limit: REPAIR_BATCH * 10,
      });
      let repaired = released;
      for (const offer of accepted) {
        const target = offer.demandId ? byId.get(offer.demandId) : undefined;
        if (!target || !offer.orderId || target.orderIds?.includes(offer.orderId)) continue;
        const order = await deps.orders.findById(offer.orderId);
        if (!order || !COUNTED_ORDER(order.status)) continue;
        if ((await recordFill(target.id, order)).counted) repaired++;
      }
      for (const d of open) {
        if (
          statusAfterFill({ ...d, filledGrams: d.filledGrams ?? 0 }) === 'filled' &&
          (await demand.markFilled(d.id, d.quantityGrams, deps.now()))
        )
          repaired++;
      }
      return repaired;
    },

    /** The sweep: open demand whose neededBy has passed is expired (farms can no longer answer it). */
    expireLapsed: (): Promise<number> => demand.expireDue(deps.now()),

    async createStandingOrder(
      trader: Trader,
      body: CreateStandingOrderBody,
    ): Promise<{ ok: true; standingOrder: StandingOrderRecord } | Failed> {
      if (!isBuyerKind(trader.kind)) return forbidden('Only buyers place standing orders');
      const terms = { ...body, weekdays: body.weekdays as Weekday[] };
      const checked = checkStandingOrder(terms);
      if (!checked.ok) return refusedBy(checked);
      // A standing order counts against the named farm's outlook, so it may only name a verified farm.
      if (body.sellerOrgId && !(await (deps.isTrading ?? everyoneTrades)(body.sellerOrgId, 'farm')))
        return counterpartyNotTrading('farm');
      const now = deps.now();
      const created = await demand.insertStandingOrder({
        id: deps.newId(),
        buyerOrgId: trader.organisationId,
        createdBy: trader.userId,
        ...terms,
        status: initialStatus(terms),
        steps: [],
        createdAt: now,
        updatedAt: now,
      });
      announce(created);
      return { ok: true, standingOrder: created };
    },

    /**
     * The caller's organisation's standing orders, as buyer or as the named farm (all statuses unless one is
     * asked for). Chamber staff read every organisation's, newest first, or those `orgId` is party to; a
     * trader naming another organisation is refused.
     */
    async listStandingOrders(
      trader: Trader,
      query: { status?: StandingOrderStatus; orgId?: string; limit: number; after?: PageCursor },
    ): Promise<({ ok: true } & Page<StandingOrderView>) | Failed> {
      const { status, orgId, limit, after } = query;
      // The chamber reads every organisation's (or one's); a trader only its own, as buyer or named farm.
      if (trader.kind !== 'chamber' && orgId && orgId !== trader.organisationId)
        return forbidden('Only chamber staff may read another organisation’s standing orders', 'orgId');
      const party = trader.kind === 'chamber' ? orgId : trader.organisationId;
      const rows = await demand.listAllStandingOrders({
        ...(party ? { orgId: party } : {}),
        ...(status ? { statuses: [status] } : {}),
        ...(after ? { after } : {}),
        limit: limit + 1,
      });
      const { items, nextCursor } = pageOf(rows, limit, (s) => ({
        sort: 'standing-newest',
        keys: [s.createdAt.getTime()],
        id: s.id,
      }));
      const nameOf = deps.organisationName;
      if (!nameOf) return { ok: true, items, nextCursor };
      const ids = [...new Set(items.flatMap((s) => (s.sellerOrgId ? [s.buyerOrgId, s.sellerOrgId] : [s.buyerOrgId])))];
      const names = new Map(await Promise.all(ids.map(async (id) => [id, await nameOf(id)] as const)));
      const named = items.map((s) => {
        const buyerName = names.get(s.buyerOrgId);
        const sellerName = s.sellerOrgId ? names.get(s.sellerOrgId) : undefined;
        return { ...s, ...(buyerName ? { buyerName } : {}), ...(sellerName ? { sellerName } : {}) };
      });
      return { ok: true, items: named, nextCursor };
    },

    /** The named farm agrees: from now on the standing order is a commitment in its outlook. */
    acceptStandingOrder: (trader: Trader, id: string) => step(trader, id, { type: 'accept' }),
    declineStandingOrder: (trader: Trader, id: string, reason: string) => step(trader, id, { type: 'decline', reason }),
    /** The restaurant withdraws a proposal or ends an agreed one; the farm ends an agreed one, with a reason. */
    cancelStandingOrder: (trader: Trader, id: string, reason?: string) =>
      step(trader, id, { type: 'cancel', ...(reason ? { reason } : {}) }),

    /**
     * The dated occurrences of a standing order (Shanghai days), each with what a given
     * supply would fill: `availableGrams` defaults to exactly the base.
     */
    async occurrences(
      trader: Trader,
      id: string,
      query: { from?: string; days: number; limit: number; after?: PageCursor },
    ) {
      const found = await demand.findStandingOrder(id);
      if (!found || (found.buyerOrgId !== trader.organisationId && found.sellerOrgId !== trader.organisationId))
        return notFound('Standing order');
      // A computed list, paged by date: the cursor names its standing order, the last date shown and the
      // window's last day (so later pages keep the first page's window whatever `from` says now).
      const { after, limit } = query;
      if (after && after.id !== id)
        return marketFail('VALIDATION', 'must be the nextCursor of a previous page of this list', { field: 'cursor' });
      const empty = { ok: true as const, items: [], nextCursor: null };
      if (!isCommitment(found)) return empty;
      const windowStart = query.from ?? shanghaiDate(deps.now());
      const end = after ? String(after.keys[1]) : addDays(windowStart, Math.min(query.days, MAX_EXPANSION_DAYS) - 1);
      const start = after ? addDays(String(after.keys[0]), 1) : windowStart;
      if (start > end) return empty;
      const rows = expandOccurrences(found, start, end).slice(0, limit + 1);
      const page = pageOf(
        rows,
        limit,
        (o) => ({ sort: 'occurrences', keys: [o.date, end], id }),
        (o) => ({ ...o, fill: fillOccurrence(found, o.baseGrams + o.maxExtraGrams) }),
      );
      return { ok: true as const, ...page };
    },
  };
}

export type DemandService = ReturnType<typeof createDemandService>;
