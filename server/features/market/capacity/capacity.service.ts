/**
 * A farm's capacity and its 7-day outlook. Commitments are the farm's confirmed, not yet
 * dispatched orders (due today: they are sold stock waiting to leave) and the base of the
 * standing orders naming it as seller that it accepted (`active`), on their days.
 *
 * A farm reads its own; chamber staff read any farm's (`orgId`) and the market-wide sum, read-only.
 */
import { addDays, daysBetween, shanghaiDate, type CalendarDate } from '../../../../shared/domain/calendar';
import { outlook, type Commitment, type OutlookDay } from '../../../../shared/domain/capacity';
import { marketOutlook, type MarketOutlook } from '../../../../shared/domain/market-outlook';
import { expandOccurrences } from '../../../../shared/domain/standing-orders';
import type { CapacityBody } from '../../../../shared/schemas/market';
import type { DemandRepository } from '../demand/demand.repository';
import { forbidden, notFound, type Now, type Trader } from '../kernel/market.types';
import type { OrdersRepository } from '../orders/orders.repository';
import type { CapacityRecord, CapacityRepository } from './capacity.repository';
import type { Failed } from '../../../outcome';

export interface CapacityServiceDeps {
  capacity: CapacityRepository;
  orders: OrdersRepository;
  demand: DemandRepository;
  now: Now;
}

/** Whose capacity the trader reads: its own, or (chamber staff only) the farm it names. */
function capacityOwner(trader: Trader, orgId?: string): { ok: true; orgId: string } | Failed {
  if (!orgId || orgId === trader.organisationId) return { ok: true, orgId: trader.organisationId };
  if (trader.kind === 'chamber') return { ok: true, orgId };
  return forbidden('Only chamber staff may read another farm’s capacity', 'orgId');
}

export function createCapacityService(deps: CapacityServiceDeps) {
  const { capacity } = deps;

  async function outlookOf(found: CapacityRecord, start: CalendarDate, days: number): Promise<OutlookDay[]> {
    const orgId = found.orgId;
    const today = shanghaiDate(deps.now());
    const end = addDays(start, days - 1);
    const commitments: Commitment[] = [];
    const open = await deps.orders.list({ orgId, status: 'confirmed', limit: 1000 });
    for (const order of open) {
      if (order.sellerOrgId !== orgId) continue;
      const due = shanghaiDate(order.createdAt) > today ? shanghaiDate(order.createdAt) : today;
      if (daysBetween(start, due) >= 0 && daysBetween(due, end) >= 0)
        commitments.push({ date: due, productCode: order.productCode, grams: order.quantityGrams });
    }
    // Only standing orders the farm accepted bind it; proposals wait for its consent.
    for (const standing of await deps.demand.listActiveForSeller(orgId)) {
      for (const o of expandOccurrences(standing, start, end))
        commitments.push({ date: o.date, productCode: standing.productCode, grams: o.baseGrams });
    }
    return outlook(found, commitments, start, days);
  }

  return {
    async put(trader: Trader, body: CapacityBody): Promise<{ ok: true; capacity: CapacityRecord } | Failed> {
      if (trader.kind !== 'farm') return forbidden('Only farms have production capacity');
      const saved = await capacity.put({
        orgId: trader.organisationId,
        production: body.production.map((p) => ({
          productCode: p.productCode,
          dailyGrams: p.dailyGrams,
          ...(p.weekdays ? { weekdays: p.weekdays as CapacityRecord['production'][number]['weekdays'] } : {}),
        })),
        coldStorageGrams: body.coldStorageGrams,
        dispatchGramsPerDay: body.dispatchGramsPerDay,
        ...(body.pickup ? { pickup: body.pickup } : {}),
        updatedAt: deps.now(),
        updatedBy: trader.userId,
      });
      return { ok: true, capacity: saved };
    },

    /** The trader's own capacity, or — chamber staff naming `orgId` — that farm's. */
    async get(trader: Trader, orgId?: string): Promise<{ ok: true; capacity: CapacityRecord } | Failed> {
      const owner = capacityOwner(trader, orgId);
      if (!owner.ok) return owner;
      const found = await capacity.get(owner.orgId);
      return found ? { ok: true, capacity: found } : notFound('Capacity');
    },

    async outlook(
      trader: Trader,
      from: string | undefined,
      days: number,
      orgId?: string,
    ): Promise<{ ok: true; days: OutlookDay[] } | Failed> {
      const owner = capacityOwner(trader, orgId);
      if (!owner.ok) return owner;
      const found = await capacity.get(owner.orgId);
      if (!found) return notFound('Capacity');
      return { ok: true, days: await outlookOf(found, from ?? shanghaiDate(deps.now()), days) };
    },

    /** Chamber staff: every farm's outlook summed per day, and each farm's day totals. */
    async marketOutlook(
      trader: Trader,
      from: string | undefined,
      days: number,
    ): Promise<({ ok: true } & MarketOutlook) | Failed> {
      if (trader.kind !== 'chamber') return forbidden('Only chamber staff read the market-wide outlook');
      const start = from ?? shanghaiDate(deps.now());
      const farms = [];
      for (const found of await capacity.list())
        farms.push({ orgId: found.orgId, days: await outlookOf(found, start, days) });
      const dates = Array.from({ length: days }, (_, i) => addDays(start, i));
      return { ok: true, ...marketOutlook(farms, dates) };
    },
  };
}

export type CapacityService = ReturnType<typeof createCapacityService>;
