/**
 * A re-run with nothing new is answered from the ledger manifest without opening the ledger,
 * and any change to the logs, the ledger or the prices sends it back to the ledger.
 */
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdLedger, isolatedEnv, REPO_ROOT, runCli, tempDir } from './run-cli.js';

const CAPTURE = join(REPO_ROOT, 'test/fixtures/claude-code/capture-2.1.197');
const SESSION = 'projects/-home-dev-acme-api/14a9e392-f219-453b-8f83-8a99a0ad7f34.jsonl';

async function daily(db: string, env: Record<string, string>, extra: string[] = []) {
  const res = await runCli(['report', 'daily', '--json', '--tz', 'UTC', '--db', db, ...extra], env);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as { totals: Record<string, number> };
}

function setup() {
  const root = tempDir('ty-manifest-');
  cpSync(CAPTURE, root, { recursive: true });
  const db = join(tempDir(), 'ledger.duckdb');
  return { root, db, env: isolatedEnv({ CLAUDE_CONFIG_DIR: root }) };
}

describe('ledger manifest', () => {
  it('answers an unchanged report without opening the ledger', async () => {
    const { db, env } = setup();
    const first = await daily(db, env);
    expect(first.totals.total_tokens).toBe(66516);
    const release = await holdLedger(db);
    try {
      expect(await daily(db, env)).toEqual(first);
      // A report never computed before needs the ledger, which is locked: a clear error.
      const other = await runCli(['report', 'monthly', '--json', '--db', db], env);
      expect(other.code).toBe(3);
    } finally {
      release();
    }
  });

  // What makes that fast: none of the engine, the parsers or the schema and file-format libraries
  // load (zod alone was ~90 ms of a ~0.6 s re-run). A module import added in the wrong place fails here.
  it('answers it without loading the engine, the parsers, zod, YAML or CSV', async () => {
    const { db, env } = setup();
    await daily(db, env);
    const dir = tempDir('ty-hooks-');
    const log = join(dir, 'loaded.txt');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${join(dir, 'hooks.mjs')}`)});`,
    );
    await daily(db, { ...env, NODE_OPTIONS: `--import=${join(dir, 'register.mjs')}` });
    const loaded = readFileSync(log, 'utf8');
    expect(loaded).toContain('/dist/cli/commands/report.js');
    for (const heavy of [
      '/node_modules/@duckdb/',
      '/node_modules/zod/',
      '/node_modules/yaml/',
      '/node_modules/csv-parse/',
      '/dist/sources/claude-code/parser.js',
      '/dist/pipeline/ingest.js',
    ]) {
      expect(loaded).not.toContain(heavy);
    }
  });

  it('reads the ledger again when a log grows, when the ledger changes, and when prices change', async () => {
    const { root, db, env } = setup();
    await daily(db, env);
    // A new call appended to a session.
    const line = readFileSync(join(root, SESSION), 'utf8')
      .split('\n')
      .find((l) => l.includes('"type":"assistant"'))!
      .replaceAll('msg_cap_4', 'msg_new')
      .replaceAll('req_cap_4', 'req_new');
    appendFileSync(join(root, SESSION), `${line}\n`);
    const grown = await daily(db, env);
    expect(grown.totals.total_tokens).toBe(66516 + 8949);

    // The ledger deleted: the cached answer must not outlive it.
    rmSync(db);
    rmSync(`${db}.wal`, { force: true });
    expect((await daily(db, env, ['--no-ingest'])).totals.total_tokens).toBe(0);
    expect((await daily(db, env)).totals.total_tokens).toBe(66516 + 8949);

    // A price override changes the cost on the next run.
    const config = join(tempDir(), 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ pricing: { discounts: [{ provider: 'anthropic', percent: 50 }] } }),
    );
    const before = (await daily(db, env)).totals.cost_usd!;
    const after = (await daily(db, { ...env, TOKENYIELD_CONFIG: config })).totals.cost_usd!;
    expect(after).toBeCloseTo(before / 2, 6);
    expect(after).toBeLessThan(before);
  });
});
