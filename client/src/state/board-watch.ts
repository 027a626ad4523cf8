/**
 * The board's choice of product and region, and what it means for the socket: `market:watch` narrows the
 * live updates to the chosen product, region, or that product from that region (docs/market-client.md).
 * DOM-free; MarketStore keeps the choice, main.tsx re-sends it on every connect.
 */
import { isProductCode } from '../../../shared/domain/catalogue';
import type { Ack } from '../../../shared/events';
import type { MarketWatchPayload, MarketWatching } from '../../../shared/schemas/market-watch';
import type { Lot } from './market-types';

/** null = every product / every region. */
export interface BoardFilter {
  productCode: string | null;
  region: string | null;
}
export const WHOLE_MARKET: BoardFilter = { productCode: null, region: null };

/** The socket as the board's watch uses it (client/src/socket.ts); a fake in tests. */
export interface WatchChannel {
  watch(payload: MarketWatchPayload): Promise<Ack<{ watching: MarketWatching }>>;
}

/** A product the catalogue no longer has cannot be watched by name; the board then hears that region (or all). */
export const watchPayloadOf = ({ productCode, region }: BoardFilter): MarketWatchPayload => ({
  ...(productCode && isProductCode(productCode) ? { productCodes: [productCode] } : {}),
  ...(region ? { regions: [region] } : {}),
});

/** Whether `next` lets through lots `before` did not: updates for those were not heard, so the board is re-read. */
export const widens = (before: BoardFilter, next: BoardFilter): boolean =>
  (before.productCode !== null && before.productCode !== next.productCode) ||
  (before.region !== null && before.region !== next.region);

export const visibleLots = (board: readonly Lot[], { productCode, region }: BoardFilter): Lot[] =>
  board.filter(
    (l) => (productCode === null || l.productCode === productCode) && (region === null || l.region === region),
  );

/** The regions of the lots on the board, in Chinese collation; lots from before regions were kept have none. */
export const boardRegions = (board: readonly Lot[]): string[] =>
  [...new Set(board.map((l) => l.region).filter((r): r is string => Boolean(r)))].sort((a, b) =>
    a.localeCompare(b, 'zh-CN'),
  );
