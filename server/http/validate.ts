import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { invalidInput, invalidIssues } from '../../shared/failures';
import { FailureError } from '../errors';

export const validationError = (fields: Record<string, string>) => new FailureError(invalidInput(fields));

/**
 * Parses request input with a shared schema, or throws 400 VALIDATION naming the fields. Because the
 * schemas ask for strings and numbers, `{"login": {"$ne": null}}` stops here, before any query.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new FailureError(invalidIssues(result.error.issues, value));
  return result.data;
}

/** Middleware form for bodies: replaces req.body with the parsed (trimmed, normalised) value. */
export function validate<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, _res, next) => {
    req.body = parse(schema, req.body ?? {});
    next();
  };
}
