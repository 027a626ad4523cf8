/**
 * The market board's rooms (the realtime layer knows rooms in general, the market knows these): the whole
 * board, and the product, region and product-in-region rooms a socket narrows it to with `market:watch`.
 */
import type { MarketWatching } from '../../../shared/schemas/market-watch';
import type { ConnectHook } from '../../area';

/**
 * The whole market board: new lots, withdrawals, clock sales, expiries, remaining stock. Every signed-in
 * socket starts here; `market:watch` (market.watch.ts) narrows it to the rooms below.
 */
export const MARKET_BOARD_ROOM = 'market:board';
export const boardProductRoom = (productCode: string) => `board:p:${productCode}`;
const boardRegionRoom = (region: string) => `board:r:${region}`;
/** Watching products and regions together means those products from those regions: one room per pair. */
export const boardPairRoom = (productCode: string, region: string) => `board:pr:${productCode}|${region}`;
export const isBoardRoom = (room: string) => room === MARKET_BOARD_ROOM || room.startsWith('board:');

/** Where on the board a lot is; either part may be unknown (lots posted before regions were kept). */
export interface BoardPlace {
  productCode?: string;
  region?: string;
}

/** Every room a board update about a lot at `place` goes to: a socket is in at most the ones it chose. */
export function boardRoomsFor({ productCode, region }: BoardPlace): string[] {
  return [
    MARKET_BOARD_ROOM,
    ...(productCode ? [boardProductRoom(productCode)] : []),
    ...(region ? [boardRegionRoom(region)] : []),
    ...(productCode && region ? [boardPairRoom(productCode, region)] : []),
  ];
}

/** The rooms a socket joins to watch `watching`: products, regions, or their pairs; nothing named = the whole market. */
export function boardRoomsWatching({ productCodes, regions }: MarketWatching): string[] {
  if (productCodes.length > 0 && regions.length > 0)
    return productCodes.flatMap((p) => regions.map((r) => boardPairRoom(p, r)));
  if (productCodes.length > 0) return productCodes.map(boardProductRoom);
  if (regions.length > 0) return regions.map(boardRegionRoom);
  return [MARKET_BOARD_ROOM];
}

/** Browsing is open to every signed-in user, verified or not: the whole board until `market:watch` narrows it. */
export const joinMarketBoard: ConnectHook = (socket, user) => {
  if (user && !user.mustChangePassword) void socket.join(MARKET_BOARD_ROOM);
};
