import type { LotsRepository } from './lots/lots.repository';
import type { OrdersRepository } from './orders/orders.repository';

/** Lots looked at per sweep; the rest wait for the next one. */
const BATCH = 200;

/**
 * A lot is marked sold out right after its last grams are reserved (lots.repository.ts,
 * markSoldOutIfEmpty); a kill -9 between the two steps leaves it `open` with 0 g. Nothing is
 * oversold, but buyers see a lot they cannot take. A lot with a pending order is left alone: if
 * that order fails its grams come back and the lot stays open.
 */
export async function repairSoldOut(deps: {
  lots: Pick<LotsRepository, 'findOpenEmpty' | 'markSoldOut'>;
  orders: Pick<OrdersRepository, 'hasPendingForLot'>;
}): Promise<number> {
  let repaired = 0;
  for (const id of await deps.lots.findOpenEmpty(BATCH)) {
    if (await deps.orders.hasPendingForLot(id)) continue;
    if (await deps.lots.markSoldOut(id)) repaired++;
  }
  return repaired;
}
