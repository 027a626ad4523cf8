/**
 * GET /api/openapi.json: the OpenAPI 3.1 document, public and cached. Built once, on first request,
 * from the route registry (server/http/openapi/registry-*.ts) and the shared zod schemas.
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import { buildOpenApiDocument } from './openapi/build';
import { accountsRoutesDoc } from './openapi/registry-accounts';
import { deskRoutesDoc } from './openapi/registry-desk';
import { marketRoutesDoc } from './openapi/registry-market';
import { notificationsRoutesDoc, openApiRoutesDoc } from './openapi/registry-notifications';
import { programmeRoutesDoc } from './openapi/registry-programme';
import type { RouteRegistry } from './openapi/types';

/** Every documented route; tests/api/openapi.test.ts checks it against the Express router. */
const ROUTE_REGISTRY: RouteRegistry = {
  ...accountsRoutesDoc,
  ...deskRoutesDoc,
  ...marketRoutesDoc,
  ...notificationsRoutesDoc,
  ...openApiRoutesDoc,
  ...programmeRoutesDoc,
};

export function openApiRoutes({ publicUrl }: { publicUrl: string }): Router {
  const router = Router();
  let cached: { body: string; etag: string } | undefined;
  const documentText = () => {
    if (!cached) {
      const body = JSON.stringify(buildOpenApiDocument({ registry: ROUTE_REGISTRY, publicUrl }));
      cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    return cached;
  };

  router.get('/openapi.json', (req, res) => {
    const { body, etag } = documentText();
    res.set('Cache-Control', 'public, max-age=300').set('ETag', etag);
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(body);
  });
  return router;
}
