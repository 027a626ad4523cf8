/**
 * Payloads of the market's client→server socket events (docs/market.md "Socket actions"). Each is the
 * REST body (validated with the very same schema from ./market) plus what REST carries in the path and
 * headers: the lot or offer, the Idempotency-Key, and On-Behalf-Of for chamber staff.
 */
import { z } from 'zod';
import {
  acceptOfferBody,
  clockTakeBody,
  counterOfferBody,
  createBidBody,
  idempotencyKey,
  rejectOfferBody,
  withdrawBody,
} from './market';

const entityId = z.string({ error: 'must be an id' }).trim().min(1, 'must not be empty').max(64);

/** What a socket action names besides its body; `idempotencyKey` plays the `Idempotency-Key` header. */
const marketActionTargets = {
  lot: z.strictObject({ lotId: entityId, onBehalfOf: entityId.optional() }),
  /** A bid: the key is optional, as the header is on POST /api/lots/:id/bids. */
  lotMaybeKeyed: z.strictObject({
    lotId: entityId,
    onBehalfOf: entityId.optional(),
    idempotencyKey: idempotencyKey.optional(),
  }),
  offer: z.strictObject({ offerId: entityId, onBehalfOf: entityId.optional() }),
  keyedOffer: z.strictObject({ offerId: entityId, onBehalfOf: entityId.optional(), idempotencyKey }),
  keyedLot: z.strictObject({ lotId: entityId, onBehalfOf: entityId.optional(), idempotencyKey }),
} as const;

/** Keys that belong to the target; everything else in the payload is the REST body. */
const TARGET_KEYS = ['lotId', 'offerId', 'onBehalfOf', 'idempotencyKey'] as const;

/** Each event: its target schema and the REST route's body schema. */
export const MARKET_ACTIONS = {
  'market:bid': { target: marketActionTargets.lotMaybeKeyed, body: createBidBody },
  'market:counter': { target: marketActionTargets.offer, body: counterOfferBody },
  'market:accept': { target: marketActionTargets.keyedOffer, body: acceptOfferBody },
  'market:reject': { target: marketActionTargets.offer, body: rejectOfferBody },
  'market:withdraw': { target: marketActionTargets.offer, body: withdrawBody },
  'market:clockTake': { target: marketActionTargets.keyedLot, body: clockTakeBody },
} as const;
export type MarketActionEvent = keyof typeof MARKET_ACTIONS;

/** What the client sends: instants as ISO strings (the schemas' input side). */
export type MarketActionPayload<E extends MarketActionEvent> = z.input<(typeof MARKET_ACTIONS)[E]['target']> &
  BodyInput<z.input<(typeof MARKET_ACTIONS)[E]['body']>>;
/** An empty strict body (withdraw) infers as `Record<string, never>`, which no target could be merged with. */
type BodyInput<I> = string extends keyof I ? unknown : I;

/** The payload split into its target and its body, both parsed; or the fields at fault (target and body together). */
export function parseMarketAction<E extends MarketActionEvent>(
  event: E,
  payload: unknown,
):
  | {
      ok: true;
      target: z.output<(typeof MARKET_ACTIONS)[E]['target']>;
      body: z.output<(typeof MARKET_ACTIONS)[E]['body']>;
    }
  | { ok: false; issues: z.core.$ZodIssue[] } {
  const spec = MARKET_ACTIONS[event];
  const raw: Record<string, unknown> =
    payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : {};
  if (raw !== payload) {
    return {
      ok: false,
      issues: [
        {
          code: 'invalid_type',
          expected: 'object',
          path: [],
          message: 'must be an object',
          input: payload,
        } as z.core.$ZodIssue,
      ],
    };
  }
  const targetPart: Record<string, unknown> = {};
  const bodyPart: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw))
    ((TARGET_KEYS as readonly string[]).includes(key) ? targetPart : bodyPart)[key] = value;
  const target = spec.target.safeParse(targetPart);
  const body = spec.body.safeParse(bodyPart);
  if (target.success && body.success) {
    return {
      ok: true,
      target: target.data as z.output<(typeof MARKET_ACTIONS)[E]['target']>,
      body: body.data as z.output<(typeof MARKET_ACTIONS)[E]['body']>,
    };
  }
  return {
    ok: false,
    issues: [...(target.success ? [] : target.error.issues), ...(body.success ? [] : body.error.issues)],
  };
}
