/**
 * GET /api/openapi.json: a structurally valid OpenAPI 3.1 document, generated from the zod schemas the
 * routes validate with, covering exactly the routes the Express router has.
 */
import { z } from 'zod';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { listRoutes, openApiPath } from '../../server/http/openapi/express-routes';
import { createLotBody } from '../../shared/schemas/market';
import { lotSchema } from '../../shared/schemas/market-views';
import { signupRequestSchema } from '../../shared/schemas/accounts';

type Json = Record<string, unknown>;
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<
    string,
    Record<string, Json & { responses: Record<string, Json>; 'x-roles': string[]; operationId: string }>
  >;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; securitySchemes: Record<string, Json> };
}

let app: TestApp;
let doc: Doc;
let etag: string;
beforeAll(async () => {
  app = await startTestApp();
  const reply = await app.agent().get<Doc>('/api/openapi.json');
  expect(reply.status).toBe(200);
  doc = reply.body;
  etag = reply.headers.get('etag') ?? '';
});
afterAll(async () => {
  await app.close();
});

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Resolves a local JSON pointer such as `#/components/schemas/CreateLotBody`. */
function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

const deref = (node: Json): Json => (typeof node.$ref === 'string' ? (resolve(node.$ref) as Json) : node);
const bodySchema = (path: string, method: string) =>
  deref(
    ((doc.paths[path][method].requestBody as Json).content as Record<string, { schema: Json }>)['application/json']
      .schema,
  );
const asOpenApiSchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Json;
  return rest;
};

describe('GET /api/openapi.json', () => {
  it('is public and cached: anyone gets it, with Cache-Control and an ETag that answers 304', async () => {
    const reply = await app.agent().get('/api/openapi.json');
    expect(reply.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(reply.headers.get('content-type')).toMatch(/application\/json/);
    expect(etag).toMatch(/^".+"$/);
    const again = await app.agent().get('/api/openapi.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('is an OpenAPI 3.1 document: openapi, info, servers (PUBLIC_URL), paths, components, security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: app.config.publicUrl }]);
    expect(doc.components.securitySchemes).toMatchObject({
      cookieSession: { type: 'apiKey', in: 'cookie', name: 'fl.sid' },
      bearerToken: { type: 'http', scheme: 'bearer' },
    });
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      expect(path).not.toContain(':');
      for (const [method, operation] of Object.entries(item)) {
        expect(HTTP_METHODS).toContain(method);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        expect(operation['x-roles'].length).toBeGreaterThan(0);
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          expect(operation.parameters).toEqual(
            expect.arrayContaining([expect.objectContaining({ name, in: 'path', required: true })]),
          );
        }
      }
    }
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has no $ref that does not resolve', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((ref) => resolve(ref) === undefined)).toEqual([]);
  });

  it('documents every route the app serves, and nothing it does not', () => {
    const served = listRoutes(app.handle.apiRouter, '/api').map((route) => {
      const [method, path] = route.split(' ');
      return `${method} ${openApiPath(path)}`;
    });
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.length).toBeGreaterThan(60);
    expect({
      missing: served.filter((r) => !documented.includes(r)),
      notServed: documented.filter((r) => !served.includes(r)),
    }).toEqual({ missing: [], notServed: [] });
  });

  it('gives POST /api/lots the request schema the route validates with', () => {
    const schema = bodySchema('/api/lots', 'post');
    expect(schema).toEqual(asOpenApiSchema(createLotBody));
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: {
        productCode: { type: 'string', enum: expect.arrayContaining(['shiitake']) },
        quantityGrams: { type: 'integer' },
        storage: { enum: ['cold', 'ambient'] },
      },
    });
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'productCode',
        'quantityGrams',
        'harvestedAt',
        'storage',
        'reservePriceFenPerKg',
        'askPriceFenPerKg',
      ]),
    );
    const operation = doc.paths['/api/lots'].post;
    expect(operation['x-roles']).toEqual(['farm', 'verified']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '422']));
    expect(operation.responses['400']['x-validated-fields']).toEqual(
      expect.arrayContaining(['productCode', 'quantityGrams']),
    );
  });

  it('gives the market routes their response schemas: GET /api/lots answers {items: Lot[], nextCursor}, the Lot the server is checked against', () => {
    const okSchema = (path: string, method: string, status: string) =>
      ((doc.paths[path][method].responses[status].content as Json)['application/json'] as { schema: Json }).schema;
    const list = deref(okSchema('/api/lots', 'get', '200'));
    expect(list).toMatchObject({
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Lot' } } },
    });
    const { $schema: _dialect, ...lot } = z.toJSONSchema(lotSchema, {
      target: 'draft-2020-12',
      io: 'output',
      unrepresentable: 'any',
    }) as Json & { properties: Json };
    const documented = doc.components.schemas.Lot as Json & { properties: Json };
    expect(documented).toEqual({
      ...lot,
      properties: { ...lot.properties, clock: { $ref: '#/components/schemas/LotClock' } },
    });
    expect(documented).toMatchObject({
      additionalProperties: false,
      properties: { expiresAt: { type: 'string', format: 'date-time' }, sellerName: { type: 'string' } },
    });
    expect(documented.required).not.toContain('sellerName');
    expect(okSchema('/api/lots', 'post', '201')).toEqual({ $ref: '#/components/schemas/Lot' });
    expect(deref(okSchema('/api/offers/{id}/accept', 'post', '200'))).toMatchObject({
      properties: { order: { $ref: '#/components/schemas/Order' }, offer: { $ref: '#/components/schemas/Offer' } },
    });
    // Lot photos answer image bytes (GET) or {photoId, lot} (POST), documented inline rather than as components.
    const market = Object.entries(doc.paths).filter(
      ([path]) =>
        /^\/api\/(lots|bids|offers|orders|demand|standing-orders|capacity|catalogue)\b/.test(path) &&
        !/\/photos(\/\{photoId\}(\/thumb)?)?$/.test(path),
    );
    const untyped = market.flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => {
          const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'))?.[1] as Json | undefined;
          const schema = ((ok?.content as Json | undefined)?.['application/json'] as { schema?: Json } | undefined)
            ?.schema;
          return !schema || typeof schema.$ref !== 'string';
        })
        .map(([method]) => `${method} ${path}`),
    );
    expect(market.length).toBeGreaterThan(20);
    expect(untyped).toEqual([]);
  });

  it('gives POST /api/auth/signup the accounts schema, needing no sign-in', () => {
    expect(bodySchema('/api/auth/signup', 'post')).toEqual(asOpenApiSchema(signupRequestSchema));
    const operation = doc.paths['/api/auth/signup'].post;
    expect(operation.security).toEqual([]);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '400', '409', '429']));
    expect(operation.responses['401']).toBeUndefined();
    const created = deref(
      ((operation.responses['201'].content as Json)['application/json'] as { schema: Json }).schema,
    );
    expect(created).toMatchObject({
      type: 'object',
      properties: { user: expect.any(Object), organisation: expect.any(Object) },
    });
    expect(deref(operation.responses['429'])).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
  });

  it('documents the notification routes with their query and the error responses', () => {
    const list = doc.paths['/api/notifications'].get;
    expect((list.parameters as Json[]).map((p) => p.name)).toEqual(['channel', 'afterSeq', 'limit']);
    expect(Object.keys(list.responses).sort()).toEqual(['200', '400', '401', '403']);
    expect(doc.paths['/api/tokens'].get.security).toEqual([{ cookieSession: [] }]);
  });
});
