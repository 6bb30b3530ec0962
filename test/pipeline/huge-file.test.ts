/**
 * One transcript much larger than a write batch is written out in several batches while it is
 * read (bounded memory), and still counts every call exactly once, also when killed mid-file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHugeTranscript } from '../../src/synthetic/claude-history.js';
import { isolatedEnv, runCli, tempDir } from '../cli/run-cli.js';

describe('a single transcript larger than a batch', () => {
  it('is flushed mid-file and matches the ground truth, even after a kill', async () => {
    const root = tempDir('ty-huge-');
    const dir = join(root, 'projects', '-home-dev-huge');
    mkdirSync(dir, { recursive: true });
    const truth = writeHugeTranscript(
      join(dir, '6f1d2c3b-4a59-4e68-9d7c-8b9a0f1e2d3c.jsonl'),
      24 * 1024 * 1024,
    );
    expect(truth.totals.calls).toBeGreaterThan(1000);
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: root, TOKENYIELD_INGEST_BATCH_RECORDS: '300' });
    const db = join(tempDir(), 'l.duckdb');

    // Into a second ledger, uninterrupted: one file, yet many batches.
    const whole = await runCli(['ingest', '--json', '--db', join(tempDir(), 'w.duckdb')], env);
    expect(JSON.parse(whole.stdout).batchesWritten).toBeGreaterThan(5);

    const killed = await runCli(['ingest', '--db', db], env, { killAfterMs: 900 });
    const res = await runCli(['report', 'daily', '--json', '--tz', 'UTC', '--db', db], env);
    expect(res.code).toBe(0);
    const { totals } = JSON.parse(res.stdout) as { totals: Record<string, number> };
    expect(totals).toMatchObject({
      calls: truth.totals.calls,
      input_tokens: truth.totals.input_tokens,
      output_tokens: truth.totals.output_tokens,
      cache_write_tokens: truth.totals.cache_write_tokens,
      cache_read_tokens: truth.totals.cache_read_tokens,
    });
    expect(totals.cost_usd).toBeCloseTo(truth.totals.cost_usd!, 6);
    // Whether the kill landed before, inside or after the file, the result is the same.
    expect(['SIGKILL', null]).toContain(killed.signal);
  });
});
