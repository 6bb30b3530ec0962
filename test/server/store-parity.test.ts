/**
 * The demo organisation (a small one) ingested into DuckDB and into ClickHouse, each behind a real
 * tokenyield server: every GET route of the REST API must answer the same on both. Routes are
 * taken from the API's own route table, so a route added later is compared too. Sums of costs may
 * differ in their last bits (each engine adds in its own order); everything else must be equal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBudget } from '../../src/analyses/budgets/index.js';
import { toPeopleFile } from '../../src/ledger/people/serialize.js';
import { createPriceBook } from '../../src/ledger/pricing/index.js';
import { openClickHouseStore } from '../../src/ledger/store/clickhouse/index.js';
import { clickHouseForTests } from '../../src/ledger/store/clickhouse/test-server.js';
import { openDuckDbStore } from '../../src/ledger/store/duckdb/index.js';
import type { Store } from '../../src/ledger/store/store.js';
import { ingestWork } from '../../src/pipeline/ingest-work.js';
import { API_ROUTES } from '../../src/server/api/index.js';
import type { ApiRoute } from '../../src/server/api/route.js';
import { generateToken, hashToken } from '../../src/server/auth/tokens.js';
import { createPeopleSource } from '../../src/server/people-source.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import type { ServerSettings } from '../../src/server/settings.js';
import { generateDemoOrg } from '../../src/synthetic/demo-org/index.js';
import { withinRounding } from '../support/within-rounding.js';

const setup = await clickHouseForTests();

const DAY_MS = 86_400_000;
const END = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(END) - offset * DAY_MS).toISOString().slice(0, 10);

interface Served {
  server: RunningServer;
  store: Store;
}

const dir = mkdtempSync(join(tmpdir(), 'ty-parity-'));
const adminToken = generateToken();
/** One clock for both servers, so that budget periods and forecasts are judged at the same instant. */
const NOW = Date.now();
let duck: Served;
let click: Served;
let people: string[] = [];
let teams: string[] = [];

async function serve(store: Store, peopleFile: string, name: string): Promise<Served> {
  const settings: ServerSettings = {
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'admin', role: 'admin', hash: hashToken(adminToken) }],
    tokensFile: join(dir, `${name}-tokens.json`),
    minGroupSize: 5,
    maxBodyBytes: 16 * 1024 * 1024,
    maxQueuedRecords: 200_000,
    maxStaleSeconds: 0,
    auditLog: join(dir, `${name}-audit.jsonl`),
    githubSecret: 'test-github-secret-0123456789',
    genericSecret: 'test-generic-secret-0123456789',
  };
  const server = await startServer({
    store,
    settings,
    directory: createPeopleSource(peopleFile, (err) => {
      throw err;
    }),
    priceBook: createPriceBook(undefined),
    // Budgets over the org, a team, each person and a model: their spend reads the store's
    // person grouping, model filter and credits.
    budgets: [
      parseBudget({ id: 'org', scope: { kind: 'org' }, period: 'month', amount: 1000 }),
      parseBudget({ id: teams[0]!, scope: { kind: 'team', id: teams[0]! }, period: 'month', amount: 50 }),
      parseBudget({ id: 'each', scope: { kind: 'org' }, period: 'month', amount: 20, perPerson: true }),
      parseBudget({
        id: 'opus',
        scope: { kind: 'model', id: 'claude-opus-4-1' },
        period: 'month',
        amount: 10,
      }),
    ],
    now: () => NOW,
  });
  return { server, store };
}

async function fill(store: Store, org: ReturnType<typeof generateDemoOrg>, gitDir: string): Promise<void> {
  for (const batch of org.usageBatches()) {
    await store.write({ usage: batch.usage, activity: batch.activity, checkpoints: [] });
  }
  await store.writeWork(org.work);
  await ingestWork({ store, git: [gitDir] });
}

/** When each server computed an answer: the only thing two servers may say differently. */
const VOLATILE = new Set(['computedAt', 'generatedAt', 'asOf']);

function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !VOLATILE.has(k))
        .map(([k, v]) => [k, withoutVolatile(v)]),
    );
  }
  return value;
}

async function get(served: Served, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${served.server.url}${path}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body: withoutVolatile(body) };
}

/** Requests for one route: its path parameters filled from the demo, with and without a window. */
function requestsFor(route: ApiRoute, flagIds: string[]): string[] {
  const pathParams = route.params.filter((p) => p.in === 'path');
  let paths = [route.path];
  for (const param of pathParams) {
    const values =
      param.enum !== undefined
        ? [...param.enum]
        : route.path.startsWith('/api/v1/budgets')
          ? [teams[0]!, 'org', 'each', 'opus']
          : route.path.startsWith('/api/v1/teams')
            ? [teams[0]!, teams[1]!]
            : route.path.startsWith('/api/v1/flags')
              ? flagIds.slice(0, 2)
              : people.slice(0, 2);
    paths = paths.flatMap((p) => values.map((v) => p.replace(`{${param.name}}`, encodeURIComponent(v))));
  }
  const query = new Set(route.params.filter((p) => p.in === 'query').map((p) => p.name));
  const variants = [''];
  if (query.has('since') && query.has('until')) variants.push(`?since=${day(20)}&until=${day(5)}`);
  const extra: string[] = [];
  if (query.has('tz')) extra.push('tz=Asia/Kolkata');
  if (query.has('team') && teams[1]) extra.push(`team=${teams[1]}`);
  if (extra.length > 0) variants.push(`?${extra.join('&')}`);
  return paths.flatMap((p) => variants.map((v) => `${p}${v}`));
}

describe.skipIf(!setup.ok)('DuckDB and ClickHouse behind the API', () => {
  beforeAll(async () => {
    if (!setup.ok) return;
    const gitDir = join(dir, 'git');
    const org = generateDemoOrg({
      seed: 5,
      engineers: 24,
      teams: 4,
      days: 30,
      end: END,
      gitDir,
      gitTeams: 1,
    });
    people = org.people.map((p) => p.id);
    teams = org.teams.map((t) => t.id);
    const peopleFile = join(dir, 'people.json');
    writeFileSync(peopleFile, JSON.stringify(toPeopleFile(org.people, org.teams)));
    const duckStore = await openDuckDbStore({ path: join(dir, 'ledger.duckdb') });
    const clickStore = await openClickHouseStore({ url: setup.server.freshUrl() });
    await fill(duckStore, org, gitDir);
    await fill(clickStore, org, gitDir);
    duck = await serve(duckStore, peopleFile, 'duckdb');
    click = await serve(clickStore, peopleFile, 'clickhouse');
  });

  afterAll(async () => {
    for (const s of [duck, click]) {
      if (!s) continue;
      await s.server.close();
      await s.store.close();
    }
    if (setup.ok) await setup.server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the same ledger in both', async () => {
    const [a, b] = [duck.store, click.store];
    const sessions = await a.sessions({});
    expect(withinRounding(await b.sessions({}), sessions)).toEqual(sessions);
    const identities = await a.identities();
    expect(withinRounding(await b.identities(), identities)).toEqual(identities);
    expect(await b.work({})).toEqual(await a.work({}));
    const query = { groupBy: 'day', timeZone: 'UTC' } as const;
    const days = await b.usage(query);
    expect(days.length).toBeGreaterThan(20);
    const expected = await a.usage(query);
    expect(withinRounding(days, expected)).toEqual(expected);
  });

  it('answers every GET route of the API the same', async () => {
    const flags = (await get(duck, '/api/v1/flags')).body as { flags?: { id: string }[] };
    const flagIds = (flags.flags ?? []).map((f) => f.id);
    const routes = API_ROUTES.filter((r) => r.method === 'get');
    const compared: string[] = [];
    for (const route of routes) {
      for (const path of requestsFor(route, flagIds)) {
        const [a, b] = await Promise.all([get(duck, path), get(click, path)]);
        const want = { path, ...a };
        expect(withinRounding({ path, ...b }, want)).toEqual(want);
        compared.push(`${a.status} ${path}`);
      }
    }
    expect(compared.filter((c) => c.startsWith('200')).length).toBeGreaterThan(routes.length);
    for (const prefix of [
      '/api/v1/reports/daily',
      '/api/v1/value',
      '/api/v1/board',
      '/api/v1/teams',
      '/api/v1/tools',
      '/api/v1/budgets/org',
      '/api/v1/budgets/each',
    ]) {
      expect(compared.some((c) => c.startsWith(`200 ${prefix}`))).toBe(true);
    }
  });
});
