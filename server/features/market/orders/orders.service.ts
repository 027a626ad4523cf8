/** Orders after the sale: listing, and the dispatch → deliver → complete / cancel / dispute transitions. */
import {
  applyOrderAction,
  checkDeliveryEdit,
  DISPUTE_WINDOW_MS,
  withTimeline,
  type DeliverySlot,
  type OrderAction,
  type OrderDelivery,
  type OrderStatus,
} from '../../../../shared/domain/orders';
import type { Side } from '../../../../shared/domain/offers';
import { listProducts } from '../../../../shared/domain/catalogue';
import { MAX_PAGE_LIMIT, pageOf, type Page } from '../../../../shared/domain/paging';
import type { ListOrdersQuery } from '../../../../shared/schemas/market';
import type { Logger } from '../../../logger';
import type { LotsRepository } from '../lots/lots.repository';
import { lotView } from '../lots/lots.views';
import { forbidden, notFound, type Now, type Publish, type Trader } from '../kernel/market.types';
import { orderSortKey, type OrderRecord, type OrdersRepository } from './orders.repository';
import { orderView } from './orders.views';
import { noContacts, type OrderContacts, type OrganisationContact } from './order-details';
import type { Failed, Result } from '../../../outcome';
import { marketFail, refusedBy } from '../kernel/market.failures';

/** Products whose Chinese or English name contains `text` ("香菇" → shiitake; "mushroom" → every mushroom). */
function productCodesNamed(text: string): string[] {
  const wanted = text.toLowerCase();
  return listProducts()
    .filter((p) => p.nameZh.includes(text) || p.nameEn.toLowerCase().includes(wanted) || p.code.includes(wanted))
    .map((p) => p.code);
}

export interface OrdersServiceDeps {
  lots: LotsRepository;
  orders: OrdersRepository;
  now: Now;
  publish: Publish;
  logger?: Pick<Logger, 'error'>;
  /**
   * Runs after an order is cancelled (the market gives its grams back to the demand it filled). Must be
   * idempotent per order: the cancellation stands even if it fails, and the sweep repairs what it missed.
   */
  onOrderCancelled?: (order: OrderRecord) => Promise<void>;
  /** Phones for an order's detail (the parties and the chamber only); default: none known. */
  contact?: OrganisationContact;
}

export interface DeliveryEdit {
  mode?: OrderDelivery['mode'];
  address?: string;
  slot?: DeliverySlot;
}

export type OrderOutcome = { ok: true; order: OrderRecord } | Failed;
type ActionFor = (side: Side) => OrderAction;

const MAX_ATTEMPTS = 5;

export function createOrdersService(deps: OrdersServiceDeps) {
  const { orders, lots, publish } = deps;

  const sideOf = (trader: Trader, order: OrderRecord): Side | undefined =>
    trader.organisationId === order.buyerOrgId
      ? 'buyer'
      : trader.organisationId === order.sellerOrgId
        ? 'seller'
        : undefined;

  async function runOrderCancelledHook(order: OrderRecord): Promise<void> {
    try {
      await deps.onOrderCancelled?.(order);
    } catch (err) {
      deps.logger?.error({ err, orderId: order.id }, 'order-cancelled hook failed; the sweep will repair it');
    }
  }

  /**
   * `receiptKey`: the deliver (确认收货) step's Idempotency-Key. A phone that confirmed receipt offline sends it
   * from its outbox on reconnect, maybe more than once (a lost answer, two tabs): the same key answers the
   * order as it stands, and is written in the same conditional update as the step, so it happens once.
   */
  async function transition(
    trader: Trader,
    orderId: string,
    actionFor: ActionFor,
    receiptKey?: string,
  ): Promise<OrderOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const order = await orders.findById(orderId);
      if (!order || order.status === 'pending' || order.status === 'failed') return notFound('Order');
      const side = sideOf(trader, order);
      if (!side) return forbidden('Only the buyer and the seller of this order may change it');
      if (receiptKey !== undefined && order.receiptKey === receiptKey) return { ok: true, order };
      const action = actionFor(side);
      const result = applyOrderAction(order, action, deps.now());
      if (!result.ok) return refusedBy(result);
      const next = {
        ...result.order,
        ...(receiptKey !== undefined ? { receiptKey } : {}),
        timeline: withTimeline(order.timeline, {
          status: result.order.status,
          at: deps.now(),
          side,
          userId: trader.userId,
          ...(trader.viaBroker ? { viaBroker: true } : {}),
        }),
      };
      const saved = await orders.save(next, order.version);
      if (!saved) continue;
      // Cancelled before dispatch: the stock goes back on sale (or to spoilage if the lot expired).
      const released = result.releaseGrams > 0 ? await lots.release(saved.lotId, saved.id, deps.now()) : null;
      if (saved.status === 'cancelled') await runOrderCancelledHook(saved);
      publish({
        type: 'order:updated',
        lotId: saved.lotId,
        orderId: saved.id,
        buyerOrgId: saved.buyerOrgId,
        sellerOrgId: saved.sellerOrgId,
        // The lot only when it changed (stock back on sale): the board hears of that one, not of a dispatch.
        data: { order: orderView(saved), ...(released ? { lot: lotView(released, deps.now()) } : {}) },
      });
      return { ok: true, order: saved };
    }
    return marketFail('CONCURRENT_UPDATE', 'The order changed while we were saving; please retry');
  }

  async function get(trader: Trader, orderId: string): Promise<OrderOutcome> {
    const order = await orders.findById(orderId);
    // The two parties, and the chamber (which oversees the market and brokers); a third organisation: not found.
    const mayRead = order && (sideOf(trader, order) || trader.kind === 'chamber');
    if (!order || !mayRead || order.status === 'pending' || order.status === 'failed') return notFound('Order');
    return { ok: true, order };
  }

  /** One page of orders (keyset paging, shared/domain/paging.ts). */
  async function page(trader: Trader, query: ListOrdersQuery): Promise<Page<OrderRecord>> {
    const rows = await orders.list({
      // The chamber oversees the whole market (read-only); traders see the orders they are party to.
      ...(trader.kind === 'chamber' ? {} : { orgId: trader.organisationId }),
      ...(query.status ? { status: query.status } : {}),
      ...(query.lotId ? { lotId: query.lotId } : {}),
      ...(query.q ? { search: { productCodes: productCodesNamed(query.q), text: query.q } } : {}),
      sort: query.sort,
      ...(query.cursor ? { after: query.cursor } : {}),
      limit: query.limit + 1,
    });
    return pageOf(rows, query.limit, (order) => ({
      sort: query.sort,
      keys: [orderSortKey(query.sort, order)],
      id: order.id,
    }));
  }

  return {
    page,
    /** The first orders, newest first (the service's callers in-process; HTTP reads pages). */
    async list(trader: Trader, filter: { status?: OrderStatus; lotId?: string }): Promise<OrderRecord[]> {
      return (await page(trader, { sort: 'newest', limit: MAX_PAGE_LIMIT, ...filter })).items;
    },

    get,

    /** The order with both parties' phones: for its two parties and the chamber only (as `get`). */
    async detail(trader: Trader, orderId: string): Promise<Result<{ order: OrderRecord; contacts: OrderContacts }>> {
      const found = await get(trader, orderId);
      if (!found.ok) return found;
      const contact = deps.contact ?? noContacts;
      const [buyer, seller] = await Promise.all([contact(found.order.buyerOrgId), contact(found.order.sellerOrgId)]);
      return {
        ok: true,
        order: found.order,
        contacts: {
          ...(buyer ? { buyerPhone: buyer.phone } : {}),
          ...(seller ? { sellerPhone: seller.phone } : {}),
        },
      };
    },

    /** Either party changes where the goods go or the slot, until dispatch; the step joins the timeline. */
    async editDelivery(trader: Trader, orderId: string, edit: DeliveryEdit): Promise<OrderOutcome> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const order = await orders.findById(orderId);
        if (!order || order.status === 'pending' || order.status === 'failed') return notFound('Order');
        const side = sideOf(trader, order);
        if (!side) return forbidden('Only the buyer and the seller of this order may change it');
        const checked = checkDeliveryEdit(order, edit);
        if (!checked.ok) return refusedBy(checked);
        const now = deps.now();
        const mode = edit.mode ?? order.delivery?.mode ?? 'delivery';
        const address = edit.address?.trim() ?? order.delivery?.address;
        if (!address) return marketFail('INVALID_ADDRESS', 'Give the address', { field: 'address' });
        const saved = await orders.save(
          {
            ...order,
            delivery: { mode, address },
            ...(edit.slot ? { slot: edit.slot } : {}),
            updatedAt: now,
            timeline: withTimeline(order.timeline, {
              status: 'edited',
              at: now,
              side,
              userId: trader.userId,
              ...(trader.viaBroker ? { viaBroker: true } : {}),
              note: 'delivery',
            }),
          },
          order.version,
        );
        if (!saved) continue;
        publish({
          type: 'order:updated',
          lotId: saved.lotId,
          orderId: saved.id,
          buyerOrgId: saved.buyerOrgId,
          sellerOrgId: saved.sellerOrgId,
          data: { order: orderView(saved) },
        });
        return { ok: true, order: saved };
      }
      return marketFail('CONCURRENT_UPDATE', 'The order changed while we were saving; please retry');
    },

    /** The sweep: delivered orders nobody disputed within 24 h complete by themselves. */
    async completeUndisputed(batch = 200): Promise<number> {
      const now = deps.now();
      let completed = 0;
      for (const order of await orders.findDeliveredBefore(new Date(now.getTime() - DISPUTE_WINDOW_MS), batch)) {
        const result = applyOrderAction(order, { type: 'complete', side: 'system' }, now);
        if (!result.ok) continue;
        const saved = await orders.save(result.order, order.version);
        if (!saved) continue;
        completed++;
        publish({
          type: 'order:updated',
          lotId: saved.lotId,
          orderId: saved.id,
          buyerOrgId: saved.buyerOrgId,
          sellerOrgId: saved.sellerOrgId,
          data: { order: orderView(saved) },
        });
      }
      return completed;
    },

    dispatch: (trader: Trader, orderId: string) => transition(trader, orderId, (side) => ({ type: 'dispatch', side })),
    deliver: (trader: Trader, orderId: string, deliveredGrams: number, idempotencyKey?: string) =>
      transition(trader, orderId, (side) => ({ type: 'deliver', side, deliveredGrams }), idempotencyKey),
    complete: (trader: Trader, orderId: string) => transition(trader, orderId, (side) => ({ type: 'complete', side })),
    cancel: (trader: Trader, orderId: string, reason: string) =>
      transition(trader, orderId, (side) => ({ type: 'cancel', side, reason })),
    dispute: (trader: Trader, orderId: string, note: string) =>
      transition(trader, orderId, (side) => ({ type: 'dispute', side, note })),
    /** The farm turns down a standing order's proposed order, with a reason. */
    decline: (trader: Trader, orderId: string, reason: string) =>
      transition(trader, orderId, (side) => ({ type: 'decline', side, reason })),
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
