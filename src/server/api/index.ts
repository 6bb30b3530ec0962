/**
 * The REST API under /api/v1. Each resource module declares its routes in one table that both
 * mounts them and describes them at /api/v1/openapi.json. Bearer authentication is applied by the
 * app before these handlers run.
 * @module
 */
import type { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { problem } from '../http/problem.js';
import { boardRoutes } from './board.js';
import { budgetRoutes } from './budgets.js';
import { flagRoutes } from './flags.js';
import { meRoutes } from './me.js';
import { openApiDocument } from './openapi.js';
import { OTHER_ROUTES } from './other-routes.js';
import { peopleRoutes } from './people.js';
import { reportRoutes } from './reports.js';
import { roiRoutes } from './roi.js';
import { ApiError, type ApiRoute, parseParams } from './route.js';
import { teamRoutes } from './teams.js';
import { toolRoutes } from './tools.js';
import { valueRoutes } from './value.js';

/** Every REST route; `/people/unresolved` precedes `/people/{id}` so it is not taken for an id. */
export const API_ROUTES: readonly ApiRoute[] = [
  ...meRoutes,
  ...reportRoutes,
  ...valueRoutes,
  ...boardRoutes,
  ...peopleRoutes,
  ...teamRoutes,
  ...toolRoutes,
  ...budgetRoutes,
  ...flagRoutes,
  ...roiRoutes,
];

/** `/a/{b}` → `/a/:b`. */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

export function mountApi(app: Hono<AppEnv>, ctx: ServerContext): void {
  const document = openApiDocument(API_ROUTES, OTHER_ROUTES);
  app.get('/api/v1/openapi.json', (c) => c.json(document));
  for (const route of API_ROUTES) {
    app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
      try {
        return await route.handler(c, parseParams(c, route.params), ctx);
      } catch (err) {
        if (err instanceof ApiError) return problem(c, err.status, err.code, err.message);
        throw err;
      }
    });
  }
}
