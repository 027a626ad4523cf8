/**
 * The desk's view of the live market (features/market), over the market's own repositories:
 * no desk code touches the market's collections. Demand, standing orders and capacity have
 * no server side yet, so those parts of the port answer empty until they land.
 *
 * Sell-through from lots alone: a lot's `reservations` are the stock held by live orders
 * (cancelled orders give theirs back), dated when reserved; `spoiledGrams` is what was left
 * when it expired, dated at expiry.
 */
import { shanghaiDate, type CalendarDate } from '../../../shared/domain/calendar';
import { instantRange } from '../../../shared/domain/desk/periods';
import type { DailyOutcome } from '../../../shared/domain/desk/sell-through';
import type { LotRecord, LotsRepository } from '../lots/lots.repository';
import type { MarketLot, MarketPort } from './desk.market';

/** Lots read per board or report; the desk works on what is on sale now, not the archive. */
const LOT_SCAN_LIMIT = 5000;

function toMarketLot(l: LotRecord): MarketLot {
  const pickup = l.pickup && typeof l.pickup.lat === 'number' && typeof l.pickup.lng === 'number' ? { lat: l.pickup.lat, lng: l.pickup.lng } : undefined;
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

export function marketPortFrom(repos: { lots: LotsRepository }): MarketPort {
  const { lots } = repos;
  return {
    async openLots() {
      return (await lots.list({ status: 'open', limit: LOT_SCAN_LIMIT })).map(toMarketLot);
    },
    async lot(id) {
      const found = await lots.findById(id);
      return found ? toMarketLot(found) : null;
    },
    openDemand: async () => [],
    offersOnDemand: async () => [],
    capacities: async () => [],
    commitments: async () => [],
    async dailyOutcomes(from, to, farmId) {
      // A lot sells before it expires, so lots expiring from `from` on cover every sale in range
      // (plus a day for lots that expired just after midnight).
      const { start } = instantRange(from, to);
      const found = await lots.list({ ...(farmId ? { sellerOrgId: farmId } : {}), expiresAfter: start, limit: LOT_SCAN_LIMIT });
      return dailyOutcomesOfLots(found, from, to);
    },
  };
}
