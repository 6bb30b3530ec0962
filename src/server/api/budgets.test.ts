import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import { parseBudget } from '../../analyses/budgets/index.js';
import { BOB, CAROL, ERIN, ORG_TOKENS, orgUsage } from './fixtures.js';

let server: TestServer;
const NOW = Date.parse('2026-03-10T12:00:00Z');

// March 2026 in the fixture: Alice 2 (payments), Bob 0.75 and Carol 4 (platform), Dan 8 (data),
// Erin 16 (no team), a stranger 32: 62.75 in all.
beforeAll(async () => {
  server = await startTestServer({
    people: ORG_PEOPLE,
    tokens: ORG_TOKENS,
    now: () => NOW,
    budgets: [
      parseBudget({ id: 'org', scope: { kind: 'org' }, period: 'month', amount: 100 }),
      parseBudget({
        id: 'platform',
        scope: { kind: 'team', id: 'platform' },
        period: 'month',
        amount: 4,
        hard: true,
      }),
      parseBudget({ id: 'each', scope: { kind: 'org' }, period: 'month', amount: 10, perPerson: true }),
    ],
  });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
  await server.server.context.budgets.settled();
});
afterAll(() => server?.close());

async function get<T = Record<string, unknown>>(
  path: string,
  token: string,
): Promise<{ status: number; body: T }> {
  const res = await server.request(path, { token });
  return { status: res.status, body: (await res.json()) as T };
}

async function send(method: 'PUT' | 'DELETE', path: string, token: string, body?: unknown) {
  const res = await server.request(path, {
    token,
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error: { message: string }; status: unknown },
  };
}

interface Listed {
  id: string;
  view: string;
  spent?: number;
  percent?: number;
  allowances?: { rows: { personId: string; spent: number }[] } | null;
}

describe('budgets API', () => {
  it('lists every budget for an admin, with spend, state and allowances', async () => {
    const { status, body } = await get<{ budgets: Listed[]; invalid: unknown[] }>('/api/v1/budgets', 'admin');
    expect(status).toBe(200);
    expect(body.invalid).toEqual([]);
    const byId = Object.fromEntries(body.budgets.map((b) => [b.id, b]));
    expect(Object.keys(byId)).toEqual(['each', 'org', 'platform']);
    expect(byId.org).toMatchObject({ view: 'full', spent: 62.75, state: 'warning' });
    expect(byId.platform).toMatchObject({ spent: 4.75, state: 'exceeded', name: 'Platform' });
    expect(byId.each!.allowances!.rows.slice(0, 2).map((r) => [r.personId, r.spent])).toEqual([
      ['stranger@else.example', 32],
      [ERIN, 16],
    ]);
  });

  it('shows a manager their team’s budget and their people’s allowances, an engineer only their own', async () => {
    const carol = (await get<{ budgets: Listed[] }>('/api/v1/budgets', 'carol')).body.budgets;
    expect(carol.map((b) => [b.id, b.view])).toEqual([
      ['each', 'rows'],
      ['platform', 'full'],
    ]);
    expect(carol[0]!.allowances!.rows.map((r) => r.personId)).toEqual([CAROL, BOB]);
    expect(carol[0]).not.toHaveProperty('spent');
    const bob = (await get<{ budgets: Listed[] }>('/api/v1/budgets', 'bob')).body.budgets;
    expect(bob.map((b) => [b.id, b.view])).toEqual([['each', 'rows']]);
    expect(bob[0]!.allowances!.rows).toEqual([
      { personId: BOB, spent: 0.75, percent: 7.5, name: 'Bob Okafor' },
    ]);
    expect((await get('/api/v1/budgets/platform', 'bob')).status).toBe(403);
    expect((await get('/api/v1/budgets/org', 'alice')).status).toBe(403);
    expect((await get('/api/v1/budgets/nope', 'admin')).status).toBe(404);
  });

  it('gives one budget’s days, thresholds and forecast', async () => {
    const { status, body } = await get<{
      period: unknown;
      days: unknown[];
      thresholds: { crossedOn: string }[];
      forecast: { exhaustsOn: string; path: { date: string }[] };
    }>('/api/v1/budgets/platform', 'carol');
    expect(status).toBe(200);
    expect(body.period).toMatchObject({ start: '2026-03-01', end: '2026-04-01', label: 'March 2026' });
    expect(body.days).toHaveLength(10);
    expect(body.thresholds.map((t) => t.crossedOn)).toEqual(['2026-03-03', '2026-03-03', '2026-03-03']);
    expect(body.forecast.exhaustsOn).toBe('2026-03-03');
    expect(body.forecast.path.at(-1)!.date).toBe('2026-03-31');
  });

  it('lets an admin set and remove budgets; the config file’s ids are refused', async () => {
    const created = await send('PUT', '/api/v1/budgets/data', 'admin', {
      scope: { kind: 'team', id: 'data' },
      period: 'quarter',
      fiscalYearStart: 2,
      amount: 20,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      source: 'api',
      updatedBy: 'admin',
      budget: { id: 'data', unit: 'usd' },
    });
    expect(created.body.status).toMatchObject({ spent: 8, percent: 40, period: { start: '2026-02-01' } });
    expect((await send('PUT', '/api/v1/budgets/data', 'carol', { scope: { kind: 'org' } })).status).toBe(403);
    const conflict = await send('PUT', '/api/v1/budgets/org', 'admin', {
      scope: { kind: 'org' },
      period: 'month',
      amount: 1,
    });
    expect(conflict.status).toBe(409);
    const bad = await send('PUT', '/api/v1/budgets/x', 'admin', {
      scope: { kind: 'org' },
      period: 'week',
      amount: -1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/period: .*amount: /);
    expect((await send('PUT', '/api/v1/budgets/x', 'admin', '{not json')).status).toBe(400);
    expect(
      (await send('PUT', '/api/v1/budgets/x', 'admin', { id: 'y', scope: { kind: 'org' } })).status,
    ).toBe(400);
    expect((await send('DELETE', '/api/v1/budgets/data', 'admin')).body).toEqual({ removed: 'data' });
    expect((await send('DELETE', '/api/v1/budgets/data', 'admin')).status).toBe(404);
    expect((await send('DELETE', '/api/v1/budgets/org', 'admin')).status).toBe(409);
    expect((await send('DELETE', '/api/v1/budgets/org', 'bob')).status).toBe(403);
  });

  it('keeps the alert history of each budget', async () => {
    const { body } = await get<{ alerts: { event: { key: string; message: string } }[] }>(
      '/api/v1/budgets/platform/alerts',
      'carol',
    );
    expect(body.alerts.map((a) => a.event.key).sort()).toEqual([
      'platform:2026-03-01:threshold:100',
      'platform:2026-03-01:threshold:50',
      'platform:2026-03-01:threshold:80',
    ]);
    expect(body.alerts.find((a) => a.event.key.endsWith(':100'))!.event.message).toBe(
      'Platform has used 118 % of its $4 March budget; it ran out on 3 March.',
    );
    expect((await get('/api/v1/budgets/platform/alerts', 'bob')).status).toBe(403);
  });

  it('answers what a per-person cap would have saved', async () => {
    const { status, body } = await get<{ rows: { personId: string; stoppedOn: string }[] }>(
      '/api/v1/budgets/org/what-if?cap=5',
      'admin',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ cap: 5, spent: 62.75, saved: 27 + 11 + 3, stopped: 3 });
    expect(body.rows.map((r) => [r.personId, r.stoppedOn])).toEqual([
      ['stranger@else.example', '2026-03-05'],
      [ERIN, '2026-03-05'],
      ['contractor-dan', '2026-03-04'],
    ]);
    expect((await get('/api/v1/budgets/org/what-if?cap=-2', 'admin')).status).toBe(400);
    expect((await get('/api/v1/budgets/org/what-if', 'admin')).status).toBe(400);
    expect((await get('/api/v1/budgets/each/what-if?cap=5', 'carol')).status).toBe(403);
  });

  it('budget-check: allow, warn or deny with the reason, for whoever the token may check', async () => {
    const check = (q: string, token: string) =>
      get<{ decision: string; reason: string }>(`/api/v1/budget-check${q}`, token);
    const gateway = await check('?person=BobO&tool=claude-code', 'ingest');
    expect(gateway.status).toBe(200);
    expect(gateway.body).toMatchObject({
      decision: 'deny',
      reason: 'Platform is used up: $4.75 of $4 for March 2026; it is a hard limit.',
      person: BOB,
      team: 'platform',
      tool: 'claude-code',
    });
    expect((await check('', 'bob')).body.decision).toBe('deny');
    expect((await check(`?person=${CAROL}`, 'bob')).status).toBe(403);
    expect((await check('?person=BobO', 'carol')).body.decision).toBe('deny');
    const erin = await check(`?person=${ERIN}`, 'admin');
    expect(erin.body).toMatchObject({ decision: 'warn', team: null });
    expect(erin.body.reason).toBe(
      `${ERIN}'s allowance in The organisation per person is over its limit: $16 of $10 for March 2026 (160 %).`,
    );
    expect((await check('', 'ingest')).status).toBe(400);
    expect((await check('?person=BobO&tool=notepad', 'ingest')).status).toBe(400);
  });

  it('is described in the OpenAPI document, writes included', async () => {
    const doc = (
      await get<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json', 'admin')
    ).body;
    expect(Object.keys(doc.paths['/api/v1/budgets/{id}']!).sort()).toEqual(['delete', 'get', 'put']);
    expect(doc.paths['/api/v1/budgets/{id}']!.put).toHaveProperty('requestBody');
    expect(doc.paths['/api/v1/budget-check']!.get).toBeDefined();
  });
});
