/**
 * Keeps the ledger in step with the market without the market knowing about the desk (desk index.ts
 * subscribes these to the market area):
 *  - recordIfBrokered, awaited by the market's settle step for every confirmed order (onOrderConfirmed):
 *    an order made from an offer in which a broker acted (an offer step with viaBroker: true) →
 *    recordFacilitatedOrder, idempotent per order; a failure makes the sweep call it again. This is the
 *    one path from a confirmed brokered order into the ledger.
 *  - onMarketEvent: `order:updated` to `cancelled` → voidFacilitatedOrder.
 */
import { DIRECT_PROCUREMENT } from '../../../shared/domain/desk/ledger';
import type { Order } from '../../../shared/domain/orders';
import type { Logger } from '../../logger';
import type { LotsRepository, MarketEvent, OfferRecord, OffersRepository, OrdersRepository } from '../market';
import type { LedgerService } from './ledger/ledger.service';

export interface MarketEventsDeps {
  ledger: LedgerService;
  lots: Pick<LotsRepository, 'findById'>;
  offers: Pick<OffersRepository, 'findById'>;
  orders: Pick<OrdersRepository, 'findById'>;
  now: () => Date;
  logger?: Pick<Logger, 'error'>;
  /** Whether the organisation is the chamber: its own purchases are direct procurement (农副产品直接采购). */
  isChamber?: (organisationId: string) => Promise<boolean>;
}

/** The chamber user who made the chamber's own bid (the buyer side's first step). */
function chamberBuyerStepOf(offer: Pick<OfferRecord, 'history'>): { userId: string; at: Date } | null {
  const step = offer.history.find((s) => s.side === 'buyer' && s.userId && !s.viaBroker);
  return step?.userId ? { userId: step.userId, at: step.at } : null;
}

/** The last broker step in the negotiation: who brokered the deal, and when. */
export function brokerStepOf(offer: Pick<OfferRecord, 'history'>): { userId: string; at: Date } | null {
  for (let i = offer.history.length - 1; i >= 0; i--) {
    const step = offer.history[i];
    if (step.viaBroker && step.userId) return { userId: step.userId, at: step.at };
  }
  return null;
}

export function createMarketEventListener(deps: MarketEventsDeps) {
  const { ledger, lots, offers, orders, now } = deps;

  async function recordIfBrokered(order: Order): Promise<'recorded' | 'not_brokered' | 'failed'> {
    if (!order.offerId) return 'not_brokered';
    const offer = await offers.findById(order.offerId);
    const direct = offer && (await deps.isChamber?.(order.buyerOrgId)) ? chamberBuyerStepOf(offer) : null;
    const broker = direct ?? (offer ? brokerStepOf(offer) : null);
    if (!broker) return 'not_brokered';
    const lot = await lots.findById(order.lotId);
    if (!lot) return 'failed';
    const result = await ledger.recordFacilitatedOrder(
      order,
      {
        brokerUserId: broker.userId,
        lotExpiresAt: lot.expiresAt,
        brokeredAt: broker.at,
        ...(direct ? { programme: DIRECT_PROCUREMENT } : {}),
      },
      now(),
    );
    if (!result.ok) {
      deps.logger?.error({ orderId: order.id, reason: result.error.code }, 'ledger: could not record a brokered order');
      return 'failed';
    }
    return 'recorded';
  }

  async function handle(event: MarketEvent): Promise<void> {
    if (!event.orderId) return;
    // A confirmed order reaches the ledger by one path only: recordIfBrokered, awaited in the market's
    // settle step (desk index.ts subscribes it to onOrderConfirmed), so a crash cannot lose the entry.
    if (event.type === 'order:updated') {
      const order = await orders.findById(event.orderId);
      if (order?.status === 'cancelled')
        await ledger.voidFacilitatedOrder(order.id, order.cancelReason ?? 'order cancelled', now());
    }
  }

  return {
    /** Returns a promise (tests await it); as a market `publish` callback its rejection is logged, never thrown into the market. */
    onMarketEvent(event: MarketEvent): Promise<void> {
      return handle(event).catch((err: unknown) => {
        deps.logger?.error({ err, event: event.type, orderId: event.orderId }, 'ledger: market event failed');
      });
    },
    recordIfBrokered,
  };
}
