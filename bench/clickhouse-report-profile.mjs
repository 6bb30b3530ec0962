#!/usr/bin/env node
// Where the ClickHouse org report spends its time (issue #8). Fills a ledger with --rows rows of
// bench/store.mjs's synthetic organisation through its bulk load (the rows Store.write stores, and
// the roll-up recomputed by the store's own code), then times bench/store.mjs's two report queries
// through Store.usage, --repeat times each, reporting the median wall time and the server's CPU
// time over it (from /proc, when the server runs on this machine). With --sql, each statement is
// also printed.
// Runs after `npx tsc -p tsconfig.build.json`: imports from dist/ (or --dist).
//
//   node bench/clickhouse-report-profile.mjs --clickhouse clickhouse://127.0.0.1:8123
//        [--rows 6000000] [--repeat 3] [--database NAME] [--keep] [--reuse] [--dist DIR]
//
// --keep leaves the database for a later run with --reuse --database NAME, which skips the load.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds } from './proc.mjs';
import { bulkLoadClickHouse } from './store-bulk.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    clickhouse: { type: 'string' },
    rows: { type: 'string', default: '6000000' },
    repeat: { type: 'string', default: '3' },
    database: { type: 'string' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    sql: { type: 'boolean', default: false },
    dist: { type: 'string' },
  },
});
if (!opt.clickhouse) {
  console.error('usage: node bench/clickhouse-report-profile.mjs --clickhouse URL [--rows N] [--repeat N]');
  process.exit(2);
}
const DIST = resolve(opt.dist ?? join(REPO, 'dist'));
const { openClickHouseStore } = await import(join(DIST, 'ledger', 'store', 'clickhouse', 'index.js'));
const { usageStatement } = await import(join(DIST, 'ledger', 'store', 'clickhouse', 'usage-query.js'));

// The organisation of bench/store.mjs (its defaults): the same generator, so the same rows.
const DAY_MS = 86_400_000;
const ENGINEERS = 1500;
const CALLS_PER_DAY = 200;
const START = Date.parse('2025-01-01T00:00:00Z');
const GENERATOR = {
  engineers: ENGINEERS,
  callsPerDay: CALLS_PER_DAY,
  start: START,
  models: ['claude-sonnet-4-5', 'claude-opus-4-1', 'gpt-5-codex', 'gemini-2.5-pro', 'claude-haiku-4-5'],
  tools: ['claude-code', 'claude-code', 'codex', 'gemini-cli'],
  sources: { 'claude-code': 'claude_code_jsonl', codex: 'codex_rollout', 'gemini-cli': 'gemini_cli_chat' },
  providers: { 'claude-code': 'anthropic', codex: 'openai', 'gemini-cli': 'google' },
};
// The bulk load reads only the fields every record shares from `record`.
const record = () => ({
  serviceTier: 'standard',
  gitBranch: 'main',
  granularity: 'request',
  rawIdentity: { source: 'bench' },
  costBasis: 'computed',
  priceVersion: 'bench',
});

const rows = Number(opt.rows);
const base = opt.clickhouse.replace(/\/+$/, '');
const database = opt.database ?? `report_profile_${Date.now().toString(36)}`;
const url = `${base}/${database}`;
const http = `http://${new URL(base).host}/`;

async function chText(query) {
  const response = await fetch(http, { method: 'POST', body: query });
  const text = await response.text();
  if (!response.ok) throw new Error(text);
  return text;
}

if (!opt.reuse) {
  (await openClickHouseStore({ url })).close();
  const started = performance.now();
  await bulkLoadClickHouse({ url, dist: DIST, from: 0, to: rows, record, generator: GENERATOR });
  console.log(`loaded ${rows} rows in ${Math.round(performance.now() - started)} ms`);
}
const counts = await chText(
  `SELECT (SELECT count() FROM ${database}.usage), (SELECT count() FROM ${database}.usage_rollup), (SELECT sum(length(bucket)) FROM ${database}.usage_rollup FINAL) FORMAT TabSeparated`,
);
const [usageRows, rollupRows, groups] = counts.trim().split('\t');
console.log(`usage ${usageRows} rows, usage_rollup ${rollupRows} rows (${groups} groups)`);

const written = Number(usageRows);
const lastDay = new Date(START + Math.floor((written - 1) / (ENGINEERS * CALLS_PER_DAY)) * DAY_MS)
  .toISOString()
  .slice(0, 10);
const monthBefore = new Date(Date.parse(lastDay) - 29 * DAY_MS).toISOString().slice(0, 10);
const QUERIES = {
  'report daily (all, UTC)': { groupBy: 'day', timeZone: 'UTC' },
  'report model (30 days, New York)': {
    groupBy: 'model',
    timeZone: 'America/New_York',
    since: monthBefore,
    until: lastDay,
  },
  'report daily (30 days, Kolkata)': { groupBy: 'day', timeZone: 'Asia/Kolkata', since: monthBefore },
  'report person (all, UTC)': { groupBy: 'person', timeZone: 'UTC' },
  // A team view ending "now": 300 members who joined on the second day at odd minutes, so every
  // span has a fringe at each end that only raw rows answer.
  'team daily (300 spans, UTC)': {
    groupBy: 'day',
    timeZone: 'UTC',
    personSpans: Array.from({ length: 300 }, (_, e) => ({
      personId: `eng${e * 5}@bench.example`,
      fromTs: START + DAY_MS + 8 * 3_600_000 + e * 7_001,
      untilTs: Date.parse(lastDay) + 12 * 3_600_000 + 123_457,
    })),
  },
};

/** The server's pid: the clickhouse-server whose config names this HTTP port. */
function findServerPid(port) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const config = cmdline.find((arg) => arg.startsWith('--config-file='))?.slice('--config-file='.length);
      if (!cmdline[0].includes('clickhouse') || !config) continue;
      if (readFileSync(config, 'utf8').includes(`<http_port>${port}</http_port>`)) return Number(entry);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return null;
}
const serverPid = findServerPid(new URL(base).port || '8123');
if (serverPid === null) console.log('server process not found: CPU not measured');

/** CPU ms the server has used so far. */
function serverCpuMs() {
  return serverPid === null ? Number.NaN : (cpuSeconds(serverPid) ?? Number.NaN) * 1000;
}

const store = await openClickHouseStore({ url, readOnly: true });
try {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const [name, query] of Object.entries(QUERIES)) {
    if (opt.sql) console.log(String(usageStatement(query, { rollups: true })?.text ?? ''));
    const times = [];
    const cpus = [];
    let result;
    for (let i = 0; i < Number(opt.repeat); i++) {
      const cpu0 = serverCpuMs();
      const started = performance.now();
      result = await store.usage(query);
      times.push(performance.now() - started);
      cpus.push(serverCpuMs() - cpu0);
    }
    console.log(
      `${name}: ${Math.round(median(times))} ms (server CPU ${median(cpus)} ms) median of ${times.map((t) => Math.round(t)).join(', ')}; ${result.length} groups`,
    );
  }
} finally {
  await store.close();
  if (!opt.keep) await chText(`DROP DATABASE IF EXISTS ${database}`);
  else console.log(`kept database ${database}`);
}
