/**
 * `tokenyield demo --serve`, the README's main command, as a user runs it: the real CLI builds a
 * small demo, serves it, prints the dashboard's address and an admin token; the token reads the
 * API, and SIGTERM stops it cleanly. A second run serves the same build without rebuilding it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_END } from '../../src/synthetic/demo-org/index.js';
import { BIN, isolatedEnv, tempDir } from './run-cli.js';

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI and resolves once it prints the dashboard's address. */
function serveDemo(args: string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const look = () => {
      const m = /Open the dashboard: (http:\/\/\S+?)\/?\n/.exec(stdout);
      if (m) resolve({ child, url: m[1]!, stdout: () => stdout, stderr: () => stderr, exited });
    };
    child.stdout.on('data', look);
    exited.then(({ code }) =>
      reject(new Error(`demo --serve exited (${code}) before serving:\n${stdout}\n${stderr}`)),
    );
  });
}

describe('tokenyield demo --serve', () => {
  const dir = tempDir('ty-demo-serve-');
  const demo = join(dir, 'demo');
  const env = isolatedEnv();
  const args = ['demo', '--dir', demo, '--engineers', '20', '--teams', '3', '--days', '14', '--serve'];
  let running: Served | undefined;

  afterAll(() => {
    running?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the demo, serves the dashboard and prints an admin token that reads the API', async () => {
    running = await serveDemo([...args, '--port', '0'], env);
    const { url } = running;
    const token = /^ {2}(ty_[A-Za-z0-9_-]+)$/m.exec(running.stdout())?.[1];
    expect(token, running.stdout()).toBeDefined();

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ kind: 'user', role: 'admin', name: 'demo-admin' });
    const teams = (await (
      await fetch(`${url}/api/v1/teams`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { teams: unknown[] };
    expect(teams.teams).toHaveLength(3);
    // The budgets demo wrote into its config, judged at its last day: on the real date they would
    // be periods the demo holds no spend for.
    const configured = (
      JSON.parse(readFileSync(join(demo, 'config.json'), 'utf8')) as { budgets: { id: string }[] }
    ).budgets;
    const budgets = (await (
      await fetch(`${url}/api/v1/budgets`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { budgets: { id: string; today: string; spent: number }[] };
    expect(configured.length).toBeGreaterThan(0);
    expect(budgets.budgets.map((b) => b.id).sort()).toEqual(configured.map((b) => b.id).sort());
    for (const b of budgets.budgets) {
      expect(b.today, b.id).toBe(DEFAULT_END);
      expect(b.spent, b.id).toBeGreaterThan(0);
    }

    // The token is the demo's own: hashed in its directory, nothing in the user's home.
    const stored = readFileSync(join(demo, 'tokens.json'), 'utf8');
    expect(stored).toContain('sha256:');
    expect(stored).not.toContain(token!);
    expect(existsSync(join(env.HOME!, '.tokenyield', 'tokens.json'))).toBe(false);

    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toContain('SIGTERM: finishing in-flight requests');
    running = undefined;
  });

  it('serves a demo already built as it is, and keeps its token', async () => {
    const ledger = join(demo, 'ledger.duckdb');
    const builtAt = statSync(join(demo, 'demo.json')).mtimeMs;
    running = await serveDemo([...args, '--port', '0'], env);
    expect(running.stderr()).toMatch(/serving the demo already built in .*--rebuild builds it again/);
    expect(running.stdout()).not.toMatch(/ty_[A-Za-z0-9_-]{20,}/);
    expect(running.stdout()).toContain('token create --config');
    expect(statSync(join(demo, 'demo.json')).mtimeMs).toBe(builtAt);
    expect(existsSync(ledger)).toBe(true);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    running = undefined;
  });
});
