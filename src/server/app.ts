/**
 * The HTTP application: health and metrics (open), webhooks (signed), OTLP and the REST API
 * (bearer tokens). Routes only translate HTTP to analyses and back.
 * @module
 */
import { Hono } from 'hono';
import { mountApi } from './api/index.js';
import type { TokenTable } from './auth/tokens.js';
import type { AppEnv, ServerContext } from './context.js';
import { authenticate } from './http/auth.js';
import { mountHealth, type Readiness } from './http/health.js';
import { mountOtlp } from './http/otlp.js';
import { problem } from './http/problem.js';
import { mountWeb } from './http/web.js';
import { mountPush } from './push/index.js';
import { mountWebhooks } from './webhooks/index.js';

export interface AppOptions {
  tokens: TokenTable;
  readiness: Readiness;
}

export function createApp(ctx: ServerContext, options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    ctx.metrics.requests.inc({ route, status: String(c.res.status) });
    ctx.metrics.requestSeconds.observe({ route }, (performance.now() - started) / 1000);
  });

  mountHealth(app, ctx, options.readiness);
  mountWebhooks(app, ctx);

  const auth = authenticate(ctx, options.tokens);
  app.use('/v1/*', auth);
  app.use('/api/v1/*', async (c, next) => (c.req.path === '/api/v1/openapi.json' ? next() : auth(c, next)));
  mountOtlp(app, ctx);
  mountApi(app, ctx);
  mountPush(app, ctx);
  mountWeb(app);

  app.notFound((c) =>
    problem(c, 404, 'not_found', `No route ${c.req.method} ${c.req.path}; see /api/v1/openapi.json.`),
  );
  app.onError((err, c) => {
    if (process.env.TOKENYIELD_DEBUG) console.error(err);
    return problem(c, 500, 'internal', `The server failed on this request: ${err.message}`);
  });
  return app;
}
