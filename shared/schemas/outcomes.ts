/**
 * What happened to actions sent with an Idempotency-Key (`POST /api/outcomes`, docs/offline.md): a phone that
 * lost its connection mid-action asks, once it is back, and shows the truth instead of a guess.
 */
import { z } from 'zod';
import { idempotencyKey } from './market';

/** At most this many keys per request: a phone has a handful of actions pending, never hundreds. */
const MAX_OUTCOME_KEYS = 50;

export const outcomesBody = z
  .object({
    keys: z
      .array(idempotencyKey)
      .min(1, 'keys: at least one')
      .max(MAX_OUTCOME_KEYS, `keys: at most ${MAX_OUTCOME_KEYS}`),
  })
  .strict();

/** Which keyed action the key was found on. */
type OutcomeAction = 'lot' | 'offer' | 'accept' | 'take';

/**
 * `done`: the action happened (with the lot, offer and/or order as the REST API shows them);
 * `failed`: it was attempted and cannot happen (its order failed); `unknown`: nothing under this key —
 * the request never arrived (or has not yet), so the person may send it again with the same key.
 */
export type KeyOutcome =
  | {
      key: string;
      outcome: 'done';
      action: OutcomeAction;
      lot?: object;
      offer?: object;
      order?: object;
    }
  | { key: string; outcome: 'failed'; action: OutcomeAction; reason: string }
  | { key: string; outcome: 'unknown' };

export interface OutcomesResponse {
  items: KeyOutcome[];
}

/** The answer's shape, for the OpenAPI document (the views inside are the REST API's Lot, Offer and Order). */
export const outcomesResponseSchema = z.object({
  items: z.array(
    z.object({
      key: z.string(),
      outcome: z.enum(['done', 'failed', 'unknown']),
      action: z.enum(['lot', 'offer', 'accept', 'take']).optional(),
      reason: z.string().optional(),
      lot: z.record(z.string(), z.unknown()).optional(),
      offer: z.record(z.string(), z.unknown()).optional(),
      order: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
