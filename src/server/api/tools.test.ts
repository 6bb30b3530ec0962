import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import type { ToolBreakdown } from '../../analyses/tools/breakdown.js';
import { BOB, ORG_TOKENS, orgUsage } from './fixtures.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(() => server?.close());

async function tools(query: string, token: string): Promise<{ status: number; body: ToolBreakdown }> {
  const res = await server.request(`/api/v1/tools${query}`, { token });
  return { status: res.status, body: (await res.json()) as ToolBreakdown };
}

const spendOf = (b: ToolBreakdown) => Object.fromEntries(b.rows.map((r) => [r.tool, r.cost_usd]));
const sessionsOf = (b: ToolBreakdown) =>
  Object.fromEntries(b.rows.map((r) => [r.tool, r.outcomes?.sessions]));

describe('GET /api/v1/tools', () => {
  it('gives an admin every tool’s usage and sessions, equal to the usage reports', async () => {
    const { status, body } = await tools('', 'admin');
    expect(status).toBe(200);
    expect(spendOf(body)).toEqual({ 'claude-code': 54.5, 'gemini-cli': 8, codex: 0.25 });
    expect(body.rows.map((r) => r.tool)).toEqual(['claude-code', 'gemini-cli', 'codex']);
    expect(body.totals.cost_usd).toBe(62.75);
    const model = (await (await server.request('/api/v1/reports/model', { token: 'admin' })).json()) as {
      totals: { calls: number; total_tokens: number };
    };
    expect(body.totals.calls).toBe(model.totals.calls);
    expect(body.totals.total_tokens).toBe(model.totals.total_tokens);
    // One session per person and day in the fixture (Alice's two calls share one).
    expect(sessionsOf(body)).toEqual({ 'claude-code': 5, 'gemini-cli': 1, codex: 1 });
    const claude = body.rows[0]!.outcomes!;
    expect(claude.costUsd).toBe(54.5);
    // Usage alone (no edits, no commits): nothing attempted, so no rate and no price per unit.
    expect(claude).toMatchObject({
      attempted: 0,
      agentWorkUnits: 0,
      successRate: null,
      costPerAgentWorkUnit: null,
    });
    expect(claude.outcomes.no_edits.sessions).toBe(5);
  });

  it('scopes like the usage reports: an engineer themself, a manager their team', async () => {
    expect(spendOf((await tools('', 'bob')).body)).toEqual({ 'claude-code': 0.5, codex: 0.25 });
    expect((await tools(`?person=${BOB}`, 'erin')).status).toBe(403);
    expect((await tools('?team=platform', 'bob')).status).toBe(403);
    const team = await tools('?team=platform&since=2026-03-01&until=2026-03-31', 'carol');
    expect(spendOf(team.body)).toEqual({ 'claude-code': 4.5, codex: 0.25 });
    expect((await tools('?team=data', 'carol')).status).toBe(403);
  });

  it('filters by tool and by UTC days', async () => {
    const { body } = await tools('?tool=codex,gemini-cli&since=2026-03-03&until=2026-03-04', 'admin');
    expect(spendOf(body)).toEqual({ 'gemini-cli': 8, codex: 0.25 });
    expect(body).toMatchObject({ since: '2026-03-03', until: '2026-03-04' });
    for (const [query, status] of [
      ['?tool=cursor', 400],
      ['?since=2026-03-05&until=2026-03-01', 400],
      ['?people=none', 400],
      ['?team=nosuch', 404],
    ] as const)
      expect((await server.request(`/api/v1/tools${query}`, { token: 'admin' })).status, query).toBe(status);
  });

  it('is described in the OpenAPI document, as is the value route’s people parameter', async () => {
    const doc = (await (await server.request('/api/v1/openapi.json', { token: null })).json()) as {
      paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }>;
    };
    expect(doc.paths['/api/v1/tools']?.get.parameters.map((p) => p.name)).toEqual([
      'since',
      'until',
      'tool',
      'person',
      'team',
    ]);
    const people = doc.paths['/api/v1/value']?.get.parameters.find((p) => p.name === 'people');
    expect(people?.schema.enum).toEqual(['all', 'none']);
  });
});
