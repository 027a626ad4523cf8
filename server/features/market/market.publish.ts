/**
 * Market events → socket rooms: the organisations involved (seller, and buyer when there is one)
 * and the chamber, which watches stock at risk. A feed of new lots for every restaurant needs a
 * room all traders join; that belongs to the realtime layer and is not there yet.
 */
import type { MarketUpdate } from '../../../shared/schemas/market';
import type { Publisher } from '../../realtime/hub';
import type { Clock, MarketEvent, Publish } from './market.types';

/** Dates become ISO strings, as over HTTP. */
const plain = (value: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

export function marketPublisher(hub: Publisher, clock: Clock): Publish {
  return (event: MarketEvent) => {
    const update: MarketUpdate = {
      type: event.type,
      ...(event.lotId ? { lotId: event.lotId } : {}),
      ...(event.offerId ? { offerId: event.offerId } : {}),
      ...(event.orderId ? { orderId: event.orderId } : {}),
      ...(event.productCode ? { productCode: event.productCode } : {}),
      data: plain(event.data),
      at: clock().toISOString(),
    };
    const orgs = new Set([event.sellerOrgId, event.buyerOrgId].filter((id): id is string => Boolean(id)));
    for (const org of orgs) hub.toOrganisation(org, 'market:update', update);
    hub.toChamber('market:update', update);
  };
}
