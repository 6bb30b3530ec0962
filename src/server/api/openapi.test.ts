import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { createApp } from '../app.js';
import { createTokenTable } from '../auth/tokens.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

interface Operation {
  operationId: string;
  summary: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  responses: Record<string, { description: string }>;
  security: unknown[];
}

async function document() {
  const res = await server.request('/api/v1/openapi.json', { token: null });
  expect(res.status).toBe(200);
  return (await res.json()) as { openapi: string; paths: Record<string, Record<string, Operation>> };
}

describe('GET /api/v1/openapi.json', () => {
  it('is served without a token and describes every route the server mounts under /api/v1', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    // The app as the server builds it, routes of every module included.
    const app = createApp(server.server.context, {
      tokens: createTokenTable([]),
      readiness: { ready: () => true },
    });
    const mounted = app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1'))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(mounted.length).toBeGreaterThan(10);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(mounted));
  });

  it('also describes OTLP, health, metrics and webhooks', async () => {
    const doc = await document();
    for (const [method, path] of [
      ['post', '/v1/logs'],
      ['post', '/v1/metrics'],
      ['get', '/healthz'],
      ['get', '/readyz'],
      ['get', '/metrics'],
      ['post', '/webhooks/github'],
      ['post', '/webhooks/deployments'],
    ] as const)
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    expect(doc.paths['/v1/logs']!.post!.security).toEqual([{ bearer: [] }]);
  });

  it('gives every API operation its parameters with types, enums and answers, behind a bearer token', async () => {
    const doc = await document();
    const reports = doc.paths['/api/v1/reports/{kind}']!.get!;
    expect(reports.security).toEqual([{ bearer: [] }]);
    expect(reports.parameters.find((p) => p.name === 'kind')).toMatchObject({
      in: 'path',
      required: true,
      schema: { type: 'string', enum: ['daily', 'weekly', 'monthly', 'session', 'model', 'project'] },
    });
    expect(reports.parameters.find((p) => p.name === 'since')?.schema).toEqual({
      type: 'string',
      format: 'date',
    });
    expect(reports.parameters.find((p) => p.name === 'tool')?.schema).toMatchObject({
      type: 'array',
      items: { enum: ['claude-code', 'codex', 'gemini-cli'] },
    });
    expect(Object.keys(reports.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
    const board = doc.paths['/api/v1/board']!.get!;
    expect(board.parameters.find((p) => p.name === 'min_group')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
    });
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
