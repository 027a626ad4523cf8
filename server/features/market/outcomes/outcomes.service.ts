/**
 * `POST /api/outcomes`: for each Idempotency-Key the caller's organisation used, what became of it. Only the
 * organisation's own actions are searched (every lookup is filtered by it), so a guessed key of someone
 * else's answers `unknown`, exactly like a key never used.
 */
import type { KeyOutcome, OutcomesResponse } from '../../../../shared/schemas/outcomes';
import type { Trader } from '../kernel/market.types';
import { lotView } from '../lots/lots.views';
import { offerView } from '../offers/offers.views';
import type { OrderRecord } from '../orders/orders.repository';
import { orderView } from '../orders/orders.views';
import type { OutcomesRepository } from './outcomes.repository';

export interface OutcomesServiceDeps {
  repository: OutcomesRepository;
  now: () => Date;
}

/** An order still settling (pending) is not an outcome yet; a failed one is a failure; anything else happened. */
const settled = (order: OrderRecord | undefined) => order !== undefined && order.status !== 'pending';

export function createOutcomesService({ repository, now }: OutcomesServiceDeps) {
  return {
    async outcomes(trader: Trader, keys: readonly string[]): Promise<OutcomesResponse> {
      const orgId = trader.organisationId;
      const unique = [...new Set(keys)];
      const [lots, made, accepted, takes] = await Promise.all([
        repository.lotsByKey(orgId, unique),
        repository.offersMadeByKey(orgId, unique),
        repository.offersAcceptedByKey(orgId, unique),
        repository.takesByKey(orgId, unique),
      ]);
      const acceptedOrders = await repository.ordersById(
        accepted.map((o) => o.orderId).filter((id): id is string => id !== undefined),
      );
      const at = now();
      const found = new Map<string, KeyOutcome>();
      for (const lot of lots) {
        if (lot.idempotencyKey)
          found.set(lot.idempotencyKey, {
            key: lot.idempotencyKey,
            outcome: 'done',
            action: 'lot',
            lot: lotView(lot, at),
          });
      }
      for (const offer of made) {
        if (offer.makerKey)
          found.set(offer.makerKey, { key: offer.makerKey, outcome: 'done', action: 'offer', offer: offerView(offer) });
      }
      for (const offer of accepted) {
        const order = acceptedOrders.find((o) => o.id === offer.orderId);
        if (!offer.idempotencyKey || !order || !settled(order)) continue;
        const key = offer.idempotencyKey;
        found.set(
          key,
          order.status === 'failed'
            ? { key, outcome: 'failed', action: 'accept', reason: order.failedReason ?? 'ORDER_FAILED' }
            : { key, outcome: 'done', action: 'accept', offer: offerView(offer), order: orderView(order) },
        );
      }
      // A take may have several attempts under one key: one that went through wins over failed ones.
      for (const order of takes) {
        const key = order.idempotencyKey;
        if (!key || !settled(order)) continue;
        if (order.status === 'failed') {
          if (!found.has(key))
            found.set(key, { key, outcome: 'failed', action: 'take', reason: order.failedReason ?? 'ORDER_FAILED' });
        } else found.set(key, { key, outcome: 'done', action: 'take', order: orderView(order) });
      }
      return { items: unique.map((key) => found.get(key) ?? { key, outcome: 'unknown' }) };
    },
  };
}

export type OutcomesService = ReturnType<typeof createOutcomesService>;
