/**
 * Standing orders become orders. Each occurrence of an ACTIVE standing order naming a farm becomes a
 * *proposed* order `leadHours` before it is due; the farm confirms it from one of its lots (the base up to
 * the tolerance) or declines it with a reason (orders.service.ts `decline`).
 *
 * Several processes may generate at once: the proposed order's `_id` is deterministic from
 * `standing:<standingOrderId>:<date>` (standing-orders.ts `occurrenceKey`), so the second insert collides
 * on the unique `_id` and nothing is made twice; an occurrence that already has an order is skipped before a
 * number is drawn.
 *
 * Confirming reuses the reservation protocol (reservation.ts) without a new order:
 *  1. proposed → pending with the farm's lot, quantity and total, conditional on the order's version
 *     (of two confirms, or a confirm and a decline, exactly one lands);
 *  2. the lot's one conditional update takes the stock (never oversold: `remainingGrams >= q`);
 *  3. reserved → confirmed (number, address, slot written with it). Not reserved → back to proposed, so the
 *     farm may name another lot. Crash between 1 and 3: the sweep's recoverPendingOrders fences the lot for
 *     the order and then confirms it (the reservation exists) or puts it back to proposed (it does not).
 */
import { shanghaiInstant } from '../../../../shared/domain/calendar';
import { applyPercent } from '../../../../shared/domain/units';
import {
  checkProposalConfirm,
  occurrenceKey,
  occurrencesToPropose,
  proposalTotalFen,
} from '../../../../shared/domain/standing-orders';
import type { StandingOrderRecord } from '../demand/demand.repository';
import type { LotsRepository } from '../lots/lots.repository';
import { lotView } from '../lots/lots.views';
import { deterministicId } from '../kernel/market.ids';
import {
  forbidden,
  notFound,
  type Now,
  type OrganisationName,
  type Publish,
  type Trader,
} from '../kernel/market.types';
import { nextOrderNumber, type OrganisationContact } from './order-details';
import type { OrderRecord, OrdersRepository } from './orders.repository';
import { orderView } from './orders.views';
import type { Failed } from '../../../outcome';
import { marketFail, refusedBy } from '../kernel/market.failures';

/** Active standing orders read per generation (the oldest first); more wait for the next sweep. */
const GENERATION_BATCH = 500;
/** The slot a standing order's delivery gets: the two hours before it is due. */
const SLOT_MS = 2 * 3_600_000;

export interface StandingFillDeps {
  lots: LotsRepository;
  orders: OrdersRepository;
  listActiveStanding: (limit: number) => Promise<StandingOrderRecord[]>;
  now: Now;
  publish: Publish;
  leadHours: number;
  organisationName?: OrganisationName;
  contact: OrganisationContact;
}

export function createStandingFill(deps: StandingFillDeps) {
  const { orders, lots, publish } = deps;

  const announce = (type: 'order:proposed' | 'order:confirmed' | 'order:updated', order: OrderRecord, lot?: unknown) =>
    publish({
      type,
      ...(order.lotId ? { lotId: order.lotId } : {}),
      orderId: order.id,
      buyerOrgId: order.buyerOrgId,
      sellerOrgId: order.sellerOrgId,
      data: { order: orderView(order), ...(lot ? { lot } : {}) },
    });

  async function propose(standing: StandingOrderRecord, date: string, dueAt: Date, now: Date): Promise<boolean> {
    const sellerOrgId = standing.sellerOrgId;
    if (!sellerOrgId) return false;
    const key = occurrenceKey(standing.id, date);
    const id = deterministicId(key);
    if (await orders.findById(id)) return false;
    const extraPriceFenPerKg = applyPercent(standing.priceFenPerKg, -(standing.tolerance?.discountPercent ?? 0));
    const baseGrams = standing.gramsPerOccurrence;
    const maxExtraGrams = standing.tolerance ? Math.floor((baseGrams * standing.tolerance.extraPercent) / 100) : 0;
    const [buyerName, sellerName, buyer] = await Promise.all([
      deps.organisationName?.(standing.buyerOrgId),
      deps.organisationName?.(sellerOrgId),
      deps.contact(standing.buyerOrgId),
    ]);
    const { inserted, order } = await orders.insertProposed({
      id,
      key,
      lotId: '',
      source: 'standing_order',
      buyerOrgId: standing.buyerOrgId,
      sellerOrgId,
      ...(buyerName ? { buyerName } : {}),
      ...(sellerName ? { sellerName } : {}),
      productCode: standing.productCode,
      quantityGrams: baseGrams,
      priceFenPerKg: standing.priceFenPerKg,
      totalFen: proposalTotalFen(baseGrams, { baseGrams, priceFenPerKg: standing.priceFenPerKg, extraPriceFenPerKg }),
      status: 'proposed',
      createdAt: now,
      updatedAt: now,
      number: await nextOrderNumber(orders, now),
      ...(buyer ? { delivery: { mode: 'delivery' as const, address: buyer.address } } : {}),
      slot: { from: new Date(dueAt.getTime() - SLOT_MS), to: dueAt },
      timeline: [{ status: 'proposed', at: now, side: 'system' }],
      standing: { standingOrderId: standing.id, date, baseGrams, maxExtraGrams, extraPriceFenPerKg },
    });
    if (inserted) announce('order:proposed', order);
    return inserted;
  }

  return {
    /** The sweep's step: proposed orders for every occurrence due within the lead time. Returns how many it made. */
    async generate(): Promise<number> {
      const now = deps.now();
      let made = 0;
      for (const standing of await deps.listActiveStanding(GENERATION_BATCH)) {
        for (const occurrence of occurrencesToPropose(standing, now, deps.leadHours)) {
          if (await propose(standing, occurrence.date, occurrence.dueAt, now)) made++;
        }
      }
      return made;
    },

    /** The farm fills a proposed order with `quantityGrams` from its lot `lotId`. */
    async confirm(
      trader: Trader,
      orderId: string,
      body: { lotId: string; quantityGrams: number },
    ): Promise<{ ok: true; order: OrderRecord } | Failed> {
      const order = await orders.findById(orderId);
      if (!order || order.status === 'pending' || order.status === 'failed') return notFound('Order');
      if (trader.organisationId !== order.sellerOrgId) {
        return trader.organisationId === order.buyerOrgId
          ? marketFail('WRONG_SIDE', 'Only the farm confirms a proposed order')
          : forbidden('Only the farm of this order may confirm it');
      }
      if (order.status !== 'proposed' || !order.standing)
        return marketFail('WRONG_STATUS', `The order is ${order.status}`, { details: { status: order.status } });
      const lot = await lots.findById(body.lotId);
      if (!lot) return notFound('Lot', 'lotId');
      if (lot.sellerOrgId !== order.sellerOrgId)
        return marketFail('NOT_FROM_LOT', 'Name one of your own lots', { field: 'lotId' });
      const now = deps.now();
      const dueAt = order.slot?.to ?? shanghaiInstant(order.standing.date, '10:00');
      const checked = checkProposalConfirm(
        {
          productCode: order.productCode,
          dueAt,
          baseGrams: order.standing.baseGrams,
          maxExtraGrams: order.standing.maxExtraGrams,
        },
        lot,
        body.quantityGrams,
        now,
      );
      if (!checked.ok) return refusedBy({ ...checked, field: checked.field ?? 'lotId' });
      const totalFen = proposalTotalFen(body.quantityGrams, {
        baseGrams: order.standing.baseGrams,
        priceFenPerKg: order.priceFenPerKg,
        extraPriceFenPerKg: order.standing.extraPriceFenPerKg,
      });
      // 1. claim: proposed → pending with the terms (one of two racing confirms or a decline lands)
      const claimed = await orders.claimProposal(order.id, order.version, {
        lotId: lot.id,
        quantityGrams: body.quantityGrams,
        totalFen,
        updatedAt: now,
      });
      if (!claimed) return marketFail('CONCURRENT_UPDATE', 'The order changed meanwhile; reload it');
      // 2. the lot's one conditional update
      const reserved = await lots.reserve(lot.id, claimed.id, body.quantityGrams, now);
      if (!reserved) {
        await orders.revertToProposed(claimed.id, deps.now());
        const fresh = await lots.findById(lot.id);
        const details = fresh ? { details: { remainingGrams: fresh.remainingGrams } } : {};
        return fresh && fresh.status === 'open'
          ? marketFail('NOT_ENOUGH_LEFT', `Only ${fresh.remainingGrams} g left in the lot`, {
              field: 'quantityGrams',
              ...details,
            })
          : marketFail('LOT_NOT_OPEN', 'The lot is no longer open', { field: 'lotId', ...details });
      }
      // 3. confirmed, with the farm's step on the timeline
      const confirmed = await orders.confirm(claimed.id, deps.now(), {
        step: {
          status: 'confirmed',
          at: deps.now(),
          side: 'seller',
          userId: trader.userId,
          ...(trader.viaBroker ? { viaBroker: true } : {}),
        },
      });
      if (!confirmed || confirmed.status !== 'confirmed')
        throw new Error(`order ${claimed.id} holds a reservation but is ${confirmed?.status ?? 'gone'}`);
      announce('order:confirmed', confirmed, lotView(reserved, deps.now()));
      return { ok: true, order: confirmed };
    },
  };
}

export type StandingFill = ReturnType<typeof createStandingFill>;
