#!/usr/bin/env node
// Where `Store.write` on the DuckDB ledger spends its time, per record. Writes --rows usage
// records of the demo organisation (src/synthetic/demo-org: its people, sessions, models and
// activity, shaped as the sources build them) into a fresh ledger in a temp directory, in --batch
// batches, with --redeliver of each batch's records sent again in the next one (a retried
// export), and prints rows/s and process CPU per 100k rows. Two cases: usage alone, then usage
// with the activity records that came with it. Records are generated before the clock starts.
// With --statements, every engine call of the write path is timed and summed by statement.
// Runs after `npx tsc -p tsconfig.build.json`: imports from dist/ (or --dist).
//
//   node bench/store-write-profile.mjs [--rows 400000] [--batch 50000] [--redeliver 0.02]
//                                      [--cases usage,activity] [--statements] [--dist DIR]
//                                      [--prefill ROWS] [--shape demo|bench] [--init-sql SQL]
//                                      [--key-filter]
//
// --prefill grows the ledger to about ROWS rows (copies of a seed written through the store)
// before the measured writes; --shape bench writes bench/store.mjs's calls (from its SQL generator,
// bench/store-synthetic-sql.mjs) instead of the demo's.
//
// --key-filter opens the ledger as the server does, with its keys held in memory (stored-keys.ts):
// after the prefill, which writes behind the store's back, the ledger is reopened to load them.
//
// For a CPU profile: node --cpu-prof --cpu-prof-dir=/tmp/prof bench/store-write-profile.mjs …
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    rows: { type: 'string', default: '400000' },
    batch: { type: 'string', default: '50000' },
    redeliver: { type: 'string', default: '0.02' },
    cases: { type: 'string', default: 'usage,activity' },
    statements: { type: 'boolean', default: false },
    prefill: { type: 'string', default: '0' },
    shape: { type: 'string', default: 'demo' },
    'init-sql': { type: 'string' },
    'key-filter': { type: 'boolean', default: false },
    dist: { type: 'string' },
  },
});
const DIST = resolve(opt.dist ?? join(REPO, 'dist'));
const ROWS = Number(opt.rows);
const BATCH = Number(opt.batch);
const REDELIVER = Number(opt.redeliver);
const PREFILL = Number(opt.prefill);
/** Usage records written (untimed) before the measured ones, as the seed of --prefill. */
const SEED = PREFILL > 0 ? 50_000 : 0;

const { openDuckDbStore } = await import(join(DIST, 'ledger', 'store', 'duckdb', 'index.js'));
const { generateDemoOrg } = await import(join(DIST, 'synthetic', 'demo-org', 'index.js'));

/** The first `rows` usage records of the demo organisation, with the activity between them. */
function demoRecords(rows) {
  const usage = [];
  const activity = [];
  const org = generateDemoOrg({ engineers: 300, days: 120 });
  for (const batch of org.usageBatches()) {
    for (const r of batch.usage) usage.push(r);
    for (const r of batch.activity) activity.push(r);
    if (usage.length >= rows) break;
  }
  usage.length = Math.min(usage.length, rows);
  return { usage, activity };
}

/*
 * bench/store.mjs's calls (1500 engineers × 200 a day, one message per call, no activity), built
 * by its SQL generator in an in-memory engine and read back as records.
 */
async function benchRecords(rows) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { syntheticRecordsSql } = await import('./store-synthetic-sql.mjs');
  const tools = ['claude-code', 'claude-code', 'codex', 'gemini-cli'];
  const sql = syntheticRecordsSql('duckdb', {
    from: 0,
    to: rows,
    engineers: 1500,
    callsPerDay: 200,
    start: Date.parse('2025-01-01T00:00:00Z'),
    models: ['claude-sonnet-4-5', 'claude-opus-4-1', 'gpt-5-codex', 'gemini-2.5-pro', 'claude-haiku-4-5'],
    tools,
    sources: { 'claude-code': 'claude_code_jsonl', codex: 'codex_rollout', 'gemini-cli': 'gemini_cli_chat' },
    providers: { 'claude-code': 'anthropic', codex: 'openai', 'gemini-cli': 'google' },
  });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`SELECT * FROM (${sql}) ORDER BY ts_ms`);
  const identity = { source: 'bench' };
  const usage = reader.getRowObjectsJS().map((r) => ({
    id: r.id,
    ts: Number(r.ts_ms),
    source: r.source,
    tool: r.tool,
    sessionId: r.session_id,
    parentSessionId: null,
    requestId: r.request_id,
    messageId: r.message_id,
    model: r.model,
    provider: r.provider,
    speed: null,
    serviceTier: 'standard',
    inferenceGeo: null,
    tokens: {
      inputUncached: Number(r.input_uncached),
      cacheRead: Number(r.cache_read),
      cacheWrite5m: Number(r.cache_write_5m),
      cacheWrite1h: 0,
      cacheWriteOther: 0,
      output: Number(r.output),
      reasoning: Number(r.reasoning),
    },
    webSearchRequests: 0,
    credits: null,
    reportedCostUsd: null,
    cwd: r.project,
    gitBranch: 'main',
    project: r.project,
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: r.origin,
    personId: r.person_id,
    rawIdentity: identity,
    costUsd: r.cost_usd,
    costBasis: 'computed',
    priceVersion: 'bench',
  }));
  connection.closeSync();
  instance.closeSync();
  return { usage, activity: [] };
}

/** Cuts both streams into `n`-usage-row batches; activity follows in proportion. */
function batches({ usage, activity }, withActivity) {
  const out = [];
  const count = Math.ceil(usage.length / BATCH);
  const perBatch = Math.ceil(activity.length / count);
  for (let b = 0; b < count; b++) {
    const fresh = usage.slice(b * BATCH, (b + 1) * BATCH);
    const again = b === 0 ? [] : usage.slice(b * BATCH - Math.round(BATCH * REDELIVER), b * BATCH);
    out.push({
      usage: [...fresh, ...again],
      activity: withActivity ? activity.slice(b * perBatch, (b + 1) * perBatch) : [],
      checkpoints: [],
    });
  }
  return out;
}

/** Wraps the store's connection so that each statement's time is summed under a short name. */
function timeStatements(store, totals) {
  const connection = store.connection;
  const name = (sql) =>
    sql
      .replace(/\s+/g, ' ')
      .trim()
      .replace(
        /^(CREATE OR REPLACE TEMP TABLE|INSERT INTO|DELETE FROM|UPDATE|DROP TABLE IF EXISTS)\s+(\S+).*$/i,
        '$1 $2',
      )
      .slice(0, 60);
  const add = (key, ms) => {
    const t = totals.get(key) ?? { ms: 0, calls: 0 };
    t.ms += ms;
    t.calls += 1;
    totals.set(key, t);
  };
  const run = connection.run.bind(connection);
  connection.run = async (sql, ...rest) => {
    const t0 = performance.now();
    try {
      return await run(sql, ...rest);
    } finally {
      // A multi-statement call is named by its statements, in order.
      add(
        sql
          .split(';')
          .map((s) => name(s))
          .filter((s) => s !== '')
          .join(' ; '),
        performance.now() - t0,
      );
    }
  };
  const createAppender = connection.createAppender.bind(connection);
  connection.createAppender = async (table, ...rest) => {
    const appender = await createAppender(table, ...rest);
    const append = appender.appendDataChunk.bind(appender);
    appender.appendDataChunk = (chunk) => {
      const t0 = performance.now();
      append(chunk);
      add(`appendDataChunk ${table}`, performance.now() - t0);
    };
    return appender;
  };
}

/*
 * Grows the ledger to ~PREFILL rows before the clock starts, so that a write is measured against a
 * ledger of that size: the seed records are written through the store, then copied by the engine
 * under new ids and message ids (keys derived as the store derives them, see migrations.ts).
 */
async function prefill(store, seedRows) {
  await store.write({ usage: seedRows, activity: [], checkpoints: [] });
  const copies = Math.max(1, Math.round(PREFILL / seedRows.length));
  const key = (expr) => `CAST(md5_number(${expr}) >> 64 AS UBIGINT)`;
  const t = performance.now();
  await store.connection.run(`INSERT INTO usage SELECT * EXCLUDE (k) REPLACE (
      id || '#' || k AS id, message_id || '#' || k AS message_id,
      ${key("id || '#' || k")} AS id_hash, ${key("message_id || '#' || k")} AS message_hash)
    FROM usage, range(1, ${copies}) t(k)`);
  await store.connection.run('CHECKPOINT');
  console.log(
    `prefilled ${copies * seedRows.length} usage rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

const t0 = performance.now();
const all = opt.shape === 'bench' ? await benchRecords(ROWS + SEED) : demoRecords(ROWS + SEED);
const seed = all.usage.splice(ROWS, SEED);
const records = all;
console.log(
  `generated ${records.usage.length} usage + ${records.activity.length} activity records in ${((performance.now() - t0) / 1000).toFixed(1)} s; load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

for (const which of opt.cases.split(',')) {
  const work = batches(records, which === 'activity');
  const dir = mkdtempSync(join(tmpdir(), 'ty-write-profile-'));
  const path = join(dir, 'ledger.duckdb');
  let store = await openDuckDbStore({ path });
  // For trying engine settings, e.g. --init-sql "SET disabled_compression_methods = 'fsst'".
  if (opt['init-sql']) await store.connection.run(opt['init-sql']);
  if (PREFILL > 0) await prefill(store, seed);
  if (opt['key-filter']) {
    await store.close();
    const t = performance.now();
    store = await openDuckDbStore({ path, keyFilter: true });
    console.log(`reopened with its keys in memory in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    if (opt['init-sql']) await store.connection.run(opt['init-sql']);
  }
  const totals = new Map();
  if (opt.statements) timeStatements(store, totals);
  let usageRows = 0;
  let activityRows = 0;
  let inserted = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (const batch of work) {
    const result = await store.write(batch);
    usageRows += batch.usage.length;
    activityRows += batch.activity.length;
    inserted += result.usageInserted;
  }
  const wall = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `${which}: ${usageRows} usage (${inserted} new) + ${activityRows} activity rows in ${work.length} writes: ` +
      `${wall.toFixed(1)} s wall, ${Math.round(usageRows / wall)} usage rows/s; CPU ${cpuS.toFixed(1)} s ` +
      `(user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)}), ` +
      `${((cpuS * 100_000) / usageRows).toFixed(2)} CPU s per 100k usage rows`,
  );
  if (opt.statements) {
    const sorted = [...totals].sort((a, b) => b[1].ms - a[1].ms);
    for (const [key, t] of sorted.slice(0, 25))
      console.log(`  ${(t.ms / 1000).toFixed(2).padStart(7)} s ${String(t.calls).padStart(6)}×  ${key}`);
  }
}
