/**
 * A crash or kill at any point loses nothing and counts nothing twice (issue #2): ingestion is
 * killed with SIGKILL at increasing delays, resumed, and must end at exactly the totals of an
 * uninterrupted run and of the generator's ground truth.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClaudeHistory } from '../../src/synthetic/claude-history.js';
import { isolatedEnv, runCli, tempDir } from '../cli/run-cli.js';

type Totals = Record<string, number>;

async function totals(db: string, env: Record<string, string>): Promise<Totals> {
  const res = await runCli(['report', 'daily', '--json', '--tz', 'UTC', '--no-ingest', '--db', db], env);
  expect(res.code).toBe(0);
  return (JSON.parse(res.stdout) as { totals: Totals }).totals;
}

describe('ingestion killed mid-way', () => {
  it('resumes to exactly the uninterrupted totals', async () => {
    const root = tempDir('ty-kill-');
    const { truth } = generateClaudeHistory(root, { seed: 11, targetBytes: 64 * 1024 * 1024, files: 300 });
    // Tiny batches: many commits spread over the run, so that some kill lands between two of them
    // whatever the machine's speed.
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: root, TOKENYIELD_INGEST_BATCH_RECORDS: '250' });

    const cleanDb = join(tempDir(), 'clean.duckdb');
    const clean = await runCli(['ingest', '--db', cleanDb], env);
    expect(clean.code).toBe(0);
    const expected = await totals(cleanDb, env);
    expect(expected).toMatchObject({
      input_tokens: truth.totals.input_tokens,
      output_tokens: truth.totals.output_tokens,
      cache_read_tokens: truth.totals.cache_read_tokens,
      cache_write_tokens: truth.totals.cache_write_tokens,
    });

    const db = join(tempDir(), 'killed.duckdb');
    let partialSeen = 0;
    let killed = 0;
    for (let delay = 200; delay <= 20_000; delay += 100) {
      const res = await runCli(['ingest', '--db', db], env, { killAfterMs: delay });
      if (res.signal !== 'SIGKILL') break; // this run finished: nothing left to interrupt
      killed++;
      const now = await totals(db, env);
      expect(now.total_tokens).toBeLessThanOrEqual(expected.total_tokens!);
      if (now.total_tokens! > 0 && now.total_tokens! < expected.total_tokens!) partialSeen++;
    }
    expect(killed).toBeGreaterThan(0);
    expect(partialSeen).toBeGreaterThan(0);

    const final = await runCli(['ingest', '--db', db], env);
    expect(final.code).toBe(0);
    expect(await totals(db, env)).toEqual(expected);
    // And once more: re-ingesting never changes totals.
    await runCli(['ingest', '--db', db], env);
    expect(await totals(db, env)).toEqual(expected);
  });
});
