import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN } from '../../../test/cli/run-cli.js';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import { spend } from '../../analyses/budgets/fixtures.js';
import { parseBudget } from '../../analyses/budgets/index.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import { BOB, ORG_TOKENS, orgUsage } from '../../server/api/fixtures.js';
import { CliError } from '../errors.js';
import { hookAnswer, registerBudget } from './budget.js';

const saved = { ...process.env };
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    people: ORG_PEOPLE,
    tokens: ORG_TOKENS,
    now: () => Date.parse('2026-03-10T12:00:00Z'),
    budgets: [
      parseBudget({ id: 'org', scope: { kind: 'org' }, period: 'month', amount: 100 }),
      parseBudget({
        id: 'platform',
        scope: { kind: 'team', id: 'platform' },
        period: 'month',
        amount: 4,
        hard: true,
      }),
    ],
  });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
  await server.server.context.budgets.settled();
});
afterAll(() => server?.close());
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `tokenyield budget …` in this process with `env`; returns stdout. */
async function run(args: string[], env: Record<string, string> = {}): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'ty-budget-home-'));
  process.env = { PATH: saved.PATH, HOME: home, TZ: 'UTC', TOKENYIELD_PERSON: 'me@acme.example', ...env };
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const program = new Command('tokenyield').exitOverride();
  registerBudget(program);
  await program.parseAsync(['node', 'tokenyield', 'budget', ...args]);
  return out;
}

const remote = (token: string) => ({
  TOKENYIELD_SERVER: server.url,
  TOKENYIELD_TOKEN: server.tokens[token]!,
});

describe('tokenyield budget (against a server)', () => {
  it('lists budgets and shows one in detail', async () => {
    const list = await run(['list'], remote('admin'));
    expect(list).toMatch(/^Budget\s+Name\s+Period/);
    expect(list).toMatch(/platform\s+Platform\s+March 2026\s+\$4\.75\s+\$4\s+119 %\s+exceeded/);
    const detail = await run(['status', 'org'], remote('admin'));
    expect(detail).toContain(
      'The organisation (org): March 2026, 2026-03-01 to 2026-04-01 (exclusive) in UTC',
    );
    expect(detail).toMatch(/Spent\s+\$62\.75 \(63 %\), \$37\.25 left; warning/);
    expect(detail).toMatch(/Thresholds\s+50 % crossed 5 March · 80 % not crossed · 100 % not crossed/);
    const json = JSON.parse(await run(['status', 'platform', '--json'], remote('carol')));
    expect(json).toMatchObject({ id: 'platform', spent: 4.75, state: 'exceeded' });
  });

  it('sets a budget, checks a person against it, and replays a cap', async () => {
    expect(
      await run(
        ['set', 'data', '--scope', 'team:data', '--period', 'quarter', '--amount', '20'],
        remote('admin'),
      ),
    ).toBe('Budget "data" saved.\n');
    await expect(
      run(['set', 'x', '--scope', 'galaxy', '--period', 'month', '--amount', '1'], remote('admin')),
    ).rejects.toThrow(CliError);
    await expect(
      run(['set', 'x', '--scope', 'org', '--period', 'week', '--amount', '1'], remote('admin')),
    ).rejects.toThrow(/refused the request \(400\): budget is invalid: period/);
    const check = await run(['check', '--person', 'BobO'], remote('ingest'));
    expect(check.split('\n')[0]).toBe(
      'deny: Platform is used up: $4.75 of $4 for March 2026; it is a hard limit.',
    );
    expect(process.exitCode).toBe(3);
    const whatIf = await run(['what-if', 'org', '--cap', '5'], remote('admin'));
    expect(whatIf).toMatch(
      /^A cap of \$5 per person in March 2026 \(through 2026-03-10\) would have stopped 3 of 6 people/,
    );
    expect(await run(['remove', 'data'], remote('admin'))).toBe('Budget "data" removed.\n');
  });

  it('acts as a Claude Code hook: deny a tool call, block a prompt, and never block on its own failure', async () => {
    const hook = (input: string, env: Record<string, string>) =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'budget', 'check', '--hook'], {
          env: { PATH: saved.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'ty-hook-')), ...env },
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (d) => {
          stdout += d;
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout }));
        child.stdin.end(input);
      });
    const tool = await hook('{"hook_event_name":"PreToolUse","tool_name":"Bash"}', remote('bob'));
    expect(tool.code).toBe(0);
    expect(JSON.parse(tool.stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason:
          'tokenyield budget: Platform is used up: $4.75 of $4 for March 2026; it is a hard limit.',
      },
    });
    const prompt = await hook('{"hook_event_name":"UserPromptSubmit","prompt":"hi"}', remote('bob'));
    expect(JSON.parse(prompt.stdout)).toMatchObject({ decision: 'block' });
    const down = await hook('{"hook_event_name":"UserPromptSubmit"}', {
      TOKENYIELD_SERVER: 'http://127.0.0.1:9',
      TOKENYIELD_TOKEN: 'x',
    });
    expect(down.code).toBe(0);
    expect(JSON.parse(down.stdout).systemMessage).toMatch(/^tokenyield budget check failed: Cannot reach/);
  });

  it('hook answers: nothing on allow, a visible message on warn', () => {
    expect(hookAnswer('PreToolUse', { decision: 'allow', reason: 'fine' })).toEqual({});
    expect(hookAnswer('UserPromptSubmit', { decision: 'warn', reason: 'Org has used 85 %' })).toEqual({
      systemMessage: 'tokenyield budget: Org has used 85 %',
    });
  });
});

describe('tokenyield budget (local ledger)', () => {
  it('reads budgets from the config file and the ledger, and checks the local person', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-budget-local-'));
    const db = join(dir, 'ledger.duckdb');
    const store = await openDuckDbStore({ path: db });
    const today = new Date().toISOString().slice(0, 10);
    await store.write({
      usage: [spend('me@acme.example', `${today}T00:00:00Z`, 30), spend(BOB, `${today}T00:00:00Z`, 5)],
      activity: [],
      checkpoints: [],
    });
    await store.close();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        budgets: [
          {
            id: 'mine',
            scope: { kind: 'person', id: 'me@acme.example' },
            period: 'year',
            amount: 20,
            hard: true,
          },
        ],
      }),
    );
    const flags = ['--db', db, '--config', config];
    await run(['set', 'all', '--scope', 'org', '--period', 'year', '--amount', '1000', ...flags]);
    const listed = JSON.parse(await run(['list', '--json', ...flags])) as {
      budgets: { id: string; spent: number }[];
    };
    expect(listed.budgets.map((b) => [b.id, b.spent])).toEqual([
      ['all', 35],
      ['mine', 30],
    ]);
    await expect(run(['remove', 'mine', ...flags])).rejects.toThrow(/defined in the config file/);
    const check = JSON.parse(await run(['check', '--json', ...flags])) as {
      decision: string;
      person: string;
    };
    expect(check).toMatchObject({ decision: 'deny', person: 'me@acme.example' });
  });
});
