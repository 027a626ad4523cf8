/**
 * The desk's view of the live market (features/market), through the market's own repositories
 * and services: no desk code touches the market's collections. Outlooks are the market's own
 * (capacity.service outlook: confirmed orders and standing orders as commitments).
 *
 * Sell-through from lots alone: a lot's `reservations` are the stock held by live orders
 * (cancelled orders give theirs back), dated when reserved; `spoiledGrams` is what was left
 * when it expired, dated at expiry.
 */
import { shanghaiDate, type CalendarDate } from '../../../shared/domain/calendar';
import { instantRange } from '../../../shared/domain/desk/periods';
import type { DailyOutcome } from '../../../shared/domain/desk/sell-through';
import type { FarmOutlook } from '../../../shared/domain/desk/at-risk';
import type { DemandRecord, LotRecord, Market } from '../market';
import { failure } from '../../outcome';
import type { MarketDemand, MarketLot, MarketPort } from './kernel/desk.market';

/** Lots read per board or report; the desk works on what is on sale now, not the archive. */
const LOT_SCAN_LIMIT = 5000;

function toMarketLot(l: LotRecord): MarketLot {
  const pickup =
    l.pickup && typeof l.pickup.lat === 'number' && typeof l.pickup.lng === 'number'
      ? { lat: l.pickup.lat, lng: l.pickup.lng }
      : undefined;
  return {
    id: l.id,
    sellerOrgId: l.sellerOrgId,
    productCode: l.productCode,
    quantityGrams: l.quantityGrams,
    remainingGrams: l.remainingGrams,
    expiresAt: l.expiresAt,
    status: l.status,
    reservePriceFenPerKg: l.reservePriceFenPerKg,
    askPriceFenPerKg: l.askPriceFenPerKg,
    ...(pickup ? { pickup } : {}),
  };
}

export function dailyOutcomesOfLots(lots: readonly LotRecord[], from: CalendarDate, to: CalendarDate): DailyOutcome[] {
  const cells = new Map<string, DailyOutcome>();
  const cell = (farmId: string, date: CalendarDate) => {
    const key = `${farmId}\u0000${date}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { farmId, date, soldGrams: 0, spoiledGrams: 0 }));
    return c;
  };
  for (const lot of lots) {
    for (const r of lot.reservations) {
      const day = shanghaiDate(r.at);
      if (day >= from && day <= to) cell(lot.sellerOrgId, day).soldGrams += r.grams;
    }
    if (lot.status === 'expired' && (lot.spoiledGrams ?? 0) > 0) {
      const day = shanghaiDate(lot.expiredAt ?? lot.expiresAt);
      if (day >= from && day <= to) cell(lot.sellerOrgId, day).spoiledGrams += lot.spoiledGrams ?? 0;
    }
  }
  return [...cells.values()];
}

/** Offers that answer a demand, as far as the board is concerned (see unansweredDemand). */
const ANSWERING_STATES = ['open', 'countered', 'accepted'] as const;
const SCAN_LIMIT = 2000;

export interface LiveMarketDeps {
  market: Market;
  /** Verified farms, whose capacity outlooks the board reads. */
  farmIds(): Promise<string[]>;
}

function toMarketDemand(d: DemandRecord): MarketDemand {
  return {
    id: d.id,
    buyerOrgId: d.buyerOrgId,
    productCode: d.productCode,
    // What is still wanted: orders already filling it do not count twice (the market refuses nothing for it,
    // but a proposal beyond it would over-supply the restaurant).
    quantityGrams: Math.max(0, d.quantityGrams - (d.filledGrams ?? 0)),
    maxPriceFenPerKg: d.maxPriceFenPerKg,
    neededBy: d.neededBy,
    ...(d.deliverFrom ? { deliverFrom: d.deliverFrom } : {}),
    status: d.status,
  };
}

export function marketPortFrom({ market, farmIds }: LiveMarketDeps): MarketPort {
  const { lots, offers, demand, capacity } = market.repositories;
  /** The market's services act for a Trader; the desk reads outlooks as the farm would see its own. */
  const asFarm = (orgId: string, userId = 'desk') => ({ userId, organisationId: orgId, kind: 'farm' as const });
  return {
    async openLots() {
      return (await lots.list({ status: 'open', limit: LOT_SCAN_LIMIT })).map(toMarketLot);
    },
    async lot(id) {
      const found = await lots.findById(id);
      return found ? toMarketLot(found) : null;
    },
    async openDemand() {
      return (await demand.listDemand({ status: 'open', limit: SCAN_LIMIT })).map(toMarketDemand);
    },
    async offersOnDemand(demandIds) {
      const wanted = new Set(demandIds);
      const found = await Promise.all(ANSWERING_STATES.map((state) => offers.list({ state, limit: SCAN_LIMIT })));
      return found
        .flat()
        .flatMap((o) => (o.demandId && wanted.has(o.demandId) ? [{ demandId: o.demandId, state: o.state }] : []));
    },
    async capacities() {
      const found = await Promise.all((await farmIds()).map((id) => capacity.get(id)));
      return found.filter((c): c is NonNullable<typeof c> => c !== null);
    },
    async outlooks(from, days) {
      const result: FarmOutlook[] = [];
      for (const orgId of await farmIds()) {
        const o = await market.capacity.outlook(asFarm(orgId), from, days);
        if (o.ok) result.push({ orgId, days: o.days });
      }
      return result;
    },
    async dailyOutcomes(from, to, farmId) {
      // A lot sells before it expires, so lots expiring from `from` on cover every sale in range.
      const { start } = instantRange(from, to);
      const found = await lots.list({
        ...(farmId ? { sellerOrgId: farmId } : {}),
        expiresAfter: start,
        limit: LOT_SCAN_LIMIT,
      });
      return dailyOutcomesOfLots(found, from, to);
    },
    async brokeredOffers({ limit, order, after, partyName }) {
      const found = await offers.list({
        brokered: true,
        limit,
        created: { order, ...(after ? { after } : {}) },
        ...(partyName ? { partyName } : {}),
      });
      const lotIds = [...new Set(found.map((o) => o.lotId))];
      const products = new Map(
        (await Promise.all(lotIds.map((id) => lots.findById(id)))).flatMap((l) =>
          l ? [[l.id, l.productCode] as const] : [],
        ),
      );
      const orderIds = [...new Set(found.flatMap((o) => (o.orderId ? [o.orderId] : [])))];
      const ordersById = new Map(
        (await Promise.all(orderIds.map((id) => market.repositories.orders.findById(id)))).flatMap((order) =>
          order ? [[order.id, order] as const] : [],
        ),
      );
      // pending/failed belong to the reservation protocol: the log shows no order for them.
      const visible = (id: string | undefined) => {
        const order = id ? ordersById.get(id) : undefined;
        return order && order.status !== 'pending' && order.status !== 'failed' ? order : undefined;
      };
      return found.map((o) => ({
        offerId: o.id,
        lotId: o.lotId,
        demandId: o.demandId ?? null,
        productCode: products.get(o.lotId) ?? null,
        sellerOrgId: o.sellerOrgId,
        buyerOrgId: o.buyerOrgId,
        quantityGrams: o.quantityGrams,
        priceFenPerKg: o.priceFenPerKg,
        status: o.state,
        orderId: o.orderId ?? null,
        orderStatus: visible(o.orderId)?.status ?? null,
        orderTotalFen: visible(o.orderId)?.totalFen ?? null,
        offerVersion: o.version,
        orderVersion: visible(o.orderId)?.version ?? null,
        sentAt: o.createdAt.toISOString(),
        brokerUserId: o.history.find((s) => s.viaBroker)?.userId ?? null,
      }));
    },
    /** A sell offer from the lot's farm to the demand, made by the broker on the farm's behalf (viaBroker on the step). */
    async sendBrokeredOffer(request) {
      const lot = await lots.findById(request.lotId);
      if (!lot) return failure('NOT_FOUND', 'No such lot', { fields: { lotId: 'No such lot' } });
      const sent = await market.demand.offerToDemand(
        { ...asFarm(lot.sellerOrgId, request.broker.userId), viaBroker: true },
        request.demandId,
        {
          lotId: request.lotId,
          quantityGrams: request.quantityGrams,
          priceFenPerKg: request.priceFenPerKg,
          ...(request.validUntil ? { validUntil: request.validUntil } : {}),
        },
      );
      return sent.ok ? { ok: true, offerId: sent.offer.id } : sent;
    },
  };
}
