import type { Failure } from '../shared/failures';

/**
 * An expected failure thrown out of a route for errorHandler to send (Express 5 forwards a rejected
 * promise). The status comes from the failure's reason (server/http/failure-status.ts), never from here.
 */
export class FailureError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}
