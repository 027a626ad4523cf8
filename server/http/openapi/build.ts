/**
 * Builds the OpenAPI 3.1 document from the route registry and the zod schemas the routes parse
 * with: request bodies, queries and path parameters are `z.toJSONSchema(…, {target: 'draft-2020-12'})`
 * of those very schemas (as input: defaults make a field optional), so the document cannot drift from
 * the validation. Named shared schemas become `components.schemas` and are `$ref`-ed. Responses are
 * the response schemas of shared/schemas (market-views.ts for the market); a response schema nested
 * in another (the Lot in `{items: Lot[]}`) is `$ref`-ed too.
 */
import { z } from 'zod';
import * as accountsSchemas from '../../../shared/schemas/accounts';
import * as deskSchemas from '../../../shared/schemas/desk';
import * as marketSchemas from '../../../shared/schemas/market';
import * as marketViewSchemas from '../../../shared/schemas/market-views';
import * as notificationSchemas from '../../../shared/schemas/notifications';
import { openApiPath } from './express-routes';
import type { ErrorStatus, RouteDoc, RouteRegistry } from './types';

type Json = Record<string, unknown>;
export type OpenApiDocument = Json & {
  openapi: '3.1.0';
  paths: Record<string, Record<string, Json>>;
  components: Json;
};

/** `createLotBody` → `CreateLotBody`, `signupRequestSchema` → `SignupRequest`. */
const componentName = (exportName: string) => exportName.replace(/Schema$/, '').replace(/^./, (c) => c.toUpperCase());

/** Every zod schema exported by shared/schemas, by the name it gets in components.schemas. */
function namedSchemas(): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  const taken = new Set<string>();
  const modules = {
    Accounts: accountsSchemas,
    Market: marketSchemas,
    MarketViews: marketViewSchemas,
    Desk: deskSchemas,
    Notifications: notificationSchemas,
  };
  for (const [area, exports] of Object.entries(modules)) {
    for (const [exportName, value] of Object.entries(exports)) {
      if (!(value instanceof z.ZodType) || names.has(value)) continue;
      let name = componentName(exportName);
      if (taken.has(name)) name = `${area}${name}`;
      names.set(value, name);
      taken.add(name);
    }
  }
  return names;
}

const ERRORS: Record<Exclude<ErrorStatus, 400>, { name: string; description: string; codes: string }> = {
  401: {
    name: 'Unauthenticated',
    description: 'Not signed in, or the session or token is no longer valid',
    codes: 'UNAUTHENTICATED, INVALID_CREDENTIALS',
  },
  403: {
    name: 'Forbidden',
    description: 'Signed in but not allowed',
    codes:
      'FORBIDDEN, CSRF, PASSWORD_CHANGE_REQUIRED, SESSION_REQUIRED, VERIFICATION_PENDING, VERIFICATION_REJECTED, ORGANISATION_SUSPENDED, WRONG_SIDE, NOT_A_PARTY_TO_TERMS, OWN_LOT',
  },
  404: { name: 'NotFound', description: 'No such object (or not yours)', codes: 'NOT_FOUND' },
  409: {
    name: 'Conflict',
    description: 'The current state does not allow it',
    codes:
      'CONFLICT, INVALID_TRANSITION, LAST_MANAGER, NOT_ENOUGH_LEFT, OFFER_CLOSED, ALREADY_ACCEPTED, OFFER_EXPIRED, LOT_EXPIRED, LOT_NOT_OPEN, NOT_YOUR_TURN, WRONG_STATUS, STALE, …',
  },
  422: {
    name: 'RuleViolated',
    description: 'A market rule on valid input; `fields` names the input at fault',
    codes: 'PRICE_BELOW_RESERVE, QUANTITY_EXCEEDS_REMAINING, EXPIRY_BEYOND_SHELF_LIFE, …',
  },
  429: {
    name: 'RateLimited',
    description: 'Too many attempts; retry after `Retry-After` seconds',
    codes: 'RATE_LIMITED',
  },
  501: { name: 'NotImplemented', description: 'Not available yet', codes: 'SEND_NOT_AVAILABLE' },
  503: { name: 'Interrupted', description: 'A stale attempt was cleaned up; retry', codes: 'RESERVATION_INTERRUPTED' },
};

const methodsOf = (key: string) => {
  const [method, path] = key.split(' ');
  return { method: method.toLowerCase(), path };
};

const operationId = (method: string, path: string) =>
  method +
  path
    .replace(/^\/api/, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `By${part.slice(1)}` : part))
    .map((part) => part.replace(/^./, (c) => c.toUpperCase()))
    .join('');

export interface BuildOptions {
  registry: RouteRegistry;
  /** servers[0].url: PUBLIC_URL (paths start with /api). */
  publicUrl: string;
  version?: string;
}

export function buildOpenApiDocument({ registry, publicUrl, version = '0.1.0' }: BuildOptions): OpenApiDocument {
  const names = namedSchemas();
  const components: Record<string, Json> = {};
  const responseSchemas = new Set<unknown>(
    Object.values(marketViewSchemas).filter((value) => value instanceof z.ZodType),
  );

  const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      override: (ctx) => {
        const nested: unknown = ctx.zodSchema;
        if (nested === schema || !(nested instanceof z.ZodType) || !responseSchemas.has(nested)) return;
        const ref = schemaOf(nested, io);
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Json)[key];
        Object.assign(ctx.jsonSchema, ref);
      },
    }) as Json;
    return rest;
  };
  /** A $ref to the named component (created on first use), or the schema inline. */
  const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const name = names.get(schema);
    if (!name) return jsonSchema(schema, io);
    components[name] ??= jsonSchema(schema, io);
    return { $ref: `#/components/schemas/${name}` };
  };
  const parametersOf = (schema: z.ZodType | undefined, where: 'query' | 'path'): Json[] => {
    if (!schema) return [];
    const json = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: property,
    }));
  };
  /** The top-level field names a 400 may report for this route. */
  const fieldNames = (doc: RouteDoc): string[] => {
    const names: string[] = [];
    for (const schema of [doc.params, doc.query, doc.body]) {
      if (!schema) continue;
      const json = jsonSchema(schema, 'input') as { properties?: Json; oneOf?: { properties?: Json }[] };
      const props = json.properties ?? Object.assign({}, ...(json.oneOf ?? []).map((o) => o.properties ?? {}));
      names.push(...Object.keys(props));
    }
    names.push(...(doc.headers ?? []).map((h) => h.name));
    return [...new Set(names)];
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const [key, doc] of Object.entries(registry)) {
    const { method, path } = methodsOf(key);
    const pathParams = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const parameters = [
      ...(doc.params
        ? parametersOf(doc.params, 'path')
        : pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))),
      ...parametersOf(doc.query, 'query'),
      ...(doc.headers ?? []).map((h) => ({
        name: h.name,
        in: 'header',
        required: false,
        description: h.description,
        schema: jsonSchema(h.schema, 'input'),
      })),
    ];

    const responses: Record<string, Json> = {};
    const ok: Json = { description: doc.ok.description };
    if (doc.ok.status !== 204) {
      const contentType = doc.ok.contentType ?? 'application/json';
      ok.content = {
        [contentType]: {
          schema: doc.ok.schema
            ? schemaOf(doc.ok.schema, 'output')
            : contentType === 'application/json'
              ? { type: 'object' }
              : { type: 'string' },
        },
      };
    }
    responses[String(doc.ok.status)] = ok;
    const statuses = new Set<ErrorStatus>(doc.errors ?? []);
    const hasInput = Boolean(doc.params || doc.query || doc.body || doc.headers?.length);
    if (hasInput) statuses.add(400);
    if (doc.auth !== 'none') statuses.add(401);
    for (const status of [...statuses].sort()) {
      if (status === 400) {
        const fields = fieldNames(doc);
        responses['400'] = {
          description: `VALIDATION: the input fails its schema; error.fields names each field at fault (${fields.join(', ') || 'the body'}). BAD_REQUEST: malformed JSON.`,
          'x-validated-fields': fields,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        };
      } else {
        responses[String(status)] = { $ref: `#/components/responses/${ERRORS[status].name}` };
      }
    }

    const operation: Json = {
      operationId: operationId(method, path),
      summary: doc.summary,
      tags: [doc.tag],
      'x-roles': doc.roles,
      ...(parameters.length ? { parameters } : {}),
      ...(doc.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(doc.body, 'input') } } } }
        : {}),
      responses,
    };
    if (doc.auth === 'none') operation.security = [];
    else if (doc.auth === 'session') operation.security = [{ cookieSession: [] }];
    (paths[openApiPath(path)] ??= {})[method] = operation;
  }

  components.ErrorBody = jsonSchema(accountsSchemas.errorBodySchema, 'output');
  const errorResponses = Object.fromEntries(
    Object.values(ERRORS).map(({ name, description, codes }) => [
      name,
      {
        description: `${description}. error.code: ${codes}`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      },
    ]),
  );
  (errorResponses.RateLimited as Json).headers = {
    'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
  };

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'FreshLink (鲜链) API',
      version,
      description:
        'Farms sell perishable produce to restaurants, live. Quantities are integer grams, prices integer fen per kg, instants ISO 8601. ' +
        'Errors are always {error: {code, message, fields?}}. State-changing requests signed in with the session cookie must carry the app’s Origin (CSRF). ' +
        'Live updates and catch-up run over socket.io (docs/notifications-openapi.md).',
    },
    servers: [{ url: publicUrl }],
    security: [{ cookieSession: [] }, { bearerToken: [] }],
    tags: [...new Set(Object.values(registry).map((d) => d.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      responses: errorResponses,
      securitySchemes: {
        cookieSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'fl.sid',
          description: 'The session cookie set by sign-up and sign-in.',
        },
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'fl_…',
          description: 'A personal API token (restaurant and chamber users); CSRF-exempt.',
        },
      },
    },
  };
}
