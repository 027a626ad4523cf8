/**
 * What each programme failure code means (its reason in shared/failures.ts; server/http turns reasons into
 * statuses, server/realtime/ack.ts into acks). Codes go to the client unchanged. The table is closed: a
 * service cannot return a code that is not listed here.
 */
import type { FailureReason } from '../../../shared/failures';
import { failureBuilder } from '../../outcome';

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

/**
 * A programme failure in the one failure shape (server/outcome.ts `failureBuilder`): `field` names the input at
 * fault (under `fields`).
 */
export const programmeFail = failureBuilder(REASON_OF_PROGRAMME_CODE);
