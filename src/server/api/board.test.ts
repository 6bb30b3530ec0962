import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import type { Board, Explanation } from '../../analyses/board/index.js';
import type { Problem } from '../http/problem.js';
import { ALICE, BOB, CAROL, ORG_TOKENS, orgUsage } from './fixtures.js';

let server: TestServer;
/** The same ledger under a smaller minimum group size, so that a team board shows numbers. */
let small: TestServer;

beforeAll(async () => {
  server = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS });
  small = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS, settings: { minGroupSize: 2 } });
  for (const s of [server, small])
    await s.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(async () => {
  await server?.close();
  await small?.close();
});

async function get<T>(s: TestServer, path: string, token: string): Promise<{ status: number; body: T }> {
  const res = await s.request(path, { token });
  return { status: res.status, body: (await res.json()) as T };
}

const audited = () =>
  readFileSync(server.server.context.audit.path!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { actor: string; action: string; subject: string });

describe('GET /api/v1/board', () => {
  it('suppresses every team below the minimum group size, naming them without numbers', async () => {
    const { status, body } = await get<Board>(server, '/api/v1/board?lens=spend', 'bob');
    expect(status).toBe(200);
    expect(body.entries).toEqual([]);
    expect(body.suppressed.map((s) => s.id).sort()).toEqual(['data', 'payments', 'platform']);
    expect(body.settings.minGroupSize).toBe(5);
  });

  it('shows teams at or above the minimum with their numbers', async () => {
    const { body } = await get<Board>(small, '/api/v1/board?lens=spend', 'bob');
    expect(body.entries.map((e) => [e.id, e.size, e.metrics.costUsd])).toEqual([['platform', 2, 4.75]]);
    expect(body.suppressed.map((s) => s.id).sort()).toEqual(['data', 'payments']);
  });

  it('shows individuals who opted in and the viewer themself; the rest only to an admin asking for all', async () => {
    const asBob = await get<Board>(server, '/api/v1/board?lens=spend&level=person', 'bob');
    expect(asBob.body.entries.map((e) => [e.id, e.self, e.metrics.costUsd])).toEqual([
      [ALICE, false, 2],
      [BOB, true, 0.75],
    ]);
    expect(asBob.body.hidden).toBe(4);

    expect((await server.request('/api/v1/board?level=person&all=true', { token: 'bob' })).status).toBe(403);
    expect((await server.request('/api/v1/board?level=person&all', { token: 'carol' })).status).toBe(403);
    const asAdmin = await get<Board>(server, '/api/v1/board?lens=spend&level=person&all=1&exact', 'admin');
    expect(asAdmin.body.entries.map((e) => [e.rank, e.metrics.costUsd])).toEqual([
      [1, 32],
      [2, 16],
      [3, 8],
      [4, 4],
      [5, 2],
      [6, 0.75],
    ]);
    expect(audited().at(-1)).toMatchObject({ actor: 'admin', action: 'board.individuals', subject: 'org' });
  });

  it('lets min_group raise the minimum but never lower it', async () => {
    const raised = await get<Board>(server, '/api/v1/board?lens=spend&level=person&min_group=10', 'bob');
    expect(raised.body.entries).toEqual([]);
    expect(raised.body.settings.minGroupSize).toBe(10);
    const lowered = await get<Board>(server, '/api/v1/board?lens=spend&min_group=1', 'bob');
    expect(lowered.body.settings.minGroupSize).toBe(5);
    expect(lowered.body.entries).toEqual([]);
  });

  it('names bad parameters', async () => {
    for (const [query, param] of [
      ['lens=tokens', 'lens'],
      ['level=org', 'level'],
      ['min_group=0', 'min_group'],
      ['min_group=two', 'min_group'],
      ['exact=maybe', 'exact'],
    ]) {
      const res = await server.request(`/api/v1/board?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as Problem).error.message).toContain(`"${param}"`);
    }
  });
});

describe('GET /api/v1/board/explain/{person}', () => {
  it('explains an engineer’s own numbers to them, without an audit entry', async () => {
    const before = audited().length;
    const { status, body } = await get<Explanation>(server, '/api/v1/board/explain/BobO?lens=spend', 'bob');
    expect(status).toBe(200);
    expect(body.personId).toBe(BOB);
    expect(body.totals.spend.costUsd).toBe(0.75);
    expect(body.sessions.map((s) => s.costUsd).sort()).toEqual([0.25, 0.5]);
    expect(body.position?.self).toBe(true);
    expect(audited()).toHaveLength(before);
  });

  it('refuses an engineer someone else', async () => {
    const res = await server.request(`/api/v1/board/explain/${encodeURIComponent(CAROL)}`, { token: 'bob' });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('sessions');
  });

  it('explains a team member to their manager and any person to an admin, audited', async () => {
    const { status, body } = await get<Explanation>(
      server,
      '/api/v1/board/explain/bob@acme.example',
      'carol',
    );
    expect(status).toBe(200);
    expect(body.totals.spend.costUsd).toBe(0.75);
    expect(audited().at(-1)).toMatchObject({ actor: CAROL, action: 'board.explain', subject: BOB });
    expect((await server.request('/api/v1/board/explain/contractor-dan', { token: 'carol' })).status).toBe(
      403,
    );
    expect((await server.request('/api/v1/board/explain/contractor-dan', { token: 'admin' })).status).toBe(
      200,
    );
    expect((await server.request('/api/v1/board/explain/nobody', { token: 'admin' })).status).toBe(404);
  });
});
