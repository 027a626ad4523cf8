import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorBodyOf } from '../../shared/failures';
import { FailureError } from '../errors';
import { statusOf } from './failure-status';

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({
    error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}`, requestId: String(req.id ?? '') },
  });
};

/**
 * The one place that turns thrown errors into responses, always `{ error: { code, message, fields?, …,
 * requestId } }`. Never sends a stack trace.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const requestId = String(req.id ?? '');
  if (err instanceof FailureError) {
    const { failure } = err;
    if (failure.retryAfterSeconds) res.set('Retry-After', String(failure.retryAfterSeconds));
    res.status(statusOf(failure)).json({ error: { ...errorBodyOf(failure), requestId } });
    return;
  }
  // body-parser: malformed JSON or too large a body
  const status =
    typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    const message = err?.type === 'entity.parse.failed' ? 'Malformed JSON body' : 'Bad request';
    res.status(status).json({ error: { code: 'BAD_REQUEST', message, requestId } });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.', requestId } });
};
