/** Restaurants post what they need (one-off demand, standing orders); farms answer demand with sell offers. */
import { addDays, shanghaiDate, type Weekday } from '../../../shared/domain/calendar';
import { checkLotFitsDemand, checkNewDemand } from '../../../shared/domain/demand';
import { checkStandingOrder, expandOccurrences, fillOccurrence, MAX_EXPANSION_DAYS } from '../../../shared/domain/standing-orders';
import type { CreateDemandBody, CreateSellOfferBody, CreateStandingOrderBody } from '../../../shared/schemas/market';
import type { LotsRepository } from '../lots/lots.repository';
import { counterpartyNotTrading, everyoneTrades, forbidden, notFound, type Clock, type IsTrading, type MarketFailure, type Trader } from '../market/market.types';
import type { OfferOutcome, OffersService } from '../offers/offers.service';
import type { DemandRecord, DemandRepository, StandingOrderRecord } from './demand.repository';

export interface DemandServiceDeps {
  demand: DemandRepository;
  lots: LotsRepository;
  offersService: OffersService;
  clock: Clock;
  newId: () => string;
  isTrading?: IsTrading;
}

export function createDemandService(deps: DemandServiceDeps) {
  const { demand, clock } = deps;

  return {
    async createDemand(trader: Trader, body: CreateDemandBody): Promise<{ ok: true; demand: DemandRecord } | MarketFailure> {
      if (trader.kind !== 'restaurant') return forbidden('Only restaurants post demand');
      const now = clock();
      const checked = checkNewDemand(body, now);
      if (!checked.ok) return checked;
      const created = await demand.insertDemand({
        id: deps.newId(),
        buyerOrgId: trader.organisationId,
        createdBy: trader.userId,
        productCode: body.productCode,
        quantityGrams: body.quantityGrams,
        maxPriceFenPerKg: body.maxPriceFenPerKg,
        neededBy: body.neededBy,
        ...(body.storage ? { storage: body.storage } : {}),
        deliveryRequired: body.deliveryRequired,
        ...(body.note ? { note: body.note } : {}),
        status: 'open',
        createdAt: now,
        updatedAt: now,
      });
      return { ok: true, demand: created };
    },

    /** Open demand still in the future (what farms browse), or all of one restaurant's. */
    listDemand(filter: { productCode?: string; buyerOrgId?: string; limit: number }): Promise<DemandRecord[]> {
      return demand.listDemand({ ...filter, ...(filter.buyerOrgId ? {} : { status: 'open', neededAfter: clock() }) });
    },

    async withdrawDemand(trader: Trader, id: string): Promise<{ ok: true; demand: DemandRecord } | MarketFailure> {
      const found = await demand.findDemand(id);
      if (!found) return notFound('Demand');
      if (found.buyerOrgId !== trader.organisationId) return forbidden('Only the restaurant that posted it may withdraw it');
      const withdrawn = await demand.withdrawDemand(id, clock());
      return withdrawn ? { ok: true, demand: withdrawn } : { ok: false, reason: 'DEMAND_CLOSED', message: `The demand is ${found.status}` };
    },

    /** A farm answers a demand with (part of) one of its lots; the restaurant then accepts, counters or rejects. */
    async offerToDemand(trader: Trader, demandId: string, body: CreateSellOfferBody): Promise<OfferOutcome> {
      const found = await demand.findDemand(demandId);
      if (!found) return notFound('Demand');
      const lot = await deps.lots.findById(body.lotId);
      if (!lot) return { ...notFound('Lot'), field: 'lotId' };
      const fits = checkLotFitsDemand(lot, found, clock());
      if (!fits.ok) return fits;
      return deps.offersService.createSellOffer(trader, { ...body, buyerOrgId: found.buyerOrgId, demandId });
    },

    async createStandingOrder(trader: Trader, body: CreateStandingOrderBody): Promise<{ ok: true; standingOrder: StandingOrderRecord } | MarketFailure> {
      if (trader.kind !== 'restaurant') return forbidden('Only restaurants place standing orders');
      const terms = { ...body, weekdays: body.weekdays as Weekday[] };
      const checked = checkStandingOrder(terms);
      if (!checked.ok) return checked;
      // A standing order counts against the named farm's outlook, so it may only name a verified farm.
      if (body.sellerOrgId && !(await (deps.isTrading ?? everyoneTrades)(body.sellerOrgId, 'farm'))) return counterpartyNotTrading('farm');
      const now = clock();
      const created = await demand.insertStandingOrder({ id: deps.newId(), buyerOrgId: trader.organisationId, createdBy: trader.userId, ...terms, status: 'active', createdAt: now, updatedAt: now });
      return { ok: true, standingOrder: created };
    },

    listStandingOrders(trader: Trader): Promise<StandingOrderRecord[]> {
      return demand.listStandingOrders(trader.organisationId);
    },

    async cancelStandingOrder(trader: Trader, id: string): Promise<{ ok: true; standingOrder: StandingOrderRecord } | MarketFailure> {
      const found = await demand.findStandingOrder(id);
      if (!found) return notFound('Standing order');
      if (found.buyerOrgId !== trader.organisationId) return forbidden('Only the restaurant that placed it may cancel it');
      const cancelled = await demand.cancelStandingOrder(id, clock());
      return cancelled ? { ok: true, standingOrder: cancelled } : { ok: false, reason: 'WRONG_STATUS', message: 'The standing order is already cancelled' };
    },

    /**
     * The dated occurrences of a standing order (Shanghai days), each with what a given
     * supply would fill: `availableGrams` defaults to exactly the base.
     */
    async occurrences(trader: Trader, id: string, from?: string, days = 14) {
      const found = await demand.findStandingOrder(id);
      if (!found || (found.buyerOrgId !== trader.organisationId && found.sellerOrgId !== trader.organisationId)) return notFound('Standing order');
      const start = from ?? shanghaiDate(clock());
      const end = addDays(start, Math.min(days, MAX_EXPANSION_DAYS) - 1);
      const items = expandOccurrences(found, start, end).map((o) => ({ ...o, fill: fillOccurrence(found, o.baseGrams + o.maxExtraGrams) }));
      return { ok: true as const, items };
    },
  };
}

export type DemandService = ReturnType<typeof createDemandService>;
