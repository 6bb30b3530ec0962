import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoLedger, type DemoLedger } from '../../../test/support/demo-ledger.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { flagBookFromStore } from '../../analyses/integrity/index.js';
import { ALL_TIME, valueModelFromStore } from '../../analyses/value/index.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';

interface ListedFlag {
  id: string;
  personId: string;
  team: string | null;
  status: string;
  signals: string[];
  canReview: boolean;
  decision: { status: string; note: string; by: string } | null;
}

let demo: DemoLedger;
let server: TestServer;
/** Flags as the analyses compute them from the ledger, before the server runs. */
let expectedIds: string[];
let flagged: { person: string; team: string; flagId: string };
let manager: string;
let otherManager: string;
let bystander: string;

beforeAll(async () => {
  demo = await buildDemoLedger({ seed: 5, engineers: 60, teams: 4, days: 70 });
  const store = await openDuckDbStore({ path: demo.path });
  try {
    const book = await flagBookFromStore(store, await valueModelFromStore(store, demo.directory), ALL_TIME);
    expectedIds = book.flags.map((f) => f.id).sort();
    const dir = demo.directory;
    const managers = new Set(dir.teams.flatMap((t) => t.managers));
    // A flagged engineer whose team has a manager (and who is no manager themself).
    const f = book.flags.find((f) => {
      const team = dir.teamAt(f.personId, f.window.until - 1);
      return (
        team && !managers.has(f.personId) && (dir.teams.find((t) => t.id === team)?.managers.length ?? 0) > 0
      );
    })!;
    const team = dir.teamAt(f.personId, f.window.until - 1)!;
    flagged = { person: f.personId, team, flagId: f.id };
    manager = dir.teams.find((t) => t.id === team)!.managers[0]!;
    otherManager = dir.teams.find((t) => t.id !== team && t.managers.length > 0)!.managers[0]!;
    const flaggedPeople = new Set(book.flags.map((g) => g.personId));
    bystander = demo.org.people.find((p) => !flaggedPeople.has(p.id) && !managers.has(p.id))!.id;
  } finally {
    await store.close();
  }
  server = await startTestServer({
    people: demo.peopleFile,
    dbPath: demo.path,
    tokens: [
      { name: 'flagged', role: 'engineer', person: flagged.person },
      { name: 'bystander', role: 'engineer', person: bystander },
      { name: 'manager', role: 'manager', person: manager },
      { name: 'other-manager', role: 'manager', person: otherManager },
    ],
  });
});

afterAll(async () => {
  await server?.close();
  if (server) rmSync(server.dir, { recursive: true, force: true });
  if (demo) rmSync(demo.dir, { recursive: true, force: true });
});

async function get(path: string, token: string) {
  const res = await server.request(path, { token });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function review(id: string, token: string, body: unknown) {
  const res = await server.request(`/api/v1/flags/${id}/review`, {
    token,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const flagsOf = (body: Record<string, unknown>) => body.flags as ListedFlag[];
const audited = () =>
  (existsSync(server.server.context.audit.path!)
    ? readFileSync(server.server.context.audit.path!, 'utf8')
    : ''
  )
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { actor: string; action: string; subject: string });

describe('/api/v1/flags', () => {
  it('lists for an admin every flag the analyses compute from the ledger, and is in the OpenAPI document', async () => {
    const { status, body } = await get('/api/v1/flags', 'admin');
    expect(status).toBe(200);
    expect(
      flagsOf(body)
        .map((f) => f.id)
        .sort(),
    ).toEqual(expectedIds);
    expect(flagsOf(body).every((f) => f.status === 'open' && f.canReview)).toBe(true);
    const paths = (await get('/api/v1/openapi.json', 'admin')).body.paths as Record<string, object>;
    expect(Object.keys(paths['/api/v1/flags/{id}/review']!)).toEqual(['post']);
    expect(paths['/api/v1/flags/{id}/explain']).toBeDefined();
  });

  it('shows an engineer their own flags and evidence, and nobody else’s', async () => {
    const mine = flagsOf((await get('/api/v1/flags', 'flagged')).body);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((f) => f.personId === flagged.person && !f.canReview)).toBe(true);
    const shown = await get(`/api/v1/flags/${flagged.flagId}`, 'flagged');
    expect(shown.status).toBe(200);
    expect((shown.body.findings as unknown[]).length).toBeGreaterThan(0);
    const explained = await get(`/api/v1/flags/${flagged.flagId}/explain`, 'flagged');
    expect(explained.status).toBe(200);
    expect((explained.body.sessions as unknown[]).length).toBeGreaterThan(0);
    // Another person's flag is "not found" alike whether or not it exists.
    expect((await get(`/api/v1/flags/${flagged.flagId}`, 'bystander')).status).toBe(404);
    expect((await get('/api/v1/flags/fl-0000000000000000', 'bystander')).status).toBe(404);
    expect(flagsOf((await get('/api/v1/flags', 'bystander')).body)).toEqual([]);
    expect(
      (await get(`/api/v1/flags?person=${encodeURIComponent(flagged.person)}`, 'bystander')).status,
    ).toBe(403);
  });

  it('shows a manager their teams’ flags, audited, and not other teams’', async () => {
    const before = audited().length;
    const theirs = flagsOf((await get('/api/v1/flags', 'manager')).body);
    expect(theirs.map((f) => f.id)).toContain(flagged.flagId);
    expect(theirs.every((f) => f.team === flagged.team)).toBe(true);
    expect((await get(`/api/v1/flags/${flagged.flagId}`, 'manager')).status).toBe(200);
    expect(audited().slice(before)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: manager, action: 'flags.list', subject: `team:${flagged.team}` }),
        expect.objectContaining({ actor: manager, action: 'flags.get', subject: flagged.person }),
      ]),
    );
    expect((await get(`/api/v1/flags/${flagged.flagId}`, 'other-manager')).status).toBe(404);
  });

  it('lets the team’s manager review, never the person flagged, and puts a dismissed person back on the board', async () => {
    const own = await review(flagged.flagId, 'flagged', { status: 'dismissed', note: 'not me' });
    expect(own.status).toBe(403);
    expect(JSON.stringify(own.body)).toMatch(/own flag/);
    expect((await review(flagged.flagId, 'other-manager', { status: 'dismissed', note: 'x' })).status).toBe(
      404,
    );
    expect((await review(flagged.flagId, 'manager', { status: 'dismissed' })).status).toBe(400);
    expect((await review(flagged.flagId, 'manager', { status: 'open', note: 'reopen' })).status).toBe(400);
    expect((await review(flagged.flagId, 'manager', '{not json')).status).toBe(400);

    const heldOut = async () => {
      const b = (await get('/api/v1/board?level=person&all=true', 'admin')).body as {
        heldOutEntries: Array<{ id: string; flagIds: string[] }>;
      };
      return b.heldOutEntries.find((e) => e.id === flagged.person);
    };
    expect((await heldOut())?.flagIds).toContain(flagged.flagId);

    const dismissed = await review(flagged.flagId, 'manager', {
      status: 'dismissed',
      note: 'A planned migration; the reverts were agreed.',
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({
      status: 'dismissed',
      decision: { status: 'dismissed', by: manager, note: 'A planned migration; the reverts were agreed.' },
    });
    const listed = flagsOf((await get('/api/v1/flags?status=dismissed', 'flagged')).body);
    expect(listed.map((f) => f.id)).toContain(flagged.flagId);
    const stillHeld = await heldOut();
    expect(stillHeld?.flagIds ?? []).not.toContain(flagged.flagId);

    const confirmed = await review(flagged.flagId, 'admin', {
      status: 'confirmed',
      note: 'On a second look: loops.',
    });
    expect(confirmed.status).toBe(200);
    const history = (confirmed.body.review as { history: Array<{ status: string; by: string }> }).history;
    expect(history.map((d) => [d.status, d.by])).toEqual([
      ['dismissed', manager],
      ['confirmed', 'token:admin'],
    ]);
    expect((await heldOut())?.flagIds).toContain(flagged.flagId);
  });
});
