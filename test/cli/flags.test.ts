/**
 * `tokenyield flags` as a user runs it: the built binary on a ledger holding a demo organisation,
 * first locally (list, show, --explain, review, and the board holding people out), then against a
 * real server on the same ledger with tokens of each role.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagDetail, FlagList } from '../../src/analyses/integrity/index.js';
import { buildDemoLedger, type DemoLedger } from '../support/demo-ledger.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { isolatedEnv, runCli } from './run-cli.js';

let demo: DemoLedger;
let env: Record<string, string>;
let args: string[];
let list: FlagList;
let server: TestServer | undefined;

beforeAll(async () => {
  demo = await buildDemoLedger({ seed: 7, engineers: 50, teams: 4, days: 70 });
  const config = join(demo.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ people: demo.peopleFile }));
  env = isolatedEnv();
  args = ['--db', demo.path, '--config', config];
  const res = await runCli(['flags', ...args, '--json'], env);
  expect(res.stderr).toBe('');
  list = JSON.parse(res.stdout) as FlagList;
});

afterAll(async () => {
  await server?.close();
  if (server) rmSync(server.dir, { recursive: true, force: true });
  if (demo) rmSync(demo.dir, { recursive: true, force: true });
});

/** A flagged person whose team has a manager who is not flagged in the same period. */
function flaggedWithManager() {
  for (const f of list.flags) {
    const team = demo.directory.teams.find((t) => t.id === f.team);
    const manager = team?.managers.find((m) => m !== f.personId);
    if (manager) return { flag: f, manager };
  }
  throw new Error('no flagged person with a manager in the demo');
}

describe('tokenyield flags (local ledger)', () => {
  it('lists the flags of every period, as a table and as CSV', async () => {
    expect(list.periods.length).toBeGreaterThan(0);
    expect(list.flags.length).toBeGreaterThan(2);
    const table = await runCli(['flags', ...args], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(list.flags[0]!.id);
    expect(table.stdout).toMatch(/flags, \d+ open/);
    const csv = await runCli(['flags', ...args, '--csv', '--status', 'open'], env);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'id,person,name,team,from,until,status,severity,signals,wasted_usd,spend_usd,decided_by,note',
    );
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(list.flags.length + 1);
  });

  it('explains a flag by a prefix of its id: each evidence number recomputed, and the SQL to check it', async () => {
    const id = list.flags[0]!.id;
    const res = await runCli(['flags', 'show', id.slice(0, 9), ...args, '--explain'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(id);
    expect(res.stdout).toContain('[matches]');
    expect(res.stdout).not.toContain('DIFFERS');
    expect(res.stdout).toMatch(/FROM usage WHERE NOT superseded/);
    expect(res.stdout).toMatch(/Sessions \(\d+;/);
  });

  it('reviews with a note, never one’s own flag, and the board follows the decision', async () => {
    const { flag, manager } = flaggedWithManager();
    const own = await runCli(
      ['flags', 'review', flag.id, ...args, '--dismiss', '--note', 'fine', '--by', flag.personId],
      env,
    );
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/Nobody reviews their own flag/);
    const noNote = await runCli(['flags', 'review', flag.id, ...args, '--dismiss'], env);
    expect(noNote.code).toBe(2);
    expect(noNote.stderr).toMatch(/--note/);

    const boardHeld = async () => {
      const b = await runCli(['board', ...args, '--level', 'person', '--all', '--json'], env);
      const held = (JSON.parse(b.stdout) as { heldOutEntries: Array<{ id: string; flagIds: string[] }> })
        .heldOutEntries;
      return held.find((e) => e.id === flag.personId)?.flagIds ?? [];
    };
    expect(await boardHeld()).toContain(flag.id);
    const done = await runCli(
      [
        'flags',
        'review',
        flag.id,
        ...args,
        '--dismiss',
        '--note',
        'Agreed spike for a migration',
        '--by',
        manager,
        '--json',
      ],
      env,
    );
    expect(done.code).toBe(0);
    const reviewed = JSON.parse(done.stdout) as FlagDetail;
    expect(reviewed.status).toBe('dismissed');
    expect(reviewed.decision).toMatchObject({ by: manager, note: 'Agreed spike for a migration' });
    expect(await boardHeld()).not.toContain(flag.id);
    const dismissed = JSON.parse(
      (await runCli(['flags', ...args, '--status', 'dismissed', '--json'], env)).stdout,
    );
    expect((dismissed as FlagList).flags.map((f) => f.id)).toEqual([flag.id]);
  });
});

describe('tokenyield flags --server', () => {
  it('shows an engineer their flags and refuses their review; lets their manager review', async () => {
    const target = list.flags.find((f) => f.status === 'open' && flaggedManagerOf(f.personId, f.team))!;
    const manager = flaggedManagerOf(target.personId, target.team)!;
    server = await startTestServer({
      people: demo.peopleFile,
      dbPath: demo.path,
      tokens: [
        { name: 'engineer', role: 'engineer', person: target.personId },
        { name: 'manager', role: 'manager', person: manager },
      ],
    });
    const remote = (token: string) => ({
      ...env,
      TOKENYIELD_SERVER: server!.url,
      TOKENYIELD_TOKEN: server!.tokens[token]!,
    });
    const mine = await runCli(['flags', '--json'], remote('engineer'));
    expect(mine.code).toBe(0);
    const flags = (JSON.parse(mine.stdout) as FlagList).flags;
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((f) => f.personId === target.personId)).toBe(true);
    const explained = await runCli(['flags', 'show', target.id, '--explain'], remote('engineer'));
    expect(explained.stdout).toContain('[matches]');
    const refused = await runCli(
      ['flags', 'review', target.id, '--confirm', '--note', 'me?'],
      remote('engineer'),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/403.*own flag/);
    const ok = await runCli(
      ['flags', 'review', target.id, '--confirm', '--note', 'Overnight loops, twice'],
      remote('manager'),
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/confirmed by .*: Overnight loops, twice/);
  });
});

function flaggedManagerOf(person: string, team: string | null): string | undefined {
  return demo.directory.teams.find((t) => t.id === team)?.managers.find((m) => m !== person);
}
