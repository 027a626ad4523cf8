/**
 * What makes an order deliverable, fixed when it is confirmed (or proposed, for a standing order):
 *  - a human number `XL-YYYYMMDD-NNNN` — the Shanghai day and that day's counter (one atomic $inc on a
 *    per-day counter document, so two orders confirmed at once never share a number; a number a lost race
 *    took is simply skipped);
 *  - where the goods go: delivered to the buyer (the demand asked for delivery, or the lot offers it) at the
 *    demand's address or else the buyer's registered address; otherwise picked up at the lot's pickup point
 *    or else the farm's registered address — editable by either party until dispatch;
 *  - the slot: the demand's window (at most a day, ending at its needed-by), a standing order's due time;
 *  - the "brokered by the chamber" mark: a broker took a step in the offer that made it;
 *  - the timeline's first step: who accepted, and when.
 * The wrapper below adds these to the repository's `confirm`, so every path that confirms an order (an
 * accept, a clock take, the sweep's recovery) writes them in the same update that confirms it.
 */
import { shanghaiDate } from '../../../../shared/domain/calendar';
import { formatOrderNumber, MAX_SLOT_MS, type Order, type TimelineEntry } from '../../../../shared/domain/orders';
import type { DemandRecord } from '../demand/demand.repository';
import type { LotsRepository } from '../lots/lots.repository';
import type { OffersRepository } from '../offers/offers.repository';
import type { ConfirmDetails, OrderRecord, OrdersRepository } from './orders.repository';

/** An organisation's contact phone and registered address as one line, or undefined when unknown. */
export type OrganisationContact = (organisationId: string) => Promise<{ phone: string; address: string } | undefined>;
export const noContacts: OrganisationContact = async () => undefined;

/** Both parties' phones, shown on an order's detail to its two parties and the chamber only. */
export interface OrderContacts {
  buyerPhone?: string;
  sellerPhone?: string;
}

export interface OrderDetailsDeps {
  orders: OrdersRepository;
  lots: Pick<LotsRepository, 'findById'>;
  offers: Pick<OffersRepository, 'findById'>;
  findDemand: (id: string) => Promise<DemandRecord | null>;
  contact: OrganisationContact;
}

/** The next order number of `now`'s Shanghai day. */
export async function nextOrderNumber(orders: Pick<OrdersRepository, 'nextNumberSeq'>, now: Date): Promise<string> {
  const day = shanghaiDate(now);
  return formatOrderNumber(day, await orders.nextNumberSeq(day.replaceAll('-', '')));
}

/** The slot a demand implies: its window, cut to the last day before its needed-by. */
function slotOfDemand(demand: Pick<DemandRecord, 'neededBy' | 'deliverFrom'>): Order['slot'] {
  const to = demand.neededBy;
  const earliest = to.getTime() - MAX_SLOT_MS;
  const from = new Date(Math.max(demand.deliverFrom?.getTime() ?? earliest, earliest));
  return { from, to };
}

export function createOrderDetails(deps: OrderDetailsDeps) {
  async function detailsFor(order: OrderRecord, now: Date): Promise<ConfirmDetails> {
    const offer = order.offerId ? await deps.offers.findById(order.offerId) : null;
    const demand = offer?.demandId ? await deps.findDemand(offer.demandId) : null;
    const lot = order.lotId ? await deps.lots.findById(order.lotId) : null;
    const accept = offer ? [...offer.history].reverse().find((s) => s.action === 'accept') : undefined;
    const brokered = offer?.history.some((s) => s.viaBroker) ?? false;

    let delivery = order.delivery;
    if (!delivery) {
      const toBuyer = demand?.deliveryRequired === true || (!!lot?.delivery && !lot.pickup);
      if (toBuyer) {
        const address = demand?.deliveryAddress ?? (await deps.contact(order.buyerOrgId))?.address;
        if (address) delivery = { mode: 'delivery', address };
      } else {
        const address = lot?.pickup?.address ?? (await deps.contact(order.sellerOrgId))?.address;
        if (address) delivery = { mode: 'pickup', address };
      }
    }
    const step: TimelineEntry = {
      status: 'confirmed',
      at: now,
      ...(accept && accept.side !== 'system' ? { side: accept.side } : {}),
      ...(accept?.userId ? { userId: accept.userId } : {}),
      ...(accept?.viaBroker ? { viaBroker: true } : {}),
    };
    return {
      ...(order.number ? {} : { number: await nextOrderNumber(deps.orders, now) }),
      ...(delivery && !order.delivery ? { delivery } : {}),
      ...(!order.slot && demand ? { slot: slotOfDemand(demand) } : {}),
      ...(brokered ? { brokered: true } : {}),
      step,
    };
  }

  return {
    detailsFor,
    /** The repository, with `confirm` writing the order's delivery details in the same update. */
    withDetails(orders: OrdersRepository): OrdersRepository {
      return {
        ...orders,
        async confirm(id, now, given) {
          const order = await orders.findById(id);
          if (!order || order.status !== 'pending') return order;
          return orders.confirm(id, now, { ...(await detailsFor(order, now)), ...given });
        },
      };
    },
  };
}
