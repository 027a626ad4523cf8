/**
 * The market's HTTP helpers: replying with an outcome (a failure becomes the one failure shape, sent by
 * errorHandler with the status of its reason), the Idempotency-Key header and On-Behalf-Of.
 */
import type { Request, Response } from 'express';
import { invalidInput } from '../../../../shared/failures';
import { idempotencyKey } from '../../../../shared/schemas/market';
import { orThrow, unwrap } from '../../../http/failure-status';
import { currentUser } from '../../../http/guards';
import { validationError } from '../../../http/validate';
import { isId } from './market.ids';
import { failure, success, type Outcome, type Result } from '../../../outcome';
import type { FindOrganisation, Trader } from './market.types';

/** Sends `body` with `status` on success; throws the failure otherwise (Express 5 forwards it to errorHandler). */
export function reply<T extends object>(
  res: Response,
  status: number,
  outcome: Result<T>,
  body: (value: T) => unknown,
): void {
  res.status(status).json(body(orThrow(outcome)));
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
    const principal = currentUser(req).principal;
    return unwrap(await resolveTrader(principal, req.get('on-behalf-of'), findOrganisation, 'On-Behalf-Of'));
  };
}

/**
 * traderResolver's rule, shared with the socket actions (market.socket.ts): `field` names On-Behalf-Of as the
 * transport carries it (the header, or the payload's `onBehalfOf`).
 */
export async function resolveTrader(
  principal: Pick<Trader, 'userId' | 'organisationId' | 'kind'>,
  onBehalfOf: string | undefined,
  findOrganisation: FindOrganisation,
  field: 'On-Behalf-Of' | 'onBehalfOf',
): Promise<Outcome<Trader>> {
  const { userId, organisationId, kind } = principal;
  if (onBehalfOf === undefined) return success({ userId, organisationId, kind });
  if (kind !== 'chamber') return failure('FORBIDDEN', 'Only chamber staff may act on behalf of an organisation');
  const org = isId(onBehalfOf) ? await findOrganisation(onBehalfOf) : null;
  if (!org || org.kind === 'chamber')
    return { ok: false, error: invalidInput({ [field]: 'is not a farm or restaurant' }) };
  if (org.verification !== 'verified') return failure('FORBIDDEN', 'That organisation is not verified');
  return success({ userId, organisationId: org.id, kind: org.kind, viaBroker: true });
}
