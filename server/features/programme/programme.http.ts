/** The one place that maps the programme's expected failures to HTTP statuses (and socket acks reuse the codes). */
import { HttpError } from '../../errors';

export const PROGRAMME_STATUS = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID_PERIOD: 400,
  NO_COUNTERPART: 400,
  NOT_A_FARM: 400,
  NOT_A_BUYER: 400,
  NO_SUCH_TASK: 400,
  TOO_MANY_TASKS: 400,
  TOO_MANY_LINKS: 400,
  CAMPAIGN_ENDED: 409,
  CAMPAIGN_FULL: 409,
  NOT_INVITED: 403,
  PAIRING_ENDED: 409,
} as const;

export type ProgrammeReason = keyof typeof PROGRAMME_STATUS;

export interface ProgrammeFailure {
  ok: false;
  reason: ProgrammeReason;
  message: string;
  field?: string;
}

export type ProgrammeOutcome<T> = ({ ok: true } & T) | ProgrammeFailure;

export const programmeFail = (reason: ProgrammeReason, message: string, field?: string): ProgrammeFailure =>
  field === undefined ? { ok: false, reason, message } : { ok: false, reason, message, field };

/** The success of an outcome, or the failure thrown for the error handler (fields named under `details.fields`). */
export function orThrow<T extends { ok: true }>(outcome: T | ProgrammeFailure): T {
  if (outcome.ok) return outcome;
  const details = outcome.field ? { fields: { [outcome.field]: outcome.message } } : undefined;
  throw new HttpError(PROGRAMME_STATUS[outcome.reason], outcome.reason, outcome.message, details);
}
