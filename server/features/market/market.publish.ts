/**
 * Market events → socket rooms: the organisations involved (seller, and buyer when there is one)
 * and the chamber, which watches stock at risk. Lot-level changes also go to the market board that
 * every signed-in user watches (except the organisations involved and the chamber, who already heard the
 * full event); for orders the board hears only that the lot changed (`lot:updated`), never who bought or
 * at what price.
 */
import type { MarketEventType, MarketUpdate } from '../../../shared/schemas/market';
import type { Publisher } from '../../realtime/hub';
import type { Clock, MarketEvent, Publish } from './market.types';

const BOARD_EVENTS: ReadonlySet<MarketEventType> = new Set<MarketEventType>(['lot:posted', 'lot:withdrawn', 'lot:clock', 'lot:expired']);

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
    if (BOARD_EVENTS.has(event.type)) hub.toMarketBoard('market:update', update, [...orgs]);
    else if (event.lotId && (event.type === 'order:confirmed' || event.type === 'order:updated')) {
      hub.toMarketBoard('market:update', {
        type: 'lot:updated',
        lotId: event.lotId,
        ...(event.productCode ? { productCode: event.productCode } : {}),
        data: {},
        at: update.at,
      }, [...orgs]);
    }
  };
}
