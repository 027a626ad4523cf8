/**
 * Keeps the ledger in step with the market without the market knowing about the desk:
 * app.ts hands this listener the market's events.
 *  - `order:confirmed` for an order made from an offer in which a broker acted
 *    (an offer step with viaBroker: true) → recordFacilitatedOrder, idempotent per order;
 *  - `order:updated` to `cancelled` → voidFacilitatedOrder.
 * Events are in-process and not persisted: a crash between the order's confirmation and the
 * ledger write loses the entry. The intended final wiring is a direct, awaited call from the
 * market's settle step (offers.service.ts settleAccepted → recordFacilitatedOrder), which is
 * idempotent per order and may run alongside this listener.
 */
import { DIRECT_PROCUREMENT } from '../../../shared/domain/desk/ledger';
import type { Order } from '../../../shared/domain/orders';
import type { Logger } from '../../logger';
import type { LotsRepository } from '../lots/lots.repository';
import type { MarketEvent } from '../market/market.types';
import type { OfferRecord, OffersRepository } from '../offers/offers.repository';
import type { OrdersRepository } from '../orders/orders.repository';
import type { LedgerService } from '../ledger/ledger.service';

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
      deps.logger?.error({ orderId: order.id, reason: result.reason }, 'ledger: could not record a brokered order');
      return 'failed';
    }
    return 'recorded';
  }

  async function handle(event: MarketEvent): Promise<void> {
    if (!event.orderId) return;
    if (event.type === 'order:confirmed') {
      const order = await orders.findById(event.orderId);
      if (order && order.status !== 'pending' && order.status !== 'failed') await recordIfBrokered(order);
    } else if (event.type === 'order:updated') {
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

export type MarketEventListener = ReturnType<typeof createMarketEventListener>;
