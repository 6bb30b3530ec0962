/**
 * Scale-out as an operator runs it: two `tokenyield serve --store clickhouse://…` processes in
 * front of one ClickHouse, an exporter that delivers every batch to both (at-least-once delivery
 * retried against another server), and reports from either server and from the CLI that count
 * each call once.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clickHouseForTests } from '../../src/ledger/store/clickhouse/test-server.js';
import type { ReportJson } from '../../src/server/api/report-json.js';
import { appendTokenFile, generateToken, hashToken } from '../../src/server/auth/tokens.js';
import { apiRequestsBody } from '../fixtures/otel/payloads.js';
import { BIN, isolatedEnv, runCli, tempDir } from './run-cli.js';

const setup = await clickHouseForTests();

interface Serving {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

function serve(args: string[], env: Record<string, string>): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /tokenyield serving (\S+) on (http:\/\/\S+)\n/.exec(out);
      if (m) resolve({ child, url: m[2]! });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${out}\n${err}`)));
  });
}

function stop(s: Serving): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

/** `calls` Claude Code api_request events of one session, as the OTel exporter sends them. */
function exportOf(prefix: string, calls: number): Uint8Array {
  return apiRequestsBody(prefix, calls, 1000);
}

describe.skipIf(!setup.ok)('tokenyield serve --store clickhouse://…', () => {
  const dir = tempDir('ty-scaleout-');
  const servers: Serving[] = [];
  afterAll(async () => {
    await Promise.all(servers.map(stop));
    if (setup.ok) await setup.server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets two servers share one ClickHouse, each call counted once however often it was delivered', async () => {
    if (!setup.ok) return;
    const store = setup.server.freshUrl();
    const tokensFile = join(dir, 'tokens.json');
    const ingest = generateToken();
    const admin = generateToken();
    appendTokenFile(tokensFile, { name: 'collector', role: 'ingest', hash: hashToken(ingest) });
    appendTokenFile(tokensFile, { name: 'admin', role: 'admin', hash: hashToken(admin) });
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ server: { tokensFile } }));
    const env = isolatedEnv();
    servers.push(
      ...(await Promise.all([
        serve(['--store', store, '--config', config], env),
        serve(['--config', config], { ...env, TOKENYIELD_STORE: store }),
      ])),
    );

    const post = (s: Serving, body: Uint8Array) =>
      fetch(`${s.url}/v1/logs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
        body,
      });
    // Ten sessions of 30 calls; every export goes to both servers at once.
    const sends = Array.from({ length: 10 }, (_, n) => exportOf(`x${n}`, 30)).flatMap((body) =>
      servers.map((s) => post(s, body)),
    );
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);

    for (const s of servers) {
      const res = await fetch(`${s.url}/api/v1/reports/daily?tz=UTC`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(res.status).toBe(200);
      const report = (await res.json()) as ReportJson;
      expect(report.totals.calls).toBe(300);
    }

    const cli = await runCli(
      ['report', 'session', '--no-ingest', '--json', '--tz', 'UTC', '--store', store],
      env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    const sessions = JSON.parse(cli.stdout) as ReportJson;
    expect(sessions.rows).toHaveLength(10);
    expect(sessions.totals.calls).toBe(300);

    const both = await runCli(['report', 'daily', '--store', store, '--db', join(dir, 'x.duckdb')], env);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/either --store or --db/);
  });
});
