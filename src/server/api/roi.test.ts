import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import { parseBudget } from '../../analyses/budgets/index.js';
import type { RoiReport } from '../../analyses/roi/index.js';
import type { Problem } from '../http/problem.js';
import { ORG_TOKENS, orgUsage } from './fixtures.js';
import type { ValueAnswer } from './value.js';

let server: TestServer;
const NOW = Date.parse('2026-03-10T12:00:00Z');

// March 2026 in the fixture: Alice 2 (payments), Bob 0.75 of which 0.25 with codex, Carol 4
// (platform), Dan 8 (data), Erin 16 (no team), a stranger 32: 62.75 in all, all in the week of
// Monday 2026-03-02. The sessions edit nothing, so all of it is waste with the cause `no_edits`.
beforeAll(async () => {
  server = await startTestServer({
    people: ORG_PEOPLE,
    tokens: ORG_TOKENS,
    settings: { minGroupSize: 2 },
    now: () => NOW,
    budgets: [
      parseBudget({ id: 'org', scope: { kind: 'org' }, period: 'month', amount: 100 }),
      parseBudget({ id: 'platform', scope: { kind: 'team', id: 'platform' }, period: 'month', amount: 4 }),
      parseBudget({ id: 'each', scope: { kind: 'org' }, period: 'month', amount: 10, perPerson: true }),
    ],
  });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
  await server.server.context.budgets.settled();
});
afterAll(() => server?.close());

async function roi(query: string, token: string): Promise<{ status: number; body: RoiReport }> {
  const res = await server.request(`/api/v1/roi${query}`, { token });
  return { status: res.status, body: (await res.json()) as RoiReport };
}

const MARCH = '?since=2026-03-01&until=2026-03-31';

describe('GET /api/v1/roi', () => {
  it('gives an admin the org per week, equal to the value route', async () => {
    const { status, body } = await roi(MARCH, 'admin');
    expect(status).toBe(200);
    expect(body.scope).toEqual({ kind: 'org' });
    expect(body.periods.map((p) => [p.start, p.spendUsd])).toEqual([
      ['2026-02-23', 0],
      ['2026-03-02', 62.75],
      ['2026-03-09', 0],
      ['2026-03-16', 0],
      ['2026-03-23', 0],
      ['2026-03-30', 0],
    ]);
    expect(body.periods[0]!.partial).toBe(true);
    expect(body.totals).toMatchObject({ spendUsd: 62.75, nd: 0, costPerNd: null, agentWorkUnits: 0 });
    expect(body.totals.waste).toMatchObject({ usd: 62.75, share: 1 });
    expect(body.totals.waste.byCause.no_edits).toBe(62.75);
    const value = (await (
      await server.request(`/api/v1/value${MARCH}&people=none`, { token: 'admin' })
    ).json()) as ValueAnswer;
    expect(body.totals.spendUsd).toBe(value.org!.spend.costUsd);
    expect(body.totals.waste.usd).toBe(value.org!.waste.costUsd);
  });

  it('withholds teams under the minimum group size', async () => {
    const { body } = await roi(MARCH, 'admin');
    expect(body.teams.map((t) => [t.team, t.suppressed, t.numbers?.spendUsd ?? null])).toEqual([
      ['data', true, null],
      ['payments', true, null],
      ['platform', false, 4.75],
      [null, false, 48], // Erin and the stranger: in no team
    ]);
  });

  it('reports the budgets of exactly the scope, with outcomes per budget dollar', async () => {
    const org = (await roi(MARCH, 'admin')).body.budgets;
    expect(org.map((b) => b.id)).toEqual(['each', 'org']);
    expect(org[1]).toMatchObject({ spent: 62.75, limit: 100, outcomes: { nd: 0 }, ndPerThousandSpent: 0 });
    expect(org[0]!.note).toContain('per-person');
    const platform = (await roi(`${MARCH}&team=platform`, 'admin')).body;
    expect(platform.budgets.map((b) => b.id)).toEqual(['platform']);
    expect(platform.totals.spendUsd).toBe(4.75);
  });

  it('gives a manager their teams and an engineer only themself', async () => {
    const carol = (await roi(MARCH, 'carol')).body;
    expect(carol.scope).toEqual({ kind: 'teams', teams: ['platform'] });
    expect(carol.totals.spendUsd).toBe(4.75);
    expect((await roi(`${MARCH}&team=data`, 'carol')).status).toBe(403);
    const bob = await roi(MARCH, 'bob');
    expect(bob.status).toBe(200);
    expect(bob.body.scope).toEqual({ kind: 'person', personId: 'bob@acme.example' });
    expect(bob.body.totals.spendUsd).toBe(0.75);
    expect(bob.body.teams).toEqual([]);
    const refused = await server.request(`/api/v1/roi${MARCH}&team=platform`, { token: 'bob' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).error.message).toContain('engineer');
  });

  it('narrows to a tool and leaves unsplit outcomes out', async () => {
    const { body } = await roi(`${MARCH}&tool=codex&period=month`, 'admin');
    expect(body.periods.map((p) => [p.start, p.spendUsd])).toEqual([['2026-03-01', 0.25]]);
    expect(body.totals).toMatchObject({ spendUsd: 0.25, nd: null, durableChanges: null });
    expect(body.flagged).toBeNull();
  });

  it('names bad parameters', async () => {
    for (const [query, param] of [
      ['?period=day', 'period'],
      ['?tool=cursor', 'tool'],
      ['?since=2026-03-05&until=2026-03-01', 'since'],
      ['?person=bob', 'person'],
    ]) {
      const res = await server.request(`/api/v1/roi${query}`, { token: 'admin' });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as Problem).error.message).toContain(`"${param}"`);
    }
    expect((await server.request('/api/v1/roi?team=nosuch', { token: 'admin' })).status).toBe(404);
  });
});
