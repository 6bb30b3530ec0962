/** Runs the built CLI as a child process with an isolated HOME, as a user would. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'tokenyield.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'ty-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An environment with nothing of the developer's machine in it: an empty HOME, UTC. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = tempDir('ty-home-');
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TZ: 'UTC',
    TOKENYIELD_PERSON: 'tester@example.com',
    ...extra,
  };
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { killAfterMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    const timer =
      options.killAfterMs !== undefined
        ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
        : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Holds the ledger open for writing in another process, as a second tokenyield would.
 * Resolves once the file is locked; call the returned function to let go.
 */
export async function holdLedger(db: string): Promise<() => void> {
  const holder = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { DuckDBInstance } from '@duckdb/node-api';
       const i = await DuckDBInstance.create(${JSON.stringify(db)});
       const c = await i.connect(); await c.run('select 1');
       // Keep both alive: once unreachable, a GC would close the instance and free the lock.
       globalThis.held = [i, c];
       process.stdout.write('ready\\n'); setTimeout(() => globalThis.held, 60000);`,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', (d) => String(d).includes('ready') && resolve());
    holder.on('exit', () => reject(new Error('the process holding the ledger exited')));
  });
  return () => holder.kill('SIGKILL');
}
