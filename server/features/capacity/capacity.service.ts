/**
 * A farm's capacity and its 7-day outlook. Commitments are the farm's confirmed, not yet
 * dispatched orders (due today: they are sold stock waiting to leave) and the base of the
 * standing orders naming it as seller that it accepted (`active`), on their days.
 */
import { addDays, daysBetween, shanghaiDate } from '../../../shared/domain/calendar';
import { outlook, type Commitment } from '../../../shared/domain/capacity';
import { expandOccurrences } from '../../../shared/domain/standing-orders';
import type { CapacityBody } from '../../../shared/schemas/market';
import type { DemandRepository } from '../demand/demand.repository';
import { forbidden, notFound, type Clock, type MarketFailure, type Trader } from '../market/market.types';
import type { OrdersRepository } from '../orders/orders.repository';
import type { CapacityRecord, CapacityRepository } from './capacity.repository';

export interface CapacityServiceDeps {
  capacity: CapacityRepository;
  orders: OrdersRepository;
  demand: DemandRepository;
  clock: Clock;
}

export function createCapacityService(deps: CapacityServiceDeps) {
  const { capacity, clock } = deps;
  return {
    async put(trader: Trader, body: CapacityBody): Promise<{ ok: true; capacity: CapacityRecord } | MarketFailure> {
      if (trader.kind !== 'farm') return forbidden('Only farms have production capacity');
      const saved = await capacity.put({
        orgId: trader.organisationId,
        production: body.production.map((p) => ({ productCode: p.productCode, dailyGrams: p.dailyGrams, ...(p.weekdays ? { weekdays: p.weekdays as CapacityRecord['production'][number]['weekdays'] } : {}) })),
        coldStorageGrams: body.coldStorageGrams,
        dispatchGramsPerDay: body.dispatchGramsPerDay,
        ...(body.pickup ? { pickup: body.pickup } : {}),
        updatedAt: clock(),
        updatedBy: trader.userId,
      });
      return { ok: true, capacity: saved };
    },

    async get(trader: Trader): Promise<{ ok: true; capacity: CapacityRecord } | MarketFailure> {
      const found = await capacity.get(trader.organisationId);
      return found ? { ok: true, capacity: found } : notFound('Capacity');
    },

    async outlook(trader: Trader, from: string | undefined, days: number) {
      const found = await capacity.get(trader.organisationId);
      if (!found) return notFound('Capacity');
      const today = shanghaiDate(clock());
      const start = from ?? today;
      const end = addDays(start, days - 1);
      const commitments: Commitment[] = [];
      const open = await deps.orders.list({ orgId: trader.organisationId, status: 'confirmed', limit: 1000 });
      for (const order of open) {
        if (order.sellerOrgId !== trader.organisationId) continue;
        const due = shanghaiDate(order.createdAt) > today ? shanghaiDate(order.createdAt) : today;
        if (daysBetween(start, due) >= 0 && daysBetween(due, end) >= 0) commitments.push({ date: due, productCode: order.productCode, grams: order.quantityGrams });
      }
      // Only standing orders the farm accepted bind it; proposals wait for its consent.
      for (const standing of await deps.demand.listActiveForSeller(trader.organisationId)) {
        for (const o of expandOccurrences(standing, start, end)) commitments.push({ date: o.date, productCode: standing.productCode, grams: o.baseGrams });
      }
      return { ok: true as const, days: outlook(found, commitments, start, days) };
    },
  };
}

export type CapacityService = ReturnType<typeof createCapacityService>;
