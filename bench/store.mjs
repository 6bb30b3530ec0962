#!/usr/bin/env node
// The ledger store on each engine, side by side: how fast usage is ingested (through
// `Store.write`, de-duplication and roll-ups included) and how long the org report takes, as the
// ledger grows through the given sizes. ClickHouse is a private server started for the run
// (Debian's clickhouse-server works) unless --clickhouse names one. Runs after `npm run build`:
// imports from dist/.
//
//   node bench/store.mjs [--sizes 1000000,10000000] [--engines duckdb,clickhouse] [--batch 50000]
//                        [--engineers 1500] [--calls 200] [--clickhouse clickhouse://host:port]
//
// Records are synthetic calls in time order (as a live organisation sends them): --engineers
// people making --calls calls each per working day, so a larger ledger is a longer history
// (100 M rows at the defaults: 333 days); 2% arrive twice (a retried export), so every write
// also de-duplicates. The org report is `report daily` over everything (UTC), plus `report model` of
// the last 30 days in America/New_York; each is run 3 times and the median is reported.
// Appends the run to bench/out/store-<YYYY-MM-DD>.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, '..');
const OUT = join(BENCH, 'out');
const DIST = join(REPO, 'dist');

const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    engines: { type: 'string', default: 'duckdb,clickhouse' },
    batch: { type: 'string', default: '50000' },
    engineers: { type: 'string', default: '1500' },
    calls: { type: 'string', default: '200' },
    clickhouse: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(
    'usage: node bench/store.mjs [--sizes 1000000,10000000] [--engines duckdb,clickhouse] [--batch 50000] [--engineers 1500] [--calls 200] [--clickhouse URL]',
  );
  process.exit(0);
}
if (!existsSync(join(DIST, 'ledger', 'store', 'clickhouse', 'index.js'))) {
  console.error('dist/ is missing or stale: run `npm run build` first.');
  process.exit(2);
}

const sizes = opt.sizes
  .split(',')
  .map((s) => Number(s.trim()))
  .sort((a, b) => a - b);
const engines = opt.engines.split(',').map((s) => s.trim());
const batchSize = Number(opt.batch);
const engineers = Number(opt.engineers);
const callsPerDay = Number(opt.calls);
const rowsPerDay = engineers * callsPerDay;
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(batchSize) || batchSize < 1) {
  console.error('--sizes and --batch take positive integers');
  process.exit(2);
}

const { openDuckDbStore } = await import(join(DIST, 'ledger', 'store', 'duckdb', 'index.js'));
const { openClickHouseStore } = await import(join(DIST, 'ledger', 'store', 'clickhouse', 'index.js'));
const { startLocalClickHouse } = await import(join(DIST, 'ledger', 'store', 'clickhouse', 'test-server.js'));

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'gpt-5-codex', 'gemini-2.5-pro', 'claude-haiku-4-5'];
const TOOLS = ['claude-code', 'claude-code', 'codex', 'gemini-cli'];
const SOURCES = {
  'claude-code': 'claude_code_jsonl',
  codex: 'codex_rollout',
  'gemini-cli': 'gemini_cli_chat',
};
const PROVIDERS = { 'claude-code': 'anthropic', codex: 'openai', 'gemini-cli': 'google' };
const IDENTITY = { source: 'bench' };

/** A cheap deterministic hash of an integer, for spreading records over people and models. */
function mix(n) {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Call number `i`: day by day, every engineer making --calls calls a day in sessions of 20 calls,
 * one every two minutes from a start between 07:00 and 10:00 UTC; a session keeps its tool, model
 * and project, as a real one does.
 */
function record(i) {
  const day = Math.floor(i / rowsPerDay);
  const j = i % rowsPerDay;
  const engineer = j % engineers;
  const k = Math.floor(j / engineers);
  const person = `eng${engineer}@bench.example`;
  const session = Math.floor(k / 20);
  const s = mix(engineer * 7919 + day * 104729 + session);
  const h = mix(i);
  const start = 7 * HOUR_MS + (mix(engineer) % (3 * HOUR_MS));
  const ts = START + day * DAY_MS + start + k * 120_000 + (h % 60_000);
  const tool = TOOLS[s % TOOLS.length];
  const model = MODELS[(s >>> 8) % MODELS.length];
  const input = 100 + (h % 5000);
  const cached = (h >>> 6) % 50_000;
  const output = 20 + ((h >>> 10) % 2000);
  const project = `/src/repo${(s >>> 16) % 40}`;
  return {
    id: `bench:${i}`,
    ts,
    source: SOURCES[tool],
    tool,
    sessionId: `${person}:${day}:${session}`,
    parentSessionId: null,
    requestId: `req_${i}`,
    messageId: `msg_${i}`,
    model,
    provider: PROVIDERS[tool],
    speed: null,
    serviceTier: 'standard',
    inferenceGeo: null,
    tokens: {
      inputUncached: input,
      cacheRead: cached,
      cacheWrite5m: (h >>> 3) % 200,
      cacheWrite1h: 0,
      cacheWriteOther: 0,
      output,
      reasoning: Math.floor(output / 4),
    },
    webSearchRequests: 0,
    credits: null,
    reportedCostUsd: null,
    cwd: project,
    gitBranch: 'main',
    project,
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: `bench:${person}`,
    personId: person,
    rawIdentity: IDENTITY,
    costUsd: (input * 3 + cached * 0.3 + output * 15) / 1e6,
    costBasis: 'computed',
    priceVersion: 'bench',
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

/** The queries at `written` rows: the last 30 days are those of the newest row stored. */
const QUERIES = (written) => {
  const lastDay = new Date(record(written - 1).ts).toISOString().slice(0, 10);
  const monthBefore = new Date(Date.parse(lastDay) - 29 * DAY_MS).toISOString().slice(0, 10);
  return {
    'report daily (all, UTC)': { groupBy: 'day', timeZone: 'UTC' },
    'report model (30 days, New York)': {
      groupBy: 'model',
      timeZone: 'America/New_York',
      since: monthBefore,
      until: lastDay,
    },
  };
};

async function diskBytes(engine, where) {
  if (engine === 'duckdb') return statSync(where.path).size;
  const url = new URL(where.url);
  const database = url.pathname.slice(1);
  const http = `http://${url.host}/?query=${encodeURIComponent(
    `SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = '${database.replaceAll("'", "\\'")}'`,
  )}`;
  return Number((await (await fetch(http)).text()).trim());
}

async function runEngine(engine, chBase) {
  const dir = mkdtempSync(join(tmpdir(), `ty-store-bench-${engine}-`));
  const where =
    engine === 'duckdb'
      ? { path: join(dir, 'ledger.duckdb') }
      : { url: `${chBase.replace(/\/+$/, '')}/bench_${Date.now().toString(36)}` };
  const open = () => (engine === 'duckdb' ? openDuckDbStore(where) : openClickHouseStore(where));
  const points = [];
  let store = await open();
  let written = 0;
  let writeMs = 0;
  let duplicatesSent = 0;
  try {
    for (const size of sizes) {
      while (written < size) {
        const n = Math.min(batchSize, size - written);
        const batch = [];
        for (let i = written; i < written + n; i++) batch.push(record(i));
        // A retried export: the previous batch's last 2% again.
        const again = Math.floor(n * 0.02);
        for (let i = Math.max(0, written - again); i < written; i++) batch.push(record(i));
        duplicatesSent += Math.min(again, written);
        const { ms, result } = await timed(() =>
          store.write({ usage: batch, activity: [], checkpoints: [] }),
        );
        if (result.usageInserted !== n)
          throw new Error(`${engine}: ${result.usageInserted} of ${n} new records stored`);
        writeMs += ms;
        written += n;
        if (process.stdout.isTTY) process.stdout.write(`\r  ${engine}: ${written.toLocaleString('en')} rows`);
      }
      if (process.stdout.isTTY) process.stdout.write('\n');
      // Reports are measured on a store opened afresh, as a report command or a new server would.
      await store.close();
      store = await open();
      const queries = {};
      for (const [name, query] of Object.entries(QUERIES(written))) {
        const runs = [];
        let rows = 0;
        for (let r = 0; r < 3; r++) {
          const { ms, result } = await timed(() => store.usage(query));
          runs.push(ms);
          rows = result.length;
          if (name.startsWith('report daily')) {
            const calls = result.reduce((s, row) => s + row.calls, 0);
            if (calls !== written) throw new Error(`${engine}: report counts ${calls} calls of ${written}`);
          }
        }
        queries[name] = { medianMs: Math.round(median(runs)), rows };
      }
      const point = {
        rows: written,
        ingestRowsPerSecond: Math.round(written / (writeMs / 1000)),
        writeSeconds: Math.round(writeMs / 100) / 10,
        duplicatesSent,
        diskBytes: await diskBytes(engine, where),
        queries,
      };
      points.push(point);
      console.log(
        `  ${engine} at ${written.toLocaleString('en')} rows: ingest ${point.ingestRowsPerSecond.toLocaleString('en')} rows/s, ` +
          Object.entries(queries)
            .map(([k, v]) => `${k} ${v.medianMs} ms`)
            .join(', '),
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return points;
}

console.log(
  `Store benchmark: sizes ${sizes.map((s) => s.toLocaleString('en')).join(', ')}; ${engineers} engineers × ${callsPerDay} calls a day; batches of ${batchSize}.`,
);
let local;
let chBase = opt.clickhouse;
const results = {};
try {
  if (engines.includes('clickhouse') && !chBase) {
    local = await startLocalClickHouse({ maxMemoryUsage: Math.floor(totalmem() / 2) });
    chBase = local.url;
  }
  let chVersion = null;
  if (chBase) {
    const u = new URL(chBase);
    chVersion = (await (await fetch(`http://${u.host}/?query=SELECT%20version()`)).text()).trim();
  }
  for (const engine of engines) {
    console.log(`${engine}${engine === 'clickhouse' ? ` ${chVersion}` : ''}:`);
    results[engine] = await runEngine(engine, chBase);
  }

  console.log('\nSide by side (ingest rows/s | report daily ms | report model ms):');
  for (const size of sizes) {
    const cells = engines.map((e) => {
      const p = results[e].find((x) => x.rows === size);
      const q = Object.values(p.queries);
      return `${e} ${p.ingestRowsPerSecond.toLocaleString('en')} | ${q[0].medianMs} | ${q[1].medianMs}`;
    });
    console.log(`  ${size.toLocaleString('en').padStart(12)} rows: ${cells.join('   ')}`);
  }
  if (sizes.length > 1) {
    const [first, last] = [sizes[0], sizes[sizes.length - 1]];
    console.log(
      `\nGrowth from ${first.toLocaleString('en')} to ${last.toLocaleString('en')} rows (×${last / first}):`,
    );
    for (const e of engines) {
      const a = results[e][0];
      const b = results[e][results[e].length - 1];
      const q = Object.keys(a.queries);
      console.log(
        `  ${e}: ingest rate ×${(b.ingestRowsPerSecond / a.ingestRowsPerSecond).toFixed(2)}, ` +
          q
            .map((k) => `${k} ×${(b.queries[k].medianMs / Math.max(1, a.queries[k].medianMs)).toFixed(1)}`)
            .join(', '),
      );
    }
  }
  const run = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryBytes: totalmem(), load: loadavg() },
    clickhouse: chVersion,
    options: { sizes, engines, batchSize, engineers, callsPerDay },
    results,
  };
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `store-${run.date.slice(0, 10)}.json`);
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  writeFileSync(file, `${JSON.stringify([...previous, run], null, 2)}\n`);
  console.log(`\nSaved to ${file}`);
} finally {
  await local?.stop();
}
