import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { registerPush } from './push.js';

const CAPTURE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'claude-code',
  'capture-2.1.197',
);
const saved = { ...process.env };
let server: TestServer | undefined;

afterEach(async () => {
  process.env = { ...saved };
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** Runs `tokenyield push …` in this process against an isolated HOME; returns stdout. */
async function run(args: string[], env: Record<string, string>): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'ty-push-home-'));
  const claude = join(home, 'claude');
  cpSync(CAPTURE, claude, { recursive: true });
  process.env = { PATH: saved.PATH, HOME: home, TZ: 'UTC', CLAUDE_CONFIG_DIR: claude, ...env };
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const program = new Command('tokenyield').exitOverride();
  registerPush(program);
  await program.parseAsync(['node', 'tokenyield', 'push', ...args]);
  return out;
}

describe('tokenyield push (command)', () => {
  it('reads the server and token from the environment and prints the ingest summary', async () => {
    server = await startTestServer();
    const out = await run([], { TOKENYIELD_SERVER: server.url, TOKENYIELD_TOKEN: server.tokens.ingest! });
    expect(out).toMatch(/Claude Code: 3 files \(3 read/);
    expect(out).toMatch(
      /pushed to http:\/\/127\.0\.0\.1:\d+ in \d+ requests; attributed by the server's people directory/,
    );
  });

  it('prints JSON with --json', async () => {
    server = await startTestServer();
    const out = await run(['--server', server.url, '--token', server.tokens.ingest!, '--json'], {});
    const json = JSON.parse(out) as { server: string; sources: Array<{ newCalls: number }> };
    expect(json.server).toBe(server.url);
    expect(json.sources[0]!.newCalls).toBeGreaterThan(0);
  });

  it('says how to give a server when none is given', async () => {
    await expect(run([], {})).rejects.toThrow(/TOKENYIELD_SERVER/);
  });
});
