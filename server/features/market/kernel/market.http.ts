/**
 * The market's HTTP helpers: replying with an outcome (a failure becomes the one failure shape, sent by
 * errorHandler with the status of its reason), the Idempotency-Key header and On-Behalf-Of.
 */
import type { Request, Response } from 'express';
import { commonFailure } from '../../../../shared/failures';
import { idempotencyKey } from '../../../../shared/schemas/market';
import { FailureError } from '../../../errors';
import { currentUser } from '../../../http/guards';
import { validationError } from '../../../http/validate';
import { isId } from './market.ids';
import type { FindOrganisation, Result, Trader } from './market.types';

/** Sends `body` with `status` on success; throws the failure otherwise (Express 5 forwards it to errorHandler). */
export function reply<T extends object>(
  res: Response,
  status: number,
  outcome: Result<T>,
  body: (value: T) => unknown,
): void {
  if (!outcome.ok) throw new FailureError(outcome.error);
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
    throw new FailureError(commonFailure('FORBIDDEN', resolved.message));
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
