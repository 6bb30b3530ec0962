/**
 * Issue #2: totals agree token for token with ccusage 20.0.24 (`daily --json --offline`) on the
 * same Claude Code history, and cost within 0.5 %. ccusage is the peer tool, installed by
 * .ci/run into bench/.peer; in CI its absence is a failure, locally a skip.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClaudeHistory } from '../../src/synthetic/claude-history.js';
import { type CcusageDaily, ccusageDaily, findCcusage } from '../../src/synthetic/peer.js';
import { isolatedEnv, REPO_ROOT, runCli, tempDir } from '../cli/run-cli.js';

const ccusage = findCcusage(REPO_ROOT);
if (ccusage === null && process.env.CI)
  throw new Error('ccusage 20.0.24 is missing: .ci/run installs it into bench/.peer');

interface OurReport {
  rows: Array<Record<string, number | string>>;
  totals: Record<string, number>;
}

async function ours(root: string): Promise<OurReport> {
  const env = isolatedEnv({ CLAUDE_CONFIG_DIR: root });
  const res = await runCli(
    ['report', 'daily', '--json', '--tz', 'UTC', '--db', join(tempDir(), 'l.duckdb')],
    env,
  );
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as OurReport;
}

function compare(our: OurReport, peer: CcusageDaily): void {
  expect(our.rows.map((r) => r.date)).toEqual(peer.daily.map((d) => d.period));
  for (const [i, day] of peer.daily.entries()) {
    const row = our.rows[i]!;
    expect({
      date: row.date,
      input: row.input_tokens,
      output: row.output_tokens,
      cacheWrite: row.cache_write_tokens,
      cacheRead: row.cache_read_tokens,
      total: row.total_tokens,
    }).toEqual({
      date: day.period,
      input: day.inputTokens,
      output: day.outputTokens,
      cacheWrite: day.cacheCreationTokens,
      cacheRead: day.cacheReadTokens,
      total: day.totalTokens,
    });
    expect(Math.abs((row.cost_usd as number) - day.totalCost)).toBeLessThanOrEqual(day.totalCost * 0.005);
  }
  expect(our.totals.total_tokens).toBe(peer.totals.totalTokens);
  expect(Math.abs(our.totals.cost_usd! - peer.totals.totalCost)).toBeLessThanOrEqual(
    peer.totals.totalCost * 0.005,
  );
}

describe.skipIf(ccusage === null)('agreement with ccusage 20.0.24', () => {
  it('on the real Claude Code 2.1.197 capture', async () => {
    const root = join(REPO_ROOT, 'test/fixtures/claude-code/capture-2.1.197');
    compare(await ours(root), ccusageDaily(ccusage!, tempDir('ty-home-'), { CLAUDE_CONFIG_DIR: root }));
  });

  it('on a generated history full of duplicates, replays, subagents and placeholders', async () => {
    const root = tempDir('ty-agree-');
    generateClaudeHistory(root, { seed: 5, targetBytes: 24 * 1024 * 1024, files: 150 });
    const peer = ccusageDaily(ccusage!, tempDir('ty-home-'), { CLAUDE_CONFIG_DIR: root });
    expect(peer.daily.length).toBeGreaterThan(10);
    compare(await ours(root), peer);
  });
});
