import type { Offer } from './market-types';

const isLive = (o: Pick<Offer, 'status'>): boolean => o.status === 'open' || o.status === 'countered';

/**
 * One side's offers as its "my bids" page shows them: those waiting for this side's answer (a
 * counter, a sell offer to its request), those waiting for the other side, and the newest closed.
 * Keeps the given order (the store keeps offers newest first).
 */
export function groupOffers<T extends Pick<Offer, 'status' | 'turn'>>(
  offers: readonly T[],
  side: 'buyer' | 'seller',
  closedShown = 30,
) {
  return {
    yourTurn: offers.filter((o) => isLive(o) && o.turn === side),
    theirTurn: offers.filter((o) => isLive(o) && o.turn !== side),
    closed: offers.filter((o) => !isLive(o)).slice(0, closedShown),
  };
}
