import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import { ORG_TOKENS, orgUsage } from '../../server/api/fixtures.js';
import { CliError } from '../errors.js';
import { registerRoi } from './roi.js';

const saved = { ...process.env };
let server: TestServer;

// March 2026: 62.75 USD in all, 0.25 of it with codex; Bob's own 0.75 (src/server/api/fixtures.ts).
beforeAll(async () => {
  server = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(() => server?.close());
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

/** Runs `tokenyield roi …` in this process against the test server as `token`; returns stdout. */
async function run(args: string[], token = 'admin'): Promise<string> {
  process.env = {
    PATH: saved.PATH,
    HOME: mkdtempSync(join(tmpdir(), 'ty-roi-home-')),
    TZ: 'UTC',
    TOKENYIELD_SERVER: server.url,
    TOKENYIELD_TOKEN: server.tokens[token]!,
  };
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const program = new Command('tokenyield').exitOverride();
  registerRoi(program);
  await program.parseAsync(['node', 'tokenyield', 'roi', ...args]);
  return out;
}

describe('tokenyield roi (against a server)', () => {
  it('prints the periods, the trend and the waste', async () => {
    const out = await run(['--since', '2026-03-01', '--until', '2026-03-14']);
    expect(out.split('\n')[0]).toBe('2026-03-01 to 2026-03-15 (exclusive), by week; * = partial week');
    expect(out).toMatch(/2026-03-02\s+\$62\.75\s+0\s+0\s+0\s+–\s+–\s+–\s+\$62\.75/);
    expect(out).toContain('USD per ND: no trend');
    expect(out).toContain('No durable outcome: $62.75 of $62.75');
  });

  it('writes CSV of the periods and JSON as the API answers, for the token’s own scope', async () => {
    const csv = await run(['--since', '2026-03-01', '--until', '2026-03-31', '--period', 'month', '--csv']);
    expect(csv.split('\r\n').slice(0, 2)).toEqual([
      'period,spend_usd,durable_changes,nd,agent_work_units,usd_per_nd,usd_per_awu,usd_per_durable_change,no_durable_outcome_usd',
      '2026-03-01,62.75,0,0,0,,,,62.75',
    ]);
    const codex = JSON.parse(await run(['--tool', 'codex', '--json']));
    expect(codex.totals).toMatchObject({ spendUsd: 0.25, nd: null });
    const bob = JSON.parse(await run(['--json'], 'bob'));
    expect(bob.scope).toEqual({ kind: 'person', personId: 'bob@acme.example' });
    expect(bob.totals.spendUsd).toBe(0.75);
  });

  it('refuses bad options before asking anyone', async () => {
    await expect(run(['--period', 'day'])).rejects.toThrow(CliError);
    await expect(run(['--tool', 'cursor'])).rejects.toThrow(/--tool must be one of/);
    await expect(run(['--min-group', '0'])).rejects.toThrow(/--min-group/);
    await expect(run(['--team', 'data'], 'bob')).rejects.toThrow(/403/);
  });
});
