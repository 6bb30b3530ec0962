/**
 * The dashboard end to end: a demo organisation built by the real CLI, a real server on it, the
 * built web app, and Debian's Chromium driven by playwright-core. Numbers on screen are checked
 * against the API's answers for the same filters; each page's screenshot is kept in
 * test-results/screenshots for a person to look at.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendTokenFile, generateToken, hashToken } from '../../src/server/auth/tokens.js';
import { isolatedEnv, REPO_ROOT, runCli, tempDir } from '../cli/run-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
/** The demo's last day (`tokenyield demo` ends on 2026-06-30 by default), late afternoon. */
const BUDGET_CLOCK = Date.parse('2026-06-30T18:00:00Z');
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium)
  process.stderr.write(
    `test/web/dashboard.test.ts: skipped, ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)\n`,
  );

// Runs in the page; a string because this file is type-checked without the DOM's types.
const DRAWN_CHARTS = `(() => {
  let drawn = 0;
  for (const canvas of document.querySelectorAll('.chart canvas')) {
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
    if (ink > 500) drawn++;
  }
  return drawn;
})()`;

interface DemoPerson {
  id: string;
  name: string;
  teams: { team: string }[];
}

interface DailyAnswer {
  rows: { date: string; cost_usd: number }[];
  totals: { cost_usd: number };
}

describe.skipIf(!haveChromium)('web dashboard (Chromium, demo organisation)', () => {
  let demoDir: string;
  let server: TestServer;
  let browser: Browser;
  let engineer: DemoPerson;
  let colleague: DemoPerson;

  beforeAll(async () => {
    // The tests must see the app as this checkout builds it, not a stale dist/web.
    const build = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'web/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);

    demoDir = tempDir('ty-web-');
    const demo = await runCli(
      ['demo', '--dir', join(demoDir, 'demo'), '--engineers', '30', '--teams', '4', '--days', '30', '--json'],
      isolatedEnv(),
    );
    if (demo.code !== 0) throw new Error(`tokenyield demo failed:\n${demo.stderr}`);
    const built = JSON.parse(demo.stdout) as { ledger: string; peopleFile: string };
    const file = JSON.parse(readFileSync(built.peopleFile, 'utf8')) as {
      teams: { id: string; managers: string[] }[];
      people: DemoPerson[];
    };
    const managers = new Set(file.teams.flatMap((t) => t.managers));
    const engineers = file.people.filter((p) => !managers.has(p.id));
    engineer = engineers[0]!;
    colleague = engineers[1]!;

    // The demo process has exited, so the server is the ledger's only writer.
    server = await startTestServer({
      people: built.peopleFile,
      dbPath: built.ledger,
      tokens: [{ name: 'engineer', role: 'engineer', person: engineer.id }],
      // Budgets are judged on the demo's last day (its calendar is fixed), not on today's date.
      now: () => BUDGET_CLOCK,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (server) rmSync(server.dir, { recursive: true, force: true });
    if (demoDir) rmSync(demoDir, { recursive: true, force: true });
  });

  async function api<T>(path: string, token = 'admin'): Promise<T> {
    const res = await server.request(path, { token });
    expect(res.status, `${path} answered ${res.status}`).toBe(200);
    return (await res.json()) as T;
  }

  async function signedIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    // The first value model of a server is built on demand; give it time on a busy machine.
    page.setDefaultTimeout(90_000);
    await page.goto(server.url);
    await page.getByLabel('Your token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return { context, page };
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** The spend tile's raw value once it shows `expected` (answers to older filters may still be in flight). */
  async function spendShown(page: Page, expected: number): Promise<void> {
    await expect
      .poll(() => page.locator('[data-tile="spend"]').first().getAttribute('data-value'), { timeout: 90_000 })
      .toBe(String(expected));
  }

  /** Canvases under `.chart` that have something drawn on them. */
  async function drawnCharts(page: Page): Promise<number> {
    return page.evaluate(DRAWN_CHARTS);
  }

  it('signs in with the admin token and says who is signed in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Your token').fill('ty_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/token/i);
    await shot(page, 'sign-in');
    await page.getByLabel('Your token').fill(server.tokens.admin!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const who = page.locator('.who');
    await who.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await who.getAttribute('data-role')).toBe('admin');
    expect(await who.textContent()).toContain('reads everyone');
    // The token is kept for the tab: a reload stays signed in.
    await page.reload();
    await who.getByRole('button', { name: 'Sign out' }).waitFor();
    await who.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Your token').waitFor();
    await context.close();
  });

  it('overview: charts drawn, spend equal to the API, filters in the URL change the numbers', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    const org = await api<DailyAnswer>('/api/v1/reports/daily?tz=UTC');
    expect(org.totals.cost_usd).toBeGreaterThan(0);
    await spendShown(page, org.totals.cost_usd);
    const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    expect(await page.locator('[data-tile="spend"] .tile-value').textContent()).toBe(
      usd.format(org.totals.cost_usd),
    );
    await page.locator('[data-tile="nd"]').waitFor();
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    await shot(page, 'overview');

    // Team filter: the URL carries it and the numbers are the team's.
    await page.locator('select[name="team"]').selectOption('payments');
    expect(new URL(page.url()).searchParams.get('team')).toBe('payments');
    const team = await api<DailyAnswer>('/api/v1/reports/daily?tz=UTC&team=payments');
    expect(team.totals.cost_usd).not.toBe(org.totals.cost_usd);
    await spendShown(page, team.totals.cost_usd);
    expect(await page.locator('h1').textContent()).toBe('Team Payments');
    const value = await api<{ teams: { nd: { nd: number } }[] }>('/api/v1/value?team=payments');
    await expect
      .poll(() => page.locator('[data-tile="nd"]').getAttribute('data-value'))
      .toBe(String(value.teams[0]!.nd.nd));

    // Date range and tool, chosen from the data so the test follows the demo's calendar.
    const days = org.rows.map((r) => r.date);
    const since = days[Math.floor(days.length / 3)]!;
    const until = days[Math.floor((2 * days.length) / 3)]!;
    await page.locator('input[name="since"]').fill(since);
    await page.locator('input[name="until"]').fill(until);
    await page.locator('select[name="tool"]').selectOption('codex');
    const url = new URL(page.url());
    expect([
      url.searchParams.get('since'),
      url.searchParams.get('until'),
      url.searchParams.get('tool'),
    ]).toEqual([since, until, 'codex']);
    const narrowed = await api<DailyAnswer>(
      `/api/v1/reports/daily?tz=UTC&team=payments&since=${since}&until=${until}&tool=codex`,
    );
    expect(narrowed.totals.cost_usd).toBeLessThan(team.totals.cost_usd);
    await spendShown(page, narrowed.totals.cost_usd);
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await shot(page, 'overview-filtered');

    // Back undoes a filter: it is navigation, not hidden state.
    await page.goBack();
    expect(new URL(page.url()).searchParams.get('tool')).toBeNull();
    await context.close();
  });

  /** The table's header and raw cell values as shown, in the order shown. */
  async function tableShown(page: Page, name: string): Promise<{ header: string[]; rows: string[][] }> {
    return page.locator(`table[data-table="${name}"]`).evaluate((t) => ({
      header: [...t.querySelectorAll('thead th')].map((th) => th.textContent?.replace(/ [▲▼]$/, '') ?? ''),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? ''),
      ),
    }));
  }

  /** Clicks the table's Export CSV and checks the file holds exactly the table shown. */
  async function csvEqualsTable(page: Page, name: string): Promise<string[][]> {
    const table = page.locator(`table[data-table="${name}"]`);
    const shown = await tableShown(page, name);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.table-block', { has: table }).getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${name}.csv`);
    const file = join(demoDir, `${name}.csv`);
    await download.saveAs(file);
    const records = parse(readFileSync(file, 'utf8')) as string[][];
    expect(records[0]).toEqual(shown.header);
    expect(records.slice(1)).toEqual(shown.rows);
    return shown.rows;
  }

  it('exports the teams table as CSV with exactly the rows shown', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    const table = page.locator('table[data-table="teams"]');
    // Wait for the value columns, which arrive with the value metrics.
    await expect
      .poll(() => table.locator('tbody tr td').nth(3).getAttribute('data-value'), { timeout: 90_000 })
      .not.toBe('');
    expect((await csvEqualsTable(page, 'teams')).length).toBe(4);
    await context.close();
  });

  it('board: lenses, bands, and links to people that keep the filters', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    await page.goto(`${server.url}/board`);
    const answer = await api<{ entries: { name: string; band: string }[] }>('/api/v1/board');
    const rows = page.locator('table[data-table="board-value-team"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 90_000 }).toBe(answer.entries.length);
    expect(await rows.first().locator('td').nth(1).textContent()).toBe(answer.entries[0]!.name);
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBe(1);
    await shot(page, 'board');

    await page.locator('select[name="lens"]').selectOption('efficiency');
    await page.locator('select[name="level"]').selectOption('person');
    await page.getByLabel('Include people who did not opt in').check();
    expect(new URL(page.url()).searchParams.get('lens')).toBe('efficiency');
    const people = page.locator('table[data-table="board-efficiency-person"] tbody tr');
    await expect.poll(() => people.count(), { timeout: 90_000 }).toBeGreaterThan(5);
    expect(await page.locator('.lens-label').textContent()).toMatch(/^Efficiency/);
    await shot(page, 'board-people');

    const days = (await api<DailyAnswer>('/api/v1/reports/daily?tz=UTC')).rows.map((r) => r.date);
    await page.locator('input[name="since"]').fill(days[0]!);
    await people.first().locator('a').first().click();
    const url = new URL(page.url());
    expect(url.pathname).toMatch(/^\/people\//);
    expect(url.searchParams.get('since')).toBe(days[0]);
    await page.locator('[data-page="person"] h1').waitFor();
    await context.close();
  });

  it('person page: usage equal to the API, and the sessions and changes linked', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    await page.goto(`${server.url}/people/${encodeURIComponent(engineer.id)}`);
    expect(await page.locator('[data-page="person"] h1').textContent()).toBe(engineer.name);
    const usage = await api<DailyAnswer>(
      `/api/v1/reports/daily?tz=UTC&person=${encodeURIComponent(engineer.id)}`,
    );
    await spendShown(page, usage.totals.cost_usd);
    const explain = await api<{ sessions: unknown[]; changes: unknown[] }>(
      `/api/v1/board/explain/${encodeURIComponent(engineer.id)}`,
    );
    await expect
      .poll(() => page.locator(`table[data-table="sessions-${engineer.id}"] tbody tr`).count(), {
        timeout: 90_000,
      })
      .toBe(explain.sessions.length);
    if (explain.changes.length > 0)
      expect(await page.locator(`table[data-table="changes-${engineer.id}"] tbody tr`).count()).toBe(
        explain.changes.length,
      );
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await shot(page, 'person');
    await context.close();
  });

  it('an engineer token cannot open another person’s page, and opens its own', async () => {
    const { context, page } = await signedIn(server.tokens.engineer!);
    expect(await page.locator('.who').getAttribute('data-role')).toBe('engineer');
    await page.goto(`${server.url}/people/${encodeURIComponent(colleague.id)}`);
    const refused = page.locator('[data-page="person"][data-refused="true"]');
    await refused.waitFor();
    expect(await refused.getByRole('alert').textContent()).toContain('You may not view this person.');
    // Nothing of the colleague is on the page: no usage, no tables.
    expect(await page.locator('[data-tile], table').count()).toBe(0);
    await shot(page, 'person-refused');

    await page.getByRole('link', { name: 'My page' }).click();
    expect(new URL(page.url()).pathname).toBe(`/people/${encodeURIComponent(engineer.id)}`);
    const own = await api<DailyAnswer>('/api/v1/reports/daily?tz=UTC', 'engineer');
    await spendShown(page, own.totals.cost_usd);

    // Their overview is their own usage; the team filter is not theirs to use.
    await page.getByRole('link', { name: 'Overview' }).click();
    expect(await page.locator('h1').textContent()).toBe('Your usage');
    await spendShown(page, own.totals.cost_usd);
    expect(await page.locator('select[name="team"]').isDisabled()).toBe(true);
    await shot(page, 'overview-engineer');
    await context.close();
  });

  /** Raw values of one column, keyed by another, once the table has `rows` rows. */
  async function columnBy(page: Page, name: string, key: number, column: number) {
    const shown = await tableShown(page, name);
    return Object.fromEntries(shown.rows.map((r) => [r[key], r[column]]));
  }

  it('overview asks the value API for no people: the answer stays small at any headcount', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/value') asked.push(r.url());
    });
    await page.goto(server.url);
    await page.locator('[data-tile="nd"]').waitFor();
    expect(asked.length).toBeGreaterThan(0);
    for (const url of asked) expect(new URL(url).searchParams.get('people')).toBe('none');
    await context.close();
  });

  it('teams page: every team with spend and outcomes equal to the API, one team with its members', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    await page.getByRole('link', { name: 'Teams', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/teams');
    const value = await api<{
      teams: { scope: { team: string }; spend: { costUsd: number }; nd: { nd: number } }[];
    }>('/api/v1/value?people=none');
    const teams = await api<{ teams: { id: string }[] }>('/api/v1/teams');
    const list = page.locator('table[data-table="teams-list"]');
    await expect.poll(() => list.locator('tbody tr').count(), { timeout: 90_000 }).toBe(teams.teams.length);
    // Columns: team, id, members, readable, spend, sessions, shipped, durable, ND …
    await expect
      .poll(() => columnBy(page, 'teams-list', 1, 4), { timeout: 90_000 })
      .toEqual(Object.fromEntries(value.teams.map((t) => [t.scope.team, String(t.spend.costUsd)])));
    expect(await columnBy(page, 'teams-list', 1, 8)).toEqual(
      Object.fromEntries(value.teams.map((t) => [t.scope.team, String(t.nd.nd)])),
    );
    await csvEqualsTable(page, 'teams-list');
    await shot(page, 'teams');

    await list.getByRole('link', { name: 'Payments' }).click();
    expect(new URL(page.url()).pathname).toBe('/teams/payments');
    const daily = await api<DailyAnswer>('/api/v1/reports/daily?tz=UTC&team=payments');
    await spendShown(page, daily.totals.cost_usd);
    const detail = await api<{ people: { id: string }[] }>('/api/v1/teams/payments');
    const teamValue = await api<{
      teams: { nd: { nd: number } }[];
      people: { scope: { personId: string }; spend: { costUsd: number } }[];
    }>('/api/v1/value?team=payments');
    await expect
      .poll(() => page.locator('[data-tile="nd"]').getAttribute('data-value'))
      .toBe(String(teamValue.teams[0]!.nd.nd));
    const members = page.locator('table[data-table="team-payments-members"] tbody tr');
    expect(await members.count()).toBe(detail.people.length);
    // Columns: person, e-mail, team today, spend …; e-mails are the demo's person ids.
    const spendByEmail = await columnBy(page, 'team-payments-members', 1, 3);
    for (const p of teamValue.people)
      if (p.scope.personId in spendByEmail)
        expect(spendByEmail[p.scope.personId]).toBe(String(p.spend.costUsd));
    await csvEqualsTable(page, 'team-payments-members');
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await shot(page, 'team');
    await context.close();
  });

  it('tools page: spend, calls and tokens by tool and by model equal to the API, filtered by tool', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    await page.getByRole('link', { name: 'Tools', exact: true }).click();
    const tools = await api<{
      rows: { tool: string; cost_usd: number; calls: number }[];
      totals: { cost_usd: number };
    }>('/api/v1/tools');
    const models = await api<{ rows: { model: string; cost_usd: number }[] }>('/api/v1/reports/model?tz=UTC');
    expect(tools.rows.length).toBeGreaterThan(1);
    await spendShown(page, tools.totals.cost_usd);
    // Columns: tool, calls, input, output, cache read, cache write, total tokens, spend …
    await expect
      .poll(() => columnBy(page, 'tools', 0, 7), { timeout: 90_000 })
      .toEqual(Object.fromEntries(tools.rows.map((r) => [r.tool, String(r.cost_usd)])));
    expect(await columnBy(page, 'tools', 0, 1)).toEqual(
      Object.fromEntries(tools.rows.map((r) => [r.tool, String(r.calls)])),
    );
    // Columns: model, tools, calls, …, spend (9th).
    expect(await columnBy(page, 'models', 0, 8)).toEqual(
      Object.fromEntries(models.rows.map((r) => [r.model, String(r.cost_usd)])),
    );
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await csvEqualsTable(page, 'tools');
    await csvEqualsTable(page, 'models');
    await shot(page, 'tools');

    await page.locator('select[name="tool"]').selectOption('codex');
    const codex = await api<{ totals: { cost_usd: number } }>('/api/v1/tools?tool=codex');
    await spendShown(page, codex.totals.cost_usd);
    await expect.poll(() => page.locator('table[data-table="tools"] tbody tr').count()).toBe(1);
    await context.close();
  });

  it('an engineer sees team names and sizes only, and the API’s refusal on a team’s page', async () => {
    const { context, page } = await signedIn(server.tokens.engineer!);
    await page.getByRole('link', { name: 'Teams', exact: true }).click();
    await page.locator('[data-notice="engineer"]').waitFor();
    // Spend column empty: the API gives an engineer no team's numbers.
    const spend = await columnBy(page, 'teams-list', 1, 4);
    expect(Object.values(spend).every((v) => v === '')).toBe(true);
    await page.goto(`${server.url}/teams/payments`);
    const refused = page.locator('[data-page="team"][data-refused="true"]');
    // Until the API's own refusal arrives the page shows a generic one: wait for the API's words.
    await expect
      .poll(() => refused.getByRole('alert').textContent(), { timeout: 30_000 })
      .toContain('An engineer token reads only its own person, not a team.');
    expect(await page.locator('[data-tile], table').count()).toBe(0);
    await shot(page, 'team-refused');
    await context.close();
  });

  interface RoiAnswer {
    totals: { spendUsd: number; nd: number | null; agentWorkUnits: number; waste: { usd: number } };
    periods: { start: string; spendUsd: number }[];
    scope: { kind: string };
  }

  it('ROI: spend, outcomes and waste per week equal to the API; filters and the period change them', async () => {
    const { context, page } = await signedIn(server.tokens.admin!);
    await page.getByRole('link', { name: 'ROI', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/roi');
    const roi = await api<RoiAnswer>('/api/v1/roi');
    expect(roi.totals.spendUsd).toBeGreaterThan(0);
    await spendShown(page, roi.totals.spendUsd);
    expect(await page.locator('[data-tile="nd"]').getAttribute('data-value')).toBe(String(roi.totals.nd));
    expect(await page.locator('[data-tile="waste"]').getAttribute('data-value')).toBe(
      String(roi.totals.waste.usd),
    );
    // Columns: period, spend …
    expect(await columnBy(page, 'roi-periods', 0, 1)).toEqual(
      Object.fromEntries(roi.periods.map((p) => [p.start, String(p.spendUsd)])),
    );
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await csvEqualsTable(page, 'roi-periods');
    await csvEqualsTable(page, 'roi-waste');
    await csvEqualsTable(page, 'roi-teams');
    await shot(page, 'roi');

    await page.getByRole('button', { name: 'Monthly' }).click();
    const monthly = await api<RoiAnswer>('/api/v1/roi?period=month');
    await expect
      .poll(() => page.locator('table[data-table="roi-periods"] tbody tr').count())
      .toBe(monthly.periods.length);
    expect(new URL(page.url()).searchParams.get('period')).toBe('month');

    await page.locator('select[name="tool"]').selectOption('codex');
    const codex = await api<RoiAnswer>('/api/v1/roi?period=month&tool=codex');
    expect(codex.totals.spendUsd).toBeLessThan(roi.totals.spendUsd);
    await spendShown(page, codex.totals.spendUsd);
    // ND is not split by tool: its tile goes rather than show the org's ND against one tool's spend.
    expect(await page.locator('[data-tile="nd"]').count()).toBe(0);
    await context.close();
  });

  it('ROI for an engineer: only their own numbers, and the API’s refusal for a team', async () => {
    const { context, page } = await signedIn(server.tokens.engineer!);
    await page.getByRole('link', { name: 'ROI', exact: true }).click();
    const own = await api<RoiAnswer>('/api/v1/roi', 'engineer');
    expect(own.scope.kind).toBe('person');
    const daily = await api<DailyAnswer>('/api/v1/reports/daily?tz=UTC', 'engineer');
    await page.locator('[data-roi-scope="person"]').waitFor();
    await spendShown(page, own.totals.spendUsd);
    expect(own.totals.spendUsd).toBeCloseTo(daily.totals.cost_usd, 6);
    expect(await page.locator('table[data-table="roi-teams"]').count()).toBe(0);
    await shot(page, 'roi-engineer');
    await page.goto(`${server.url}/roi?team=payments`);
    const alert = page.locator('[data-page="roi"]').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('An engineer token reads only its own person, not a team.');
    expect(await page.locator('[data-tile], table').count()).toBe(0);
    await context.close();
  });

  it('budgets: burn-down with the forecast band, exhaustion date, what-if and alert history equal to the API', async () => {
    // A fiscal year with the demo's last day in its middle (so the demo's month is well inside it),
    // and a limit sized from the demo's own spend: past 50 % and running out within the year.
    const fiscalYearStart = ((new Date(BUDGET_CLOCK).getUTCMonth() + 6) % 12) + 1;
    const put = (amount: number) =>
      server.request('/api/v1/budgets/demo-year', {
        token: 'admin',
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Demo year',
          scope: { kind: 'org' },
          period: 'year',
          fiscalYearStart,
          amount,
        }),
      });
    expect((await put(1e12)).status).toBe(200);
    const spent = (await api<{ spent: number }>('/api/v1/budgets/demo-year')).spent;
    expect(spent).toBeGreaterThan(0);
    expect((await put(Math.round(spent * 1.6))).status).toBe(200);
    const status = await api<{
      spent: number;
      limit: { total: number };
      forecast: { exhaustsOn: string | null; projected: { mid: number } };
      period: { end: string };
    }>('/api/v1/budgets/demo-year');
    expect(status.forecast.exhaustsOn).not.toBeNull();

    const { context, page } = await signedIn(server.tokens.admin!);
    await page.getByRole('link', { name: 'Budgets', exact: true }).click();
    const list = page.locator('table[data-table="budgets"]');
    await list.waitFor();
    const listed = await tableShown(page, 'budgets');
    expect(listed.header.slice(0, 4)).toEqual(['Budget', 'Scope', 'Period', 'Spent']);
    expect(listed.rows.find((r) => r[0] === 'Demo year')?.[3]).toBe(String(status.spent));
    await shot(page, 'budgets');

    await list.getByRole('link', { name: 'Demo year' }).click();
    await page.locator('[data-page="budget"] [data-tile="spent"]').waitFor();
    expect(await page.locator('[data-tile="spent"]').getAttribute('data-value')).toBe(String(status.spent));
    expect(await page.locator('[data-tile="limit"]').getAttribute('data-value')).toBe(
      String(status.limit.total),
    );
    expect(await page.locator('[data-tile="projected"]').getAttribute('data-value')).toBe(
      String(status.forecast.projected.mid),
    );
    expect(await page.locator('[data-tile="runs-out"] .tile-value').textContent()).toBe(
      status.forecast.exhaustsOn,
    );
    await expect.poll(() => drawnCharts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);

    // The alert history is the API's: here the 50 % threshold and the projected overrun.
    const alerts = await api<{ alerts: { event: { message: string } }[] }>(
      '/api/v1/budgets/demo-year/alerts',
    );
    expect(alerts.alerts.length).toBeGreaterThanOrEqual(2);
    await page.locator('table[data-table="alerts-demo-year"]').waitFor();
    const history = await tableShown(page, 'alerts-demo-year');
    expect(history.rows.map((r) => r[2]).sort()).toEqual(alerts.alerts.map((a) => a.event.message).sort());

    // What if everyone had been capped at $20 this year?
    const whatIf = await api<{ saved: number }>('/api/v1/budgets/demo-year/what-if?cap=20');
    await page.getByLabel(/Cap per person/).fill('20');
    await page.getByRole('button', { name: 'Replay' }).click();
    await expect
      .poll(() => page.locator('[data-saved]').getAttribute('data-saved'))
      .toBe(String(whatIf.saved));
    await shot(page, 'budget');
    await context.close();

    // An engineer may not read the organisation's budget.
    const engineerView = await signedIn(server.tokens.engineer!);
    await engineerView.page.getByRole('link', { name: 'Budgets', exact: true }).click();
    await engineerView.page.locator('[data-page="budgets"] .state.empty').waitFor();
    await engineerView.page.goto(`${server.url}/budgets/demo-year`);
    await engineerView.page.getByRole('alert').waitFor();
    expect(await engineerView.page.getByRole('alert').getAttribute('data-status')).toBe('403');
    await engineerView.context.close();
  });

  it('integrity: flags with evidence equal to the API; a manager reviews, the flagged engineer may not', async () => {
    interface Listed {
      id: string;
      personId: string;
      team: string | null;
    }
    const open = await api<{ flags: Listed[] }>('/api/v1/flags?status=open');
    expect(open.flags.length).toBeGreaterThan(0);
    const dir = server.server.context.directory();
    const managerOf = (f: Listed) =>
      dir.teams.find((t) => t.id === f.team)?.managers.find((m) => m !== f.personId);
    const flag = open.flags.find((f) => managerOf(f) !== undefined)!;
    const manager = managerOf(flag)!;
    // Tokens for the flagged person and their manager, added as an operator would (the server follows the file).
    const secret = { manager: generateToken(), flagged: generateToken() };
    const file = join(server.dir, 'tokens.json');
    appendTokenFile(file, {
      name: 'integrity-manager',
      role: 'manager',
      person: manager,
      hash: hashToken(secret.manager),
    });
    appendTokenFile(file, {
      name: 'integrity-flagged',
      role: 'engineer',
      person: flag.personId,
      hash: hashToken(secret.flagged),
    });
    await expect
      .poll(async () => (await server.request('/api/v1/me', { token: secret.flagged })).status, {
        timeout: 10_000,
      })
      .toBe(200);

    const { context, page } = await signedIn(secret.manager);
    await page.getByRole('link', { name: 'Integrity', exact: true }).click();
    await page.locator('table[data-table="integrity-flags"]').waitFor();
    const theirs = await api<{ flags: Listed[]; totals: { open: number; heldOutWastedUsd: number } }>(
      '/api/v1/flags',
      secret.manager,
    );
    const rows = await csvEqualsTable(page, 'integrity-flags');
    expect(rows.map((r) => r[0]).sort()).toEqual(theirs.flags.map((f) => f.id).sort());
    expect(await page.locator('[data-tile="open"]').getAttribute('data-value')).toBe(
      String(theirs.totals.open),
    );
    expect(await page.locator('[data-tile="wasted"]').getAttribute('data-value')).toBe(
      String(theirs.totals.heldOutWastedUsd),
    );
    await shot(page, 'integrity');

    await page.getByRole('link', { name: flag.id }).click();
    await page.locator('[data-page="flag"] .finding').first().waitFor();
    await page.locator('[data-derivations]').first().waitFor();
    expect(await page.locator('[data-matches="false"]').count()).toBe(0);
    await page.getByLabel('Note (why)').fill('Checked with the team: a planned migration.');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.locator('.review-history li[data-status="dismissed"]').waitFor();
    expect(await page.locator('[data-tile="status"] .tile-value').textContent()).toBe('dismissed');
    const reviewed = await api<{ status: string; decision: { by: string; note: string } }>(
      `/api/v1/flags/${flag.id}`,
    );
    expect(reviewed.status).toBe('dismissed');
    expect(reviewed.decision).toMatchObject({
      by: manager,
      note: 'Checked with the team: a planned migration.',
    });
    await shot(page, 'integrity-flag');
    await context.close();

    // The person flagged sees the flag and its evidence, and no way to review it; the API refuses too.
    const own = await signedIn(secret.flagged);
    await own.page.goto(`${server.url}/integrity/${flag.id}`);
    await own.page.locator('[data-review="not-allowed"]').waitFor();
    await own.page.locator('[data-derivations]').first().waitFor();
    expect(await own.page.getByRole('button', { name: /Confirm|Dismiss/ }).count()).toBe(0);
    const refused = await server.request(`/api/v1/flags/${flag.id}/review`, {
      token: secret.flagged,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'confirmed', note: 'mine' }),
    });
    expect(refused.status).toBe(403);
    await own.context.close();
  });
});
