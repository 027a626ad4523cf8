import type { RequestHandler } from 'express';
import { validationError } from './validate';

/**
 * MongoDB cannot store NUL in field names or regular expressions (BSON writes them as C strings),
 * and no text a person types contains it. So a NUL anywhere in the query string, the JSON body or
 * the path is refused here with 400 naming the field, before it can reach a query and surface as
 * a BSONError (500). e.g. `GET /api/admin/organisations?q=%00` → 400 { fields: { q: … } }.
 */
const MESSAGE = 'must not contain the NUL character';
/** Bodies are at most 256 kB; this bounds the walk on deeply nested input as well. */
const MAX_DEPTH = 32;

function findNul(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : undefined;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return childPath;
    const found = findNul(child, childPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function pathHasNul(rawPath: string): boolean {
  if (rawPath.includes('\u0000')) return true;
  try {
    return decodeURIComponent(rawPath).includes('\u0000');
  } catch {
    return false; // a malformed escape is the router's business (404/400), not ours
  }
}

export const rejectNul: RequestHandler = (req, _res, next) => {
  const field = pathHasNul(req.path) ? 'path' : (findNul(req.query, '', 0) ?? findNul(req.body, '', 0));
  if (field) throw validationError({ [field]: MESSAGE });
  next();
};
