/**
 * What each programme failure code means (its reason in shared/failures.ts; server/http turns reasons into
 * statuses, server/realtime/ack.ts into acks). Codes go to the client unchanged. The table is closed: a
 * service cannot return a code that is not listed here.
 */
import { failureOf, type Failure, type FailureReason } from '../../../shared/failures';
import { FailureError } from '../../errors';

const REASON_OF_PROGRAMME_CODE = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  INVALID_PERIOD: 'INVALID',
  NO_COUNTERPART: 'INVALID',
  NOT_A_FARM: 'INVALID',
  NOT_A_BUYER: 'INVALID',
  NO_SUCH_TASK: 'INVALID',
  TOO_MANY_TASKS: 'INVALID',
  TOO_MANY_LINKS: 'INVALID',
  CAMPAIGN_ENDED: 'CONFLICT',
  CAMPAIGN_FULL: 'CONFLICT',
  NOT_INVITED: 'FORBIDDEN',
  PAIRING_ENDED: 'CONFLICT',
} as const satisfies Record<string, FailureReason>;

export type ProgrammeReason = keyof typeof REASON_OF_PROGRAMME_CODE;

export interface ProgrammeFailure {
  ok: false;
  reason: ProgrammeReason;
  message: string;
  field?: string;
}

export type ProgrammeOutcome<T> = ({ ok: true } & T) | ProgrammeFailure;

export const programmeFail = (reason: ProgrammeReason, message: string, field?: string): ProgrammeFailure =>
  field === undefined ? { ok: false, reason, message } : { ok: false, reason, message, field };

/** A programme failure in the one failure shape (the field, if any, named under `fields`). */
const programmeFailure = (f: Pick<ProgrammeFailure, 'reason' | 'message' | 'field'>): Failure =>
  failureOf(
    REASON_OF_PROGRAMME_CODE[f.reason],
    f.reason,
    f.message,
    f.field ? { fields: { [f.field]: f.message } } : {},
  );

/** The success of an outcome, or the failure thrown for the error handler. */
export function orThrow<T extends { ok: true }>(outcome: T | ProgrammeFailure): T {
  if (!outcome.ok) throw new FailureError(programmeFailure(outcome));
  return outcome;
}
