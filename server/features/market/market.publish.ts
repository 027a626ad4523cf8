/**
 * Market events → socket rooms: the organisations involved (seller, and buyer when there is one)
 * and the chamber, which watches stock at risk. Lot-level changes also go to the market board (except the
 * organisations involved and the chamber, who already heard the full event): to the whole-market room and
 * to the rooms of the lot's product and region (market.rooms.ts `boardRoomsFor`), so a socket that watches
 * only some products or regions hears only those. Every lot event carries `data.lot`, the lot as
 * GET /api/lots/:id shows it, so watchers apply it without asking again. For orders the board hears only
 * the lot they changed (`lot:updated` with `data.lot`), never who bought or at what price; an order change
 * that leaves the lot as it was (dispatch, delivery) is not a board event.
 */
import type { MarketEventType, MarketUpdate } from '../../../shared/schemas/market';
import type { Publisher } from '../../realtime/hub';
import { boardRoomsFor, type BoardPlace } from './market.rooms';
import type { Logger } from '../../logger';
import type { Now, MarketEvent, Publish } from './kernel/market.types';

const BOARD_EVENTS: ReadonlySet<MarketEventType> = new Set<MarketEventType>([
  'lot:posted',
  'lot:withdrawn',
  'lot:clock',
  'lot:expired',
  'lot:edited',
]);

/** A lot's product and region (app.ts: read from the lots repository); null when there is no such lot. */
type PlaceOfLot = (lotId: string) => Promise<BoardPlace | null>;

export interface MarketPublisherOptions {
  /** For events that do not say where their lot is (orders, expiries): without it they reach only the whole-market room and, if known, the product's. */
  placeOfLot?: PlaceOfLot;
  logger?: Pick<Logger, 'warn'>;
}

/** A lot's product and region never change, so they can be remembered; bounded, oldest forgotten first. */
const PLACES_REMEMBERED = 10_000;

/** Dates become ISO strings, as over HTTP. */
const plain = (value: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

const regionIn = (data: Record<string, unknown>): string | undefined => {
  const lot = data.lot as { region?: unknown } | undefined;
  return typeof lot?.region === 'string' ? lot.region : undefined;
};

export function marketPublisher(
  hub: Publisher,
  now: Now,
  { placeOfLot, logger }: MarketPublisherOptions = {},
): Publish {
  const places = new Map<string, BoardPlace>();
  const remember = (lotId: string, place: BoardPlace) => {
    if (places.size >= PLACES_REMEMBERED) places.delete(places.keys().next().value as string);
    places.set(lotId, place);
  };
  async function placeOf(event: MarketEvent): Promise<BoardPlace> {
    const region = event.region ?? regionIn(event.data);
    const stated: BoardPlace = {
      ...(event.productCode ? { productCode: event.productCode } : {}),
      ...(region ? { region } : {}),
    };
    if (!event.lotId) return stated;
    if (stated.productCode && stated.region) {
      remember(event.lotId, stated);
      return stated;
    }
    const known = places.get(event.lotId);
    if (known || !placeOfLot) return known ?? stated;
    try {
      const found = await placeOfLot(event.lotId);
      if (!found) return stated;
      remember(event.lotId, found);
      return found;
    } catch (err) {
      // The update still reaches the whole-market room (and the product's, when the event names it).
      logger?.warn(
        { err, lotId: event.lotId },
        'could not find where a lot is; board update sent to the whole market only',
      );
      return stated;
    }
  }
  /** Board updates go out one after another, in the order they were published, even when one waits for a lookup. */
  let board: Promise<void> = Promise.resolve();
  const toBoard = (event: MarketEvent, orgs: string[], boardUpdate: (place: BoardPlace) => MarketUpdate) => {
    board = board
      .then(async () => {
        const place = await placeOf(event);
        hub.toPublicRooms(boardRoomsFor(place), 'market:update', boardUpdate(place), orgs);
      })
      // One failed emit must not stop the ones queued after it.
      .catch((err: unknown) => logger?.warn({ err, lotId: event.lotId }, 'board update not sent'));
  };

  return (event: MarketEvent) => {
    const update: MarketUpdate = {
      type: event.type,
      ...(event.lotId ? { lotId: event.lotId } : {}),
      ...(event.offerId ? { offerId: event.offerId } : {}),
      ...(event.orderId ? { orderId: event.orderId } : {}),
      ...(event.productCode ? { productCode: event.productCode } : {}),
      ...(event.region ? { region: event.region } : {}),
      data: plain(event.data),
      at: now().toISOString(),
    };
    const orgs = [...new Set([event.sellerOrgId, event.buyerOrgId].filter((id): id is string => Boolean(id)))];
    for (const org of orgs) hub.toOrganisation(org, 'market:update', update);
    hub.toChamber('market:update', update);
    const placed = (u: MarketUpdate, place: BoardPlace): MarketUpdate => ({
      ...u,
      ...(place.productCode ? { productCode: place.productCode } : {}),
      ...(place.region ? { region: place.region } : {}),
    });
    if (BOARD_EVENTS.has(event.type)) toBoard(event, orgs, (place) => placed(update, place));
    else if (event.lotId && update.data.lot && (event.type === 'order:confirmed' || event.type === 'order:updated')) {
      // Only the lot's public view, which the board applies as it is: no refetch by every watcher.
      const lotId = event.lotId;
      const data = { lot: update.data.lot };
      toBoard(event, orgs, (place) => placed({ type: 'lot:updated', lotId, data, at: update.at }, place));
    }
  };
}
