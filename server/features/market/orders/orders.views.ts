import type { Order, SerialisesTo } from '../../../../shared/schemas/market-views';
import type { LotView } from '../lots/lots.views';
import type { TimelineEntry } from '../../../../shared/domain/orders';
import type { OrderRecord } from './orders.repository';
import type { OrderContacts } from './order-details';

/** The order statuses clients may see: pending and failed belong to the reservation protocol. */
type VisibleStatus = Order['status'];

/**
 * What clients see of an order. Fields are picked, not copied: the protocol's internals (key,
 * failedReason, idempotency key) and whatever the record gains later stay inside.
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
    /** Bumped by every write of the order: a client keeps the fresher of two views by it. */
    version: order.version,
    ...(order.confirmedAt ? { confirmedAt: order.confirmedAt } : {}),
    ...(order.dispatchedAt ? { dispatchedAt: order.dispatchedAt } : {}),
    ...(order.deliveredAt ? { deliveredAt: order.deliveredAt } : {}),
    ...(order.deliveredGrams !== undefined ? { deliveredGrams: order.deliveredGrams } : {}),
    ...(order.completedAt ? { completedAt: order.completedAt } : {}),
    ...(order.cancelReason ? { cancelReason: order.cancelReason } : {}),
    ...(order.disputeNote ? { disputeNote: order.disputeNote } : {}),
    ...(order.number ? { number: order.number } : {}),
    ...(order.delivery ? { delivery: { mode: order.delivery.mode, address: order.delivery.address } } : {}),
    ...(order.slot ? { slot: { from: order.slot.from, to: order.slot.to } } : {}),
    ...(order.brokered ? { brokered: true } : {}),
    ...(order.timeline ? { timeline: order.timeline.map(timelineStepView) } : {}),
    ...(order.standing
      ? {
          standing: {
            standingOrderId: order.standing.standingOrderId,
            date: order.standing.date,
            baseGrams: order.standing.baseGrams,
            maxExtraGrams: order.standing.maxExtraGrams,
            extraPriceFenPerKg: order.standing.extraPriceFenPerKg,
          },
        }
      : {}),
    ...(order.declineReason ? { declineReason: order.declineReason } : {}),
  };
}
export type OrderView = ReturnType<typeof orderView> & { contacts?: OrderContacts };

const timelineStepView = (step: TimelineEntry) => ({
  status: step.status as Exclude<TimelineEntry['status'], 'failed'>,
  at: step.at,
  ...(step.side ? { side: step.side } : {}),
  ...(step.userId ? { userId: step.userId } : {}),
  ...(step.viaBroker ? { viaBroker: true } : {}),
  ...(step.note ? { note: step.note } : {}),
});

/** GET /orders/:id: the order with both parties' phones (the service shows it to the parties and the chamber only). */
export const orderDetailView = ({ order, contacts }: { order: OrderRecord; contacts: OrderContacts }): OrderView => ({
  ...orderView(order),
  contacts,
});

/** The answer to a trade (accept, clock take): the order, and the lot after it took its stock. */
export const tradeView = ({ order, lot }: { order: OrderRecord; lot: LotView | null }) => ({
  order: orderView(order),
  ...(lot ? { lot } : {}),
});

/** Compile-time: an OrderView, as JSON, is exactly the `Order` the API documents (shared/schemas/market-views.ts). */
const _orderViewIsTheWireOrder: SerialisesTo<OrderView, Order> = true;
