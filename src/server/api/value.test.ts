import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import type { ValueSummary } from '../../analyses/value/index.js';
import type { Problem } from '../http/problem.js';
import { ALICE, BOB, CAROL, DAN, ERIN, ORG_TOKENS, orgUsage, STRANGER } from './fixtures.js';
import type { ValueAnswer } from './value.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(() => server?.close());

async function value(query: string, token: string): Promise<{ status: number; body: ValueAnswer }> {
  const res = await server.request(`/api/v1/value${query}`, { token });
  return { status: res.status, body: (await res.json()) as ValueAnswer };
}

const spendOf = (rows: ValueSummary[]) =>
  Object.fromEntries(
    rows.map((s) => [
      s.scope.kind === 'person' ? s.scope.personId : s.scope.kind === 'team' ? s.scope.team : 'org',
      s.spend.costUsd,
    ]),
  );

const audited = () =>
  readFileSync(server.server.context.audit.path!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { actor: string; action: string; subject: string });

describe('GET /api/v1/value', () => {
  it('gives an admin the org, every team and every person', async () => {
    const { status, body } = await value('', 'admin');
    expect(status).toBe(200);
    expect(body.org?.spend).toMatchObject({ costUsd: 62.75, sessions: 7 });
    expect(spendOf(body.teams)).toEqual({ payments: 2, platform: 4.75, data: 8 });
    expect(spendOf(body.people)).toEqual({
      [ALICE]: 2,
      [BOB]: 0.75,
      [CAROL]: 4,
      [DAN]: 8,
      [ERIN]: 16,
      [STRANGER]: 32,
    });
  });

  it('gives an engineer only themself and refuses them others', async () => {
    const { body } = await value('', 'bob');
    expect(body.org).toBeNull();
    expect(body.teams).toEqual([]);
    expect(spendOf(body.people)).toEqual({ [BOB]: 0.75 });
    const refused = await server.request(`/api/v1/value?person=${ERIN}`, { token: 'bob' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('costUsd');
    expect((await server.request('/api/v1/value?team=platform', { token: 'bob' })).status).toBe(403);
  });

  it('gives a manager their teams and their people, audited', async () => {
    const { body } = await value('?since=2026-01-01&until=2026-12-31', 'carol');
    expect(body.org).toBeNull();
    expect(spendOf(body.teams)).toEqual({ platform: 4.75 });
    expect(spendOf(body.people)).toEqual({ [BOB]: 0.75, [CAROL]: 4 });
    expect(audited().at(-1)).toMatchObject({ actor: CAROL, action: 'value', subject: 'team:platform' });
    const one = await value('?person=BobO', 'carol');
    expect(spendOf(one.body.people)).toEqual({ [BOB]: 0.75 });
    expect(one.body.teams).toEqual([]);
    expect(audited().at(-1)).toMatchObject({ actor: CAROL, action: 'value', subject: BOB });
    expect((await server.request(`/api/v1/value?person=${DAN}`, { token: 'carol' })).status).toBe(403);
  });

  it('narrows an admin to a team and a window in UTC days', async () => {
    const { body } = await value('?team=platform&since=2026-03-03&until=2026-03-03', 'admin');
    expect(body.org).toBeNull();
    expect(spendOf(body.teams)).toEqual({ platform: 4.25 });
    expect(spendOf(body.people)).toEqual({ [BOB]: 0.25, [CAROL]: 4 });
    expect(body.teams[0]!.window).toEqual({
      from: Date.parse('2026-03-03T00:00:00Z'),
      until: Date.parse('2026-03-04T00:00:00Z'),
    });
  });

  it('leaves the people out with people=none, keeping the org and teams', async () => {
    const full = await value('', 'admin');
    const { status, body } = await value('?people=none', 'admin');
    expect(status).toBe(200);
    expect(body.people).toEqual([]);
    expect(body.org).toEqual(full.body.org);
    expect(body.teams).toEqual(full.body.teams);
    expect((await value('?people=all', 'admin')).body).toEqual(full.body);
    const manager = await value('?people=none&since=2026-01-01&until=2026-12-31', 'carol');
    expect(spendOf(manager.body.teams)).toEqual({ platform: 4.75 });
    expect(manager.body.people).toEqual([]);
    expect((await server.request('/api/v1/value?people=some')).status).toBe(400);
  });

  it('names bad parameters', async () => {
    for (const [query, param] of [
      ['?since=03/01/2026', 'since'],
      ['?since=2026-03-05&until=2026-03-01', 'since'],
      ['?tz=UTC', 'tz'],
    ]) {
      const res = await server.request(`/api/v1/value${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as Problem).error.message).toContain(`"${param}"`);
    }
    expect((await server.request('/api/v1/value?team=nosuch')).status).toBe(404);
  });
});
