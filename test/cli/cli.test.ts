import { appendFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdLedger, isolatedEnv, REPO_ROOT, runCli, tempDir } from './run-cli.js';

const CAPTURE = join(REPO_ROOT, 'test/fixtures/claude-code/capture-2.1.197');

/** What the API served for the three captured sessions (api-usage-served.jsonl), as ccusage 20.0.24 reports it. */
const CAPTURE_TOTALS = {
  input_tokens: 1316,
  output_tokens: 1659,
  cache_write_tokens: 3873,
  cache_read_tokens: 59668,
  total_tokens: 66516,
  cost_usd: 0.06281865,
};

function captureCopy(): string {
  const root = tempDir('ty-claude-');
  cpSync(CAPTURE, root, { recursive: true });
  return root;
}

function parseJson(stdout: string) {
  return JSON.parse(stdout) as { rows: Array<Record<string, unknown>>; totals: Record<string, number> };
}

describe('tokenyield report', () => {
  it('reproduces the served usage of the captured Claude Code sessions exactly', async () => {
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: captureCopy() });
    const db = join(tempDir(), 'ledger.duckdb');
    const res = await runCli(['report', 'daily', '--json', '--tz', 'UTC', '--db', db], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = parseJson(res.stdout);
    expect(out.totals).toMatchObject(CAPTURE_TOTALS);
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0]).toMatchObject({
      date: '2026-11-22',
      ...CAPTURE_TOTALS,
      models: ['claude-sonnet-4-5'],
    });
  });

  it('cuts days in the requested zone and filters by date', async () => {
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: captureCopy() });
    const db = join(tempDir(), 'ledger.duckdb');
    const tokyo = parseJson(
      (await runCli(['report', 'daily', '--json', '--tz', 'Asia/Tokyo', '--db', db], env)).stdout,
    );
    expect(tokyo.rows.map((r) => r.date)).toEqual(['2026-11-23']);
    const none = await runCli(
      ['report', 'daily', '--json', '--tz', 'UTC', '--since', '2026-11-23', '--db', db],
      env,
    );
    expect(parseJson(none.stdout).rows).toEqual([]);
    expect(parseJson(none.stdout).totals.total_tokens).toBe(0);
  });

  it('has one key per report kind, and CSV', async () => {
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: captureCopy() });
    const db = join(tempDir(), 'ledger.duckdb');
    await runCli(['ingest', '--db', db], env);
    const keys: Record<string, [string, unknown[]]> = {
      weekly: ['week', ['2026-11-16']],
      monthly: ['month', ['2026-11']],
      model: ['model', ['claude-sonnet-4-5']],
      project: ['project', ['/home/dev/acme-api']],
    };
    for (const [kind, [key, values]] of Object.entries(keys)) {
      const out = parseJson(
        (await runCli(['report', kind, '--json', '--tz', 'UTC', '--no-ingest', '--db', db], env)).stdout,
      );
      expect(out.rows.map((r) => r[key])).toEqual(values);
      expect(out.totals).toMatchObject(CAPTURE_TOTALS);
    }
    const sessions = parseJson(
      (await runCli(['report', 'session', '--json', '--no-ingest', '--db', db], env)).stdout,
    );
    expect(sessions.rows.map((r) => r.session_id).sort()).toEqual([
      '0c7ebfa9-82c8-4b17-afd2-ed30ddd63299',
      '14a9e392-f219-453b-8f83-8a99a0ad7f34',
      '2b7bd622-44f4-4526-bf9d-bfbc5a02ca44',
    ]);
    const csv = await runCli(['report', 'daily', '--csv', '--tz', 'UTC', '--no-ingest', '--db', db], env);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe(
      'date,input_tokens,output_tokens,cache_write_tokens,cache_read_tokens,total_tokens,cost_usd,calls,unpriced_calls,models',
    );
    expect(lines[1]).toBe('2026-11-22,1316,1659,3873,59668,66516,0.06281865,7,0,claude-sonnet-4-5');
  });

  it('prints a table by default and the personal report with no arguments', async () => {
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: captureCopy() });
    const db = join(tempDir(), 'ledger.duckdb');
    const table = await runCli(['report', 'daily', '--tz', 'UTC', '--db', db], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('2026-11-22');
    expect(table.stdout).toContain('66,516');
    expect(table.stdout).toContain('$0.06');
    const personal = await runCli(['--db', db], env);
    expect(personal.code).toBe(0);
    expect(personal.stdout).toMatch(/Your AI usage this week/);
    expect(personal.stdout).toMatch(/By tool/);
    expect(personal.stdout).toMatch(/By model/);
  });
});

describe('tokenyield ingest', () => {
  it('is incremental and idempotent: a second run reads nothing and changes nothing', async () => {
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: captureCopy() });
    const db = join(tempDir(), 'ledger.duckdb');
    const first = JSON.parse((await runCli(['ingest', '--json', '--db', db], env)).stdout);
    const claude = first.sources.find((s: { tool: string }) => s.tool === 'claude-code');
    expect(claude).toMatchObject({
      filesSeen: 3,
      filesRead: 3,
      callsFound: 7,
      newCalls: 7,
      duplicatesDropped: 0,
    });
    const second = JSON.parse((await runCli(['ingest', '--json', '--db', db], env)).stdout);
    const claude2 = second.sources.find((s: { tool: string }) => s.tool === 'claude-code');
    expect(claude2).toMatchObject({
      filesSeen: 3,
      filesRead: 0,
      filesUnchanged: 3,
      newCalls: 0,
      bytesRead: 0,
    });
    const out = parseJson(
      (await runCli(['report', 'daily', '--json', '--tz', 'UTC', '--db', db], env)).stdout,
    );
    expect(out.totals).toMatchObject(CAPTURE_TOTALS);
  });

  it('skips and counts bad input, keeps every valid line around it, and exits 0', async () => {
    const root = captureCopy();
    const project = join(root, 'projects', '-home-dev-acme-api');
    const file = join(project, '2b7bd622-44f4-4526-bf9d-bfbc5a02ca44.jsonl');
    appendFileSync(file, 'this is not json\n');
    // A typed prompt whose bytes are not valid UTF-8.
    appendFileSync(
      file,
      Buffer.concat([
        Buffer.from('{"type":"user","message":{"role":"user","content":"fix it '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"},"uuid":"u-bad","timestamp":"2026-11-22T23:50:00.000Z","sessionId":"s","cwd":"/x"}\n'),
      ]),
    );
    appendFileSync(file, '{"type":"brand-new-line-type","x":1}\n');
    appendFileSync(
      file,
      '{"type":"assistant","message":{"id":"msg_bad","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":"12","output_tokens":5}},"requestId":"req_bad","timestamp":"2026-11-22T23:50:00.000Z","sessionId":"s"}\n',
    );
    writeFileSync(join(project, 'empty.jsonl'), '');
    // A 100 MB single line (a giant pasted tool result) followed by nothing.
    const huge = join(project, 'huge.jsonl');
    writeFileSync(huge, `{"type":"user","message":{"content":"${'x'.repeat(100 * 1024 * 1024)}"}}\n`);
    // A session still being written: its last line is cut off.
    appendFileSync(
      join(project, '14a9e392-f219-453b-8f83-8a99a0ad7f34.jsonl'),
      '{"type":"assistant","message":{"id":"msg_',
    );
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: root });
    const db = join(tempDir(), 'ledger.duckdb');
    const res = await runCli(['ingest', '--db', db], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/skipped \d+ lines/);
    expect(res.stdout).toMatch(/invalid JSON/i);
    expect(res.stdout).toMatch(/UTF-8/);
    expect(res.stdout).toMatch(/wrong type/);
    expect(res.stdout).toMatch(/line too long/i);
    expect(res.stdout).toMatch(/unfinished line/);
    expect(res.stderr).toBe('');
    const out = parseJson(
      (await runCli(['report', 'daily', '--json', '--tz', 'UTC', '--no-ingest', '--db', db], env)).stdout,
    );
    expect(out.totals).toMatchObject(CAPTURE_TOTALS);
  });

  it('exits non-zero with a reason when nothing could be read at all', async () => {
    const db = join(tempDir(), 'ledger.duckdb');
    const none = await runCli(['ingest', '--db', db], isolatedEnv());
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No usage logs found/);
    expect(none.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const root = tempDir('ty-garbage-');
    const project = join(root, 'projects', '-x');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'a.jsonl'), 'garbage\nmore garbage\n');
    const garbage = await runCli(['ingest', '--db', db], isolatedEnv({ CLAUDE_CONFIG_DIR: root }));
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toMatch(/invalid JSON/i);
    expect(garbage.stderr).toMatch(/Nothing could be read/);
  });

  it('refuses bad options with a message, not a stack trace', async () => {
    const env = isolatedEnv();
    const db = join(tempDir(), 'ledger.duckdb');
    const tz = await runCli(['report', 'daily', '--tz', 'Mars/Olympus', '--db', db], env);
    expect(tz.code).toBe(2);
    expect(tz.stderr).toMatch(/--tz must be an IANA time zone/);
    const since = await runCli(['report', 'daily', '--since', 'last week', '--db', db], env);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since must be a date/);
    const tool = await runCli(['report', 'daily', '--tool', 'notepad', '--db', db], env);
    expect(tool.code).toBe(2);
    expect(tool.stderr).toMatch(/--tool must be one of/);
  });

  it('says clearly when another process holds the ledger', async () => {
    const db = join(tempDir(), 'ledger.duckdb');
    const release = await holdLedger(db);
    try {
      const res = await runCli(['report', 'daily', '--db', db], isolatedEnv());
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(/open for writing in another process/);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    } finally {
      release();
    }
  });
});
