import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import { ALICE, BOB, CAROL, DAN, ERIN, ORG_TOKENS, orgUsage, STRANGER } from './fixtures.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    people: ORG_PEOPLE,
    tokens: [...ORG_TOKENS, { name: 'robot', role: 'admin' }],
  });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(() => server?.close());

async function get(path: string, token: string) {
  const res = await server.request(path, { token });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

const audited = () =>
  readFileSync(server.server.context.audit.path!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { actor: string; action: string; subject: string });

const ids = (people: Array<{ id: string }>) => people.map((p) => p.id).sort();

describe('GET /api/v1/me', () => {
  it('says who the caller is and what they may read', async () => {
    expect((await get('/api/v1/me', 'bob')).body).toEqual({
      kind: 'user',
      name: 'bob',
      role: 'engineer',
      person: { id: BOB, name: 'Bob Okafor', email: BOB, team: 'platform', boardOptIn: false },
      readableTeams: [],
    });
    expect((await get('/api/v1/me', 'carol')).body).toMatchObject({
      role: 'manager',
      readableTeams: ['platform'],
    });
    expect((await get('/api/v1/me', 'admin')).body).toMatchObject({
      role: 'admin',
      person: null,
      readableTeams: 'all',
    });
    expect((await get('/api/v1/me', 'ingest')).body).toEqual({ kind: 'ingest', name: 'ingest', team: null });
  });
});

describe('GET /api/v1/people', () => {
  it('lists everyone for an admin, a manager’s teams (past members too) and themself, an engineer only themself', async () => {
    expect(ids((await get('/api/v1/people', 'admin')).body.people)).toEqual(
      [ALICE, BOB, CAROL, DAN, ERIN].sort(),
    );
    expect(ids((await get('/api/v1/people', 'carol')).body.people)).toEqual([ALICE, BOB, CAROL]);
    expect(ids((await get('/api/v1/people', 'alice')).body.people)).toEqual([ALICE]);
    expect((await get('/api/v1/people', 'erin')).body.people).toEqual([
      { id: ERIN, name: 'Erin Walsh', email: ERIN, team: null, boardOptIn: false },
    ]);
    expect(audited().slice(-2)).toMatchObject([
      { actor: CAROL, action: 'people.list', subject: 'team:platform' },
      { actor: ALICE, action: 'people.list', subject: 'team:payments' },
    ]);
  });

  it('finds one person by any alias for those who may read them, audited', async () => {
    const self = await get('/api/v1/people/BobO', 'bob');
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ id: BOB, team: 'platform', costCentre: 'CC-200' });
    expect(self.body.aliases).toContainEqual({ kind: 'github', value: 'bobo' });

    const before = audited().length;
    const managed = await get('/api/v1/people/alice-ng', 'carol');
    expect(managed.status).toBe(200);
    expect(managed.body.memberships).toHaveLength(2);
    expect(audited().slice(before)).toMatchObject([{ actor: CAROL, action: 'people.get', subject: ALICE }]);
  });

  it('refuses others alike whether or not they exist', async () => {
    for (const [who, token] of [
      [CAROL, 'bob'],
      ['nobody@nowhere', 'bob'],
      [DAN, 'carol'],
      ['nobody@nowhere', 'carol'],
      [BOB, 'alice'],
    ] as const) {
      const { status, text } = await get(`/api/v1/people/${encodeURIComponent(who)}`, token);
      expect(status, `${token} → ${who}`).toBe(403);
      expect(text).not.toMatch(/aliases|memberships|CC-/);
    }
    expect((await get('/api/v1/people/nobody@nowhere', 'admin')).status).toBe(404);
  });

  it('lists unresolved identities with their spend for admins only', async () => {
    const { status, body } = await get('/api/v1/people/unresolved', 'admin');
    expect(status).toBe(200);
    expect(body.identities).toEqual([
      { kind: 'email', value: STRANGER, costUsd: 32, calls: 1, commits: 0, pullRequests: 0 },
    ]);
    expect(body.seen).toMatchObject({ costUsd: 62.75, calls: 8 });
    expect((await get('/api/v1/people/unresolved', 'carol')).status).toBe(403);
  });
});

describe('GET /api/v1/teams', () => {
  it('shows every caller the teams, with counts below the minimum group size withheld from outsiders', async () => {
    expect((await get('/api/v1/teams', 'bob')).body.teams).toEqual([
      { id: 'data', name: 'Data', members: null, readable: false },
      { id: 'payments', name: 'Payments', members: null, readable: false },
      { id: 'platform', name: 'Platform', members: null, readable: false },
    ]);
    expect((await get('/api/v1/teams', 'carol')).body.teams).toContainEqual({
      id: 'platform',
      name: 'Platform',
      members: 2,
      readable: true,
    });
    expect(
      (await get('/api/v1/teams', 'admin')).body.teams.map((t: { members: number }) => t.members),
    ).toEqual([0, 1, 2]);
  });

  it('lists a team’s managers and members only to those who may read it, audited', async () => {
    const outsider = await get('/api/v1/teams/platform', 'bob');
    expect(outsider.body).toEqual({ id: 'platform', name: 'Platform', members: null, readable: false });

    const before = audited().length;
    const manager = await get('/api/v1/teams/platform', 'carol');
    expect(manager.body.managers).toEqual([{ id: CAROL, name: 'Carol Díaz' }]);
    expect(ids(manager.body.people)).toEqual([BOB, CAROL]);
    const past = await get('/api/v1/teams/platform?since=2025-01-01&until=2025-12-31', 'carol');
    expect(ids(past.body.people)).toEqual([ALICE, BOB, CAROL]);
    const data = await get('/api/v1/teams/data?since=2026-03-01&until=2026-03-31', 'admin');
    expect(ids(data.body.people)).toEqual([DAN]);
    expect(audited().slice(before)).toMatchObject([
      { actor: CAROL, action: 'teams.members', subject: 'team:platform' },
      { actor: CAROL, action: 'teams.members', subject: 'team:platform' },
      { actor: 'admin', action: 'teams.members', subject: 'team:data' },
    ]);
    expect((await get('/api/v1/teams/nosuch', 'bob')).status).toBe(404);
    expect((await get('/api/v1/teams/data?until=2026-02-30', 'admin')).body.error.message).toContain(
      '"until"',
    );
  });
});
