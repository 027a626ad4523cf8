/**
 * The one place market failures become HTTP responses: the status comes from the reason,
 * the body follows the API's error shape `{error: {code, message, fields?, …}}`, and a
 * failure tied to one input names it in `fields`.
 */
import type { Request, Response } from 'express';
import { idempotencyKey } from '../../../../shared/schemas/market';
import { HttpError } from '../../../errors';
import { currentUser } from '../../../http/guards';
import { validationError } from '../../../http/validate';
import { isId } from './market.ids';
import type { FindOrganisation, MarketFailure, Trader } from './market.types';

const CONFLICT = new Set([
  'NOT_ENOUGH_LEFT',
  'OFFER_CLOSED',
  'OFFER_EXPIRED',
  'ALREADY_ACCEPTED',
  'LOT_EXPIRED',
  'LOT_NOT_OPEN',
  'NOT_YOUR_TURN',
  'WRONG_STATUS',
  'DISPUTE_WINDOW_CLOSED',
  'CLOCK_NOT_STARTED',
  'CLOCK_ENDED',
  'NO_CLOCK',
  'PRICE_ABOVE_LIMIT',
  'CONCURRENT_UPDATE',
  'IDEMPOTENCY_KEY_REUSED',
  'COUNTERPARTY_NOT_VERIFIED',
]);
const FORBIDDEN = new Set(['FORBIDDEN', 'WRONG_SIDE', 'NOT_A_PARTY_TO_TERMS', 'OWN_LOT']);

export function statusFor(reason: string): number {
  if (reason === 'NOT_FOUND') return 404;
  if (FORBIDDEN.has(reason)) return 403;
  if (CONFLICT.has(reason)) return 409;
  if (reason === 'RESERVATION_INTERRUPTED') return 503;
  return 422;
}

export function toHttpError(failure: MarketFailure): HttpError {
  const details: Record<string, unknown> = { ...failure.details };
  if (failure.field) details.fields = { [failure.field]: failure.message };
  return new HttpError(statusFor(failure.reason), failure.reason, failure.message, details);
}

/** Sends `body` with `status` on success; throws the mapped HttpError otherwise (Express 5 forwards it). */
export function reply<T extends object>(
  res: Response,
  status: number,
  outcome: ({ ok: true } & T) | MarketFailure,
  body: (value: T) => unknown,
): void {
  if (!outcome.ok) throw toHttpError(outcome);
  res.status(status).json(body(outcome));
}

/** The optional `Idempotency-Key` header, checked; a malformed one is a 400 naming the header. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  const parsed = idempotencyKey.safeParse(raw);
  if (!parsed.success) throw validationError({ 'Idempotency-Key': parsed.error.issues[0]?.message ?? 'invalid' });
  return parsed.data;
}

/**
 * Who is trading: the signed-in user's organisation, or — for chamber staff sending
 * `On-Behalf-Of: <organisationId>` — that (verified) farm or restaurant, marked viaBroker.
 */
export function traderResolver(findOrganisation: FindOrganisation): (req: Request) => Promise<Trader> {
  return async (req) => {
    const resolved = await resolveTrader(currentUser(req).principal, req.get('on-behalf-of'), findOrganisation);
    if (resolved.ok) return resolved.trader;
    if (resolved.badOnBehalfOf) throw validationError({ 'On-Behalf-Of': resolved.message });
    throw new HttpError(403, 'FORBIDDEN', resolved.message);
  };
}

export type TraderResolution = { ok: true; trader: Trader } | { ok: false; badOnBehalfOf: boolean; message: string };

/** traderResolver's rule, shared with the socket actions (market.socket.ts, where On-Behalf-Of is `onBehalfOf`). */
export async function resolveTrader(
  principal: Pick<Trader, 'userId' | 'organisationId' | 'kind'>,
  onBehalfOf: string | undefined,
  findOrganisation: FindOrganisation,
): Promise<TraderResolution> {
  const { userId, organisationId, kind } = principal;
  if (onBehalfOf === undefined) return { ok: true, trader: { userId, organisationId, kind } };
  if (kind !== 'chamber')
    return { ok: false, badOnBehalfOf: false, message: 'Only chamber staff may act on behalf of an organisation' };
  const org = isId(onBehalfOf) ? await findOrganisation(onBehalfOf) : null;
  if (!org || org.kind === 'chamber') return { ok: false, badOnBehalfOf: true, message: 'is not a farm or restaurant' };
  if (org.verification !== 'verified')
    return { ok: false, badOnBehalfOf: false, message: 'That organisation is not verified' };
  return { ok: true, trader: { userId, organisationId: org.id, kind: org.kind, viaBroker: true } };
}
