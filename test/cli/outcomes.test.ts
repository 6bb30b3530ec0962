/**
 * The outcome commands end to end through the real binary: `demo` builds an organisation with real
 * git repositories into a real ledger, then `board`, `value` and `people` read it; `ingest` reads
 * git, GitHub and work-file sources named on the command line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, REPO_ROOT, runCli, tempDir } from './run-cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

async function json<T>(args: string[], env: Record<string, string>): Promise<T> {
  const res = await runCli(args, env);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as T;
}

describe('demo, board, value and people', () => {
  const env = isolatedEnv();
  let config: string;
  let built: { people: number; teams: number; usageRecords: number; gitRepositories: string[]; dir: string };

  beforeAll(async () => {
    const dir = join(tempDir('ty-demo-'), 'demo');
    built = await json(
      ['demo', '--dir', dir, '--engineers', '40', '--teams', '5', '--days', '21', '--json'],
      env,
    );
    config = join(dir, 'config.json');
  });

  it('builds the organisation, its people file and real git repositories', () => {
    expect(built).toMatchObject({ people: 40, teams: 5 });
    expect(built.usageRecords).toBeGreaterThan(1000);
    expect(built.gitRepositories).toHaveLength(3);
    const people = JSON.parse(readFileSync(join(built.dir, 'people.json'), 'utf8'));
    expect(people.people).toHaveLength(40);
    const repo = join(built.dir, 'git', built.gitRepositories[0]!.split('/')[1]!);
    const log = execFileSync('git', ['-C', repo, 'log', '--oneline', '-n', '3'], { encoding: 'utf8' });
    expect(log.trim().split('\n')).toHaveLength(3);
  });

  it('ranks teams in bands by default, and its ND adds up to the credited deployments', async () => {
    const board = await json<{ level: string; entries: Array<{ band: string; rank: number | null }> }>(
      ['board', '--config', config, '--json'],
      env,
    );
    expect(board.level).toBe('team');
    expect(board.entries.length).toBeGreaterThan(0);
    expect(
      board.entries.every((e) => e.rank === null && ['top_10', 'top_25', 'top_50', 'rest'].includes(e.band)),
    ).toBe(true);
    const value = await json<{
      org: { nd: { nd: number; deployments: { credited: number } } };
      people: Array<{ nd: { nd: number } }>;
    }>(['value', '--config', config, '--json'], env);
    expect(value.org.nd.deployments.credited).toBeGreaterThan(0);
    expect(value.org.nd.nd).toBeCloseTo(value.org.nd.deployments.credited, 9);
    const perPerson = value.people.reduce((n, p) => n + p.nd.nd, 0);
    expect(perPerson).toBeCloseTo(value.org.nd.nd, 6);
  });

  it('explains a person with the changes, deployments and sessions behind the numbers', async () => {
    const people = await json<{ people: Array<{ id: string }> }>(
      ['people', '--config', config, '--json'],
      env,
    );
    const value = await json<{
      people: Array<{ scope: { personId: string }; shipped: { qualifying: number } }>;
    }>(['value', '--config', config, '--json'], env);
    const shipper = value.people.find((p) => p.shipped.qualifying > 0)!;
    expect(people.people.map((p) => p.id)).toContain(shipper.scope.personId);
    const x = await json<{
      personId: string;
      changes: Array<{ ndShare: number }>;
      totals: { nd: { nd: number } };
    }>(['board', '--config', config, '--explain', shipper.scope.personId, '--json'], env);
    expect(x.personId).toBe(shipper.scope.personId);
    expect(x.changes.length).toBeGreaterThan(0);
    expect(x.changes.reduce((n, c) => n + c.ndShare, 0)).toBeCloseTo(x.totals.nd.nd, 9);
    const text = await runCli(['board', '--config', config, '--explain', shipper.scope.personId], env);
    expect(text.stdout).toMatch(/Changes:/);
  });

  it('lists identities nobody owns, and refuses bad options and unknown people clearly', async () => {
    const report = await json<{ unresolved: { identities: number }; seen: { identities: number } }>(
      ['people', 'unresolved', '--config', config, '--json'],
      env,
    );
    expect(report.seen.identities).toBeGreaterThan(0);
    expect(report.unresolved.identities).toBe(0);
    const badLens = await runCli(['board', '--config', config, '--lens', 'tokens'], env);
    expect(badLens).toMatchObject({ code: 2, stdout: '' });
    expect(badLens.stderr).toMatch(/--lens must be one of/);
    const nobody = await runCli(['board', '--config', config, '--explain', 'nobody@nowhere.example'], env);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/nobody in the people directory/);
  });

  it('refuses to build a demo over a directory it did not make', async () => {
    const res = await runCli(
      ['demo', '--dir', FIXTURES, '--engineers', '5', '--teams', '1', '--days', '2'],
      env,
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/not empty and was not made by/);
  });
});

describe('ingest of outcome sources', () => {
  it('reads GitHub exports and work files named on the command line, once', async () => {
    const env = isolatedEnv();
    const db = join(tempDir(), 'ledger.duckdb');
    const args = [
      'ingest',
      '--no-usage',
      '--db',
      db,
      '--github',
      join(FIXTURES, 'github', 'octo-app'),
      '--work',
      join(FIXTURES, 'work-files', 'incidents.json'),
    ];
    const first = await runCli(args, env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/GitHub export .*octo-app: \d+ new/);
    expect(first.stdout).toMatch(/work file .*incidents\.json: \d+ new/);
    const second = await runCli(args, env);
    expect(second.stdout).toMatch(/octo-app: unchanged/);
    expect(second.stdout).toMatch(/incidents\.json: unchanged/);
    const missing = await runCli(
      ['ingest', '--no-usage', '--db', db, '--work', '/nonexistent/deploys.csv'],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/skipped/);
  });
});
