/**
 * `mountWeb`: the dashboard's files and client-side routes are served without a token, and
 * never in place of the API, OTLP, webhooks or operations routes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/server/context.js';
import { isServerPath, mountWeb } from '../../src/server/http/web.js';

const dirs: string[] = [];

function appOn(dir: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/v1/thing', (c) => c.json({ thing: true }));
  mountWeb(app, dir);
  app.notFound((c) => c.json({ error: { status: 404 } }, 404));
  return app;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ty-web-static-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('mountWeb', () => {
  it('tells what to run when the dashboard is not built, and leaves server routes alone', async () => {
    const app = appOn(join(tempDir(), 'missing'));
    const page = await app.request('/board');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
    expect((await app.request('/api/v1/thing')).status).toBe(200);
    const api = await app.request('/api/v1/nothing');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });

  it('serves files, falls back to index.html for app routes, and 404s missing files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
    const app = appOn(dir);

    for (const path of [
      '/',
      '/board',
      '/people/kai.weber%40acme.example',
      '/people/kai.weber@acme.example',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('id="root"');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'");
    }
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');

    for (const path of [
      '/assets/gone-123.js',
      '/favicon.ico',
      '/healthz',
      '/metrics',
      '/v1/logs',
      '/webhooks/github',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/json');
      expect(res.headers.get('cache-control') ?? '', path).not.toContain('immutable');
    }
    expect((await app.request('/board', { method: 'POST' })).status).toBe(404);
  });

  it('knows the server’s own paths', () => {
    for (const p of ['/api', '/api/v1/me', '/v1/logs', '/webhooks/github', '/healthz', '/readyz', '/metrics'])
      expect(isServerPath(p), p).toBe(true);
    for (const p of ['/', '/board', '/people/x', '/apis', '/metricsboard', '/v1x'])
      expect(isServerPath(p), p).toBe(false);
  });
});
