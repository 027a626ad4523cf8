import type { z } from 'zod';

/** Who may call a route (`x-roles`), in the words of docs/api-accounts.md and docs/market.md. */
export type Role =
  'anyone' | 'signed-in' | 'manager' | 'farm' | 'restaurant' | 'verified' | 'party' | 'chamber-staff' | 'admin';

/** Error statuses a route may answer (besides 500), each a shared response in components.responses. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 501 | 503;

export interface HeaderDoc {
  name: string;
  description: string;
  schema: z.ZodType;
}

/** One route of the API as the document describes it. Inputs are the schemas the route parses with. */
export interface RouteDoc {
  summary: string;
  tag: string;
  roles: readonly Role[];
  /** `none`: no sign-in needed; `session`: a session cookie only (no Bearer token); default: cookie or Bearer. */
  auth?: 'none' | 'session';
  /** Path parameters; defaults to `{id: string}` for every `:id`. */
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: readonly HeaderDoc[];
  ok: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** Statuses beyond the ones derived from the inputs (400) and auth (401). */
  errors?: readonly ErrorStatus[];
}

/** Keyed `METHOD /api/path` with Express's `:param` syntax, as the router reports routes. */
export type RouteRegistry = Record<string, RouteDoc>;
