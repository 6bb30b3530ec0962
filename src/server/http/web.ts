/**
 * The web dashboard's static files (`npm run build` writes them to dist/web) and the fallback
 * that lets its client-side routes (`/board`, `/people/…`) load on a reload or a shared link.
 * These files need no token: they hold no data. The app signs in in the browser, and each of its
 * API calls carries the bearer token, checked by the API as for any other client.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.js';

/**
 * dist/web at the package root. This module sits three levels below it both as source
 * (src/server/http/web.ts, under vitest) and as built output (dist/server/http/web.js).
 */
export const WEB_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** Paths that belong to the API, OTLP, webhooks and operations; the dashboard never answers them. */
const SERVER_PREFIXES = ['/api', '/v1', '/webhooks', '/healthz', '/readyz', '/metrics'];

export function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

const NOT_BUILT =
  '<!doctype html><title>tokenyield</title><p>The dashboard is not built: run <code>npm run build</code> ' +
  '(it writes dist/web), then reload.</p>\n';

// The app needs nothing from other origins; a tight policy limits what injected script could do
// with the token the tab holds. ECharts sets inline styles, hence 'unsafe-inline' for styles only.
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function setHeaders(c: Context, cacheControl: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  c.header('Cache-Control', cacheControl);
}

/**
 * Mounts the dashboard on every GET that no server route took. Call it after the other routes:
 * Hono tries handlers in the order they were added. `dir` is for tests; the default is dist/web.
 */
export function mountWeb(app: Hono<AppEnv>, dir: string = WEB_DIR): void {
  const index = join(dir, 'index.html');
  let files: MiddlewareHandler | undefined;

  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (isServerPath(path)) return next();
    // Checked per request, so `npm run build` while the server runs takes effect on reload.
    if (!existsSync(index)) {
      setHeaders(c, 'no-store');
      return c.html(NOT_BUILT, 503);
    }
    files ??= serveStatic({ root: dir });
    // File names under assets/ carry a content hash: a changed file is a new name.
    const assets = path.startsWith('/assets/');
    setHeaders(c, assets ? 'public, max-age=31536000, immutable' : 'no-cache');
    const served = await files(c, async () => {});
    if (served) return served;
    // A missing file is a 404 (answering index.html would hand a script tag HTML), and not cached.
    // Only top-level names count as files: `/people/kai@acme.example` is a page.
    if (assets || /^\/[^/]+\.[a-z0-9]+$/i.test(path)) {
      c.header('Cache-Control', 'no-store');
      return next();
    }
    return c.html(readFileSync(index, 'utf8'));
  });
}
