import type { Demand, SerialisesTo } from '../../../../shared/schemas/market-views';
import type { DemandRecord } from './demand.repository';

/**
 * What clients see of a purchase request. Fields are picked, not copied: the set of orders counted
 * in `filledGrams` (the fill's idempotency, demand.repository.ts addFill) stays inside.
 */
export function demandView(demand: DemandRecord) {
  return {
    id: demand.id,
    buyerOrgId: demand.buyerOrgId,
    ...(demand.buyerName ? { buyerName: demand.buyerName } : {}),
    createdBy: demand.createdBy,
    productCode: demand.productCode,
    quantityGrams: demand.quantityGrams,
    maxPriceFenPerKg: demand.maxPriceFenPerKg,
    neededBy: demand.neededBy,
    ...(demand.deliverFrom ? { deliverFrom: demand.deliverFrom } : {}),
    ...(demand.storage ? { storage: demand.storage } : {}),
    deliveryRequired: demand.deliveryRequired,
    ...(demand.deliveryAddress ? { deliveryAddress: demand.deliveryAddress } : {}),
    ...(demand.note ? { note: demand.note } : {}),
    status: demand.status,
    filledGrams: demand.filledGrams ?? 0,
    createdAt: demand.createdAt,
    updatedAt: demand.updatedAt,
  };
}
type DemandView = ReturnType<typeof demandView>;

/** Compile-time: a DemandView, as JSON, is exactly the `Demand` the API documents (shared/schemas/market-views.ts). */
const _demandViewIsTheWireDemand: SerialisesTo<DemandView, Demand> = true;
