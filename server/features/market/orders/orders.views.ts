import type { Order, SerialisesTo } from '../../../../shared/schemas/market-views';
import type { LotView } from '../lots/lots.views';
import type { OrderRecord } from './orders.repository';

/** The order statuses clients may see: pending and failed belong to the reservation protocol. */
type VisibleStatus = Order['status'];

/**
 * What clients see of an order. Fields are picked, not copied: the protocol's internals (key,
 * version, failedReason, idempotency key) and whatever the record gains later stay inside.
 * Routes only show confirmed-or-later orders (the repository's lists and `get` filter the rest).
 */
export function orderView(order: OrderRecord) {
  return {
    id: order.id,
    lotId: order.lotId,
    source: order.source,
    ...(order.offerId ? { offerId: order.offerId } : {}),
    buyerOrgId: order.buyerOrgId,
    sellerOrgId: order.sellerOrgId,
    ...(order.buyerName ? { buyerName: order.buyerName } : {}),
    ...(order.sellerName ? { sellerName: order.sellerName } : {}),
    productCode: order.productCode,
    quantityGrams: order.quantityGrams,
    priceFenPerKg: order.priceFenPerKg,
    totalFen: order.totalFen,
    status: order.status as VisibleStatus,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    ...(order.confirmedAt ? { confirmedAt: order.confirmedAt } : {}),
    ...(order.dispatchedAt ? { dispatchedAt: order.dispatchedAt } : {}),
    ...(order.deliveredAt ? { deliveredAt: order.deliveredAt } : {}),
    ...(order.deliveredGrams !== undefined ? { deliveredGrams: order.deliveredGrams } : {}),
    ...(order.completedAt ? { completedAt: order.completedAt } : {}),
    ...(order.cancelReason ? { cancelReason: order.cancelReason } : {}),
    ...(order.disputeNote ? { disputeNote: order.disputeNote } : {}),
  };
}
export type OrderView = ReturnType<typeof orderView>;

/** The answer to a trade (accept, clock take): the order, and the lot after it took its stock. */
export const tradeView = ({ order, lot }: { order: OrderRecord; lot: LotView | null }) => ({
  order: orderView(order),
  ...(lot ? { lot } : {}),
});

/** Compile-time: an OrderView, as JSON, is exactly the `Order` the API documents (shared/schemas/market-views.ts). */
export const _orderViewIsTheWireOrder: SerialisesTo<OrderView, Order> = true;
