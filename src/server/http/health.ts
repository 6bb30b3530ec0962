/**
 * Liveness, readiness and the server's own Prometheus metrics. These need no token: they reveal
 * nothing about anyone's usage.
 * @module
 */
import type { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';

export interface Readiness {
  ready: () => boolean;
}

export function mountHealth(app: Hono<AppEnv>, ctx: ServerContext, readiness: Readiness): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const ready = readiness.ready();
    const body = {
      status: ready ? 'ready' : 'not_ready',
      queuedRecords: ctx.writer.queuedRecords,
      maxQueuedRecords: ctx.settings.maxQueuedRecords,
    };
    return c.json(body, ready ? 200 : 503, ready ? {} : { 'Retry-After': '5' });
  });
  app.get('/metrics', async (c) =>
    c.body(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType }),
  );
}
