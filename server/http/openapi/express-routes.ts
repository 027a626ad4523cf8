import type { Router } from 'express';

type LayerLike = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } };

/** `METHOD /prefix/path` for every route in an Express router, recursively (nested routers have no own prefix here). */
export function listRoutes(router: Router, prefix: string): string[] {
  const found: string[] = [];
  for (const layer of router.stack as unknown as LayerLike[]) {
    if (layer.route) {
      const { path, methods } = layer.route;
      for (const method of Object.keys(methods).filter((m) => methods[m] && m !== '_all'))
        found.push(`${method.toUpperCase()} ${prefix}${path}`);
    } else if (layer.handle?.stack) {
      found.push(...listRoutes(layer.handle as unknown as Router, prefix));
    }
  }
  return found;
}

/** Express `/lots/:id/bids` → OpenAPI `/lots/{id}/bids`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');
