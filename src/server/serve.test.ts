/**
 * The server's promises under load, over real HTTP: a 2xx means committed, overload is a 429 with
 * Retry-After that stores nothing, shutdown finishes what it acknowledged, and the health and
 * metrics endpoints answer without a token.
 */
import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequestsBody } from '../../test/fixtures/otel/payloads.js';
import { startTestServer, type TestServer } from '../../test/support/server.js';
import { openDuckDbStore } from '../ledger/store/duckdb/index.js';
import type { ReportJson } from './api/report-json.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  server = await startTestServer(options);
  return server;
}

function post(s: TestServer, body: Uint8Array) {
  return s.request('/v1/logs', {
    method: 'POST',
    token: 'ingest',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

async function storedCalls(s: TestServer): Promise<number> {
  const res = await s.request('/api/v1/reports/daily?tz=UTC');
  return ((await res.json()) as ReportJson).totals.calls;
}

describe('tokenyield serve under load', () => {
  it('answers 429 with Retry-After past its queue bound, and stores exactly the acknowledged calls', async () => {
    const s = await open({ settings: { maxQueuedRecords: 150 } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, async (_, n) => {
        const res = await post(s, apiRequestsBody(`r${n}`, 100));
        const body = await res.text();
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
      }),
    );
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(ok.length + refused.length).toBe(12);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(r.body)).toMatchObject({ code: 8, message: expect.stringMatching(/busy/) });
    }
    expect(await storedCalls(s)).toBe(ok.length * 100);
  });

  it('finishes and commits what it acknowledged when shut down mid-load', async () => {
    // Closed by the test itself; afterEach's close is then a no-op that removes the directory.
    const s = await open();
    const sends = Array.from({ length: 10 }, (_, n) =>
      post(s, apiRequestsBody(`d${n}`, 200)).then(
        async (res) => ({ status: res.status, text: await res.text() }),
        () => ({ status: 0, text: 'connection closed' }),
      ),
    );
    await new Promise((r) => setTimeout(r, 20));
    await s.server.close();
    const answers = await Promise.all(sends);
    const acknowledged = answers.filter((a) => a.status === 200).length;
    for (const a of answers) expect([0, 200, 503]).toContain(a.status);
    const store = await openDuckDbStore({ path: s.dbPath, readOnly: true });
    try {
      const rows = await store.usage({ groupBy: 'day', timeZone: 'UTC' });
      const calls = rows.reduce((n, r) => n + r.calls, 0);
      // Every acknowledged export is there; an unanswered one may or may not be (the exporter retries it).
      expect(calls).toBeGreaterThanOrEqual(acknowledged * 200);
      expect(calls % 200).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('serves /healthz, /readyz and Prometheus /metrics without a token', async () => {
    const s = await open();
    expect((await post(s, apiRequestsBody('m', 3))).status).toBe(200);
    expect((await s.request('/healthz', { token: null })).status).toBe(200);
    expect((await s.request('/readyz', { token: null })).status).toBe(200);
    const metrics = await s.request('/metrics', { token: null });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^tokenyield_ledger_commits_total 1$/m);
    expect(text).toMatch(/^tokenyield_ingest_records_total\{signal="logs",outcome="accepted"\} 3$/m);
  });

  it('keeps an idle connection open past the ~6 s at which Node would close it', async () => {
    const s = await open();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // The local port names the connection: the same port means the same connection was reused.
    const get = () =>
      new Promise<{ status: number | undefined; port: number | undefined }>((resolve, reject) => {
        const req = request(`${s.url}/healthz`, { agent }, (res) => {
          const port = res.socket.localPort;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, port }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get();
      // Node's default keepAliveTimeout (5 s, closed after ~6 s here) would have closed it by now.
      await new Promise((r) => setTimeout(r, 7000));
      const second = await get();
      expect(first.status).toBe(200);
      expect(second).toEqual({ status: 200, port: first.port });
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
