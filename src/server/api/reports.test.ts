import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import type { AuditEntry } from '../auth/audit.js';
import type { Problem } from '../http/problem.js';
import { ALICE, BOB, CAROL, DAN, ORG_TOKENS, orgUsage } from './fixtures.js';
import type { ReportJson } from './report-json.js';
import { AS_OF_HEADER } from './reports.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(() => server?.close());

async function report(path: string, token: string) {
  const res = await server.request(`/api/v1/reports/${path}`, { token });
  return { status: res.status, text: await res.text() };
}

async function daily(query: string, token: string): Promise<ReportJson> {
  const { status, text } = await report(`daily${query}`, token);
  expect(status, text).toBe(200);
  return JSON.parse(text) as ReportJson;
}

const costByDay = (r: ReportJson) => Object.fromEntries(r.rows.map((row) => [row.date, row.cost_usd]));

function auditLines(): AuditEntry[] {
  const path = server.server.context.audit.path!;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {}
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);
}

describe('GET /api/v1/reports/{kind}', () => {
  it('gives an admin the whole org, identities the people file does not know included', async () => {
    const r = await daily('?tz=UTC', 'admin');
    expect(costByDay(r)).toEqual({
      '2026-03-02': 2.5,
      '2026-03-03': 4.25,
      '2026-03-04': 8,
      '2026-03-05': 48,
    });
    expect(r.totals).toMatchObject({ cost_usd: 62.75, calls: 8, input_tokens: 800, output_tokens: 400 });
    expect(r).toMatchObject({
      kind: 'daily',
      time_zone: 'UTC',
      since: null,
      until: null,
      unpriced_models: [],
    });
    expect(Object.keys(r).sort()).toEqual(
      ['kind', 'rows', 'since', 'time_zone', 'totals', 'unpriced_models', 'until'].sort(),
    );
  });

  it('answers every kind, filtered by tool and window', async () => {
    const byModel = JSON.parse((await report('model?tool=codex,gemini-cli', 'admin')).text) as ReportJson;
    expect(byModel.totals.cost_usd).toBe(8.25);
    const weekly = await report('weekly?since=2026-03-03&until=2026-03-04', 'admin');
    expect(JSON.parse(weekly.text).rows).toMatchObject([{ week: '2026-03-02', cost_usd: 12.25, calls: 3 }]);
    for (const kind of ['monthly', 'session', 'project']) {
      const { status, text } = await report(kind, 'admin');
      expect(status).toBe(200);
      expect((JSON.parse(text) as ReportJson).totals.cost_usd).toBe(62.75);
    }
  });

  it('gives an engineer only their own usage, whatever they ask for', async () => {
    const own = await daily('', 'bob');
    expect(costByDay(own)).toEqual({ '2026-03-02': 0.5, '2026-03-03': 0.25 });
    // Their own person under an alias is still themself.
    expect((await daily('?person=BobO', 'bob')).totals.cost_usd).toBe(0.75);
    expect(auditLines().filter((e) => e.actor === BOB)).toEqual([]);
  });

  it('refuses an engineer anyone else, without telling whether they exist or leaking numbers', async () => {
    for (const query of [`?person=${CAROL}`, '?person=carold', '?person=nobody@nowhere', '?team=platform']) {
      const { status, text } = await report(`daily${query}`, 'bob');
      expect(status, query).toBe(403);
      const body = JSON.parse(text);
      expect(body.error.code).toBe('forbidden');
      expect(body).not.toHaveProperty('rows');
      expect(text).not.toMatch(/cost_usd|"4"|4\.25/);
    }
  });

  it('gives a manager the people of their teams, judged by membership in the window, and audits it', async () => {
    const before = auditLines().length;
    // Alice was in platform during 2025 and is in payments since; her March 2026 calls are
    // payments', so Carol sees none of them, even when she names Alice.
    expect((await daily('', 'carol')).totals.cost_usd).toBe(4.75);
    expect((await daily(`?person=${ALICE}`, 'carol')).rows).toEqual([]);
    expect((await daily(`?person=${ALICE}`, 'alice')).totals.cost_usd).toBe(2);
    expect(costByDay(await daily('?since=2026-01-01', 'carol'))).toEqual({
      '2026-03-02': 0.5,
      '2026-03-03': 4.25,
    });
    expect((await daily('?team=platform&since=2026-01-01', 'carol')).totals.cost_usd).toBe(4.75);
    expect((await daily(`?person=${BOB}`, 'carol')).totals.cost_usd).toBe(0.75);
    expect((await daily('?since=2026-01-01', 'alice')).totals.cost_usd).toBe(2);
    const added = auditLines().slice(before);
    expect(added.map((e) => [e.actor, e.role, e.action, e.subject])).toEqual([
      [CAROL, 'manager', 'report.daily', 'team:platform'],
      [CAROL, 'manager', 'report.daily', ALICE],
      [CAROL, 'manager', 'report.daily', 'team:platform'],
      [CAROL, 'manager', 'report.daily', 'team:platform'],
      [CAROL, 'manager', 'report.daily', BOB],
      [ALICE, 'manager', 'report.daily', 'team:payments'],
    ]);
    expect(added[4]!.route).toBe(`GET /api/v1/reports/daily?person=${BOB}`);
  });

  it('refuses a manager people and teams outside their teams', async () => {
    expect((await report(`daily?person=${DAN}`, 'carol')).status).toBe(403);
    expect((await report('daily?person=nobody@nowhere', 'carol')).status).toBe(403);
    expect((await report('daily?team=payments', 'carol')).status).toBe(403);
    // Bob left no trace in payments: Alice may not read him.
    expect((await report(`daily?person=${BOB}`, 'alice')).status).toBe(403);
    expect((await report('daily?team=nosuch', 'carol')).status).toBe(404);
  });

  it('lets an admin read any team or person, audited, identities the directory does not know included', async () => {
    const before = auditLines().length;
    expect((await daily('?team=data', 'admin')).totals.cost_usd).toBe(8);
    expect((await daily('?person=BobO', 'admin')).totals.cost_usd).toBe(0.75);
    expect((await daily(`?team=platform&person=${DAN}`, 'admin')).rows).toEqual([]);
    expect(
      auditLines()
        .slice(before)
        .map((e) => [e.actor, e.subject]),
    ).toEqual([
      ['admin', 'team:data'],
      ['admin', BOB],
      ['admin', 'team:platform'],
      ['admin', DAN],
    ]);
    // Unresolved identities are stored lowercased; nobody by that name simply has no rows.
    expect((await daily('?person=Nobody@Nowhere', 'admin')).rows).toEqual([]);
    expect(auditLines().at(-1)).toMatchObject({ actor: 'admin', subject: 'nobody@nowhere' });
  });

  it('cuts days in the requested time zone', async () => {
    // Noon UTC is the next day in Kiritimati (UTC+14).
    expect(Object.keys(costByDay(await daily('?tz=Pacific/Kiritimati', 'bob')))).toEqual([
      '2026-03-03',
      '2026-03-04',
    ]);
  });

  it('names the parameter that is wrong', async () => {
    const cases: Array<[string, string]> = [
      ['daily?since=2026-13-01', 'since'],
      ['daily?until=yesterday', 'until'],
      ['daily?since=2026-03-05&until=2026-03-01', 'since'],
      ['daily?tz=Mars/Olympus', 'tz'],
      ['daily?tool=cursor', 'tool'],
      ['hourly', 'kind'],
      ['daily?sinse=2026-03-01', 'sinse'],
      ['daily?since=2026-03-01&since=2026-03-02', 'since'],
    ];
    for (const [path, param] of cases) {
      const { status, text } = await report(path, 'admin');
      expect(status, path).toBe(400);
      expect(JSON.parse(text).error).toMatchObject({ status: 400, code: 'bad_parameter' });
      expect(JSON.parse(text).error.message, path).toContain(`"${param}"`);
    }
  });
});

describe('authentication of the API', () => {
  it('answers 401 without a token or with an unknown one, and 403 to an ingest token', async () => {
    const none = await server.request('/api/v1/reports/daily', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await server.request('/api/v1/reports/daily', { token: 'ty_not-a-real-token' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Problem).error.message).toMatch(/not known/);
    for (const path of [
      '/api/v1/reports/daily',
      '/api/v1/value',
      '/api/v1/board',
      '/api/v1/people',
      '/api/v1/teams',
    ]) {
      const res = await server.request(path, { token: 'ingest' });
      expect(res.status, path).toBe(403);
    }
  });
});

describe('GET /api/v1/reports/{kind} after a write', () => {
  it('answers a quick report from the ledger as just written, and says as of when', async () => {
    const fresh = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS });
    try {
      const write = (usage: ReturnType<typeof orgUsage>) =>
        fresh.server.context.writer.write({ usage, activity: [], checkpoints: [] });
      const total = async () => {
        const res = await fresh.request('/api/v1/reports/daily', { token: 'admin' });
        const asOf = Date.parse(res.headers.get(AS_OF_HEADER) ?? '');
        return { cost: ((await res.json()) as ReportJson).totals.cost_usd, asOf };
      };
      const before = Date.now();
      await write(orgUsage().slice(0, 2));
      const first = await total();
      expect(first.cost).toBe(2);
      expect(first.asOf).toBeGreaterThanOrEqual(before - 1000);
      await write(orgUsage().slice(2));
      const second = await total();
      expect(second.cost).toBe(62.75);
      expect(second.asOf).toBeGreaterThanOrEqual(first.asOf);
    } finally {
      await fresh.close();
    }
  });
});
