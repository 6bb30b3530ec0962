#!/usr/bin/env node
// The ledger store on each engine, side by side: how fast usage is ingested through `Store.write`
// (de-duplication and roll-ups included) and how long the org report takes, as the ledger grows
// through the given sizes. ClickHouse is a private server started for the run (Debian's
// clickhouse-server works) unless --clickhouse names one. Runs after `npm run build`: imports
// from dist/ (or --dist, e.g. a private build that other builds cannot rewrite mid-run).
//
//   node bench/store.mjs [--sizes 10000000,30000000,100000000] [--engines duckdb,clickhouse]
//                        [--measure 500000] [--no-bulk] [--batch 50000] [--engineers 1500]
//                        [--calls 200] [--clickhouse clickhouse://host:port] [--dist DIR]
//
// Records are synthetic calls in time order (as a live organisation sends them): --engineers
// people making --calls calls each per working day, so a larger ledger is a longer history
// (100 M rows at the defaults: 333 days); 2% arrive twice (a retried export), so every write
// also de-duplicates.
//
// Which rows went through the store: at each size, the ledger is first grown by a bulk load
// (bench/store-bulk.mjs: the engine's native bulk insert, rows built exactly as Store.write builds
// them, ClickHouse roll-ups recomputed by the store's own code) to `size - measure` rows, and the
// last --measure rows are written through `Store.write` in --batch batches against the ledger of
// that size: the ingest rate reported is theirs alone, the steady-state cost at that size.
// Before any of it, each engine proves the bulk load on a small ledger: one written wholly
// through Store.write, one bulk-loaded then written, compared row by row (and the answers of
// every grouping compared); the run stops if they differ. --no-bulk writes every row through the
// store (hours at 100 M on two cores).
//
// The org report is `report daily` over everything (UTC), plus `report model` of the last 30 days
// in America/New_York, each on a store opened afresh and run 3 times; the median is reported.
// CPU time is this process's (DuckDB runs inside it) plus, for a ClickHouse server this bench
// started, the server's. Appends the run to bench/out/store-<YYYY-MM-DD>.json.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds } from './proc.mjs';
import {
  bulkLoadClickHouse,
  bulkLoadDuckDb,
  compareClickHouseLedgers,
  compareDuckDbLedgers,
} from './store-bulk.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, '..');
const OUT = join(BENCH, 'out');

const USAGE =
  'usage: node bench/store.mjs [--sizes 10000000,30000000,100000000] [--engines duckdb,clickhouse] [--measure 500000] [--no-bulk] [--batch 50000] [--engineers 1500] [--calls 200] [--clickhouse URL] [--dist DIR]';
const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000000,30000000,100000000' },
    engines: { type: 'string', default: 'duckdb,clickhouse' },
    measure: { type: 'string', default: '500000' },
    'no-bulk': { type: 'boolean', default: false },
    batch: { type: 'string', default: '50000' },
    engineers: { type: 'string', default: '1500' },
    calls: { type: 'string', default: '200' },
    clickhouse: { type: 'string' },
    dist: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(USAGE);
  process.exit(0);
}
const DIST = resolve(opt.dist ?? join(REPO, 'dist'));
if (!existsSync(join(DIST, 'ledger', 'store', 'clickhouse', 'index.js'))) {
  console.error(`${DIST} is missing or stale: run \`npm run build\` first.`);
  process.exit(2);
}

const sizes = opt.sizes
  .split(',')
  .map((s) => Number(s.trim()))
  .sort((a, b) => a - b);
const engines = opt.engines.split(',').map((s) => s.trim());
const batchSize = Number(opt.batch);
const measureRows = Number(opt.measure);
const bulk = !opt['no-bulk'];
const engineers = Number(opt.engineers);
const callsPerDay = Number(opt.calls);
const rowsPerDay = engineers * callsPerDay;
if (
  sizes.some((n) => !Number.isInteger(n) || n < 1) ||
  ![batchSize, measureRows].every((n) => Number.isInteger(n) && n >= 1)
) {
  console.error(`--sizes, --batch and --measure take positive integers\n${USAGE}`);
  process.exit(2);
}
if (engines.some((e) => e !== 'duckdb' && e !== 'clickhouse')) {
  console.error(`--engines takes duckdb and/or clickhouse\n${USAGE}`);
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

let serverPid = null;

/** CPU milliseconds used so far by this process and by the ClickHouse server this bench started. */
function cpuMs() {
  const own = process.cpuUsage();
  const server = serverPid === null ? 0 : (cpuSeconds(serverPid) ?? 0) * 1000;
  return { own: (own.user + own.system) / 1000, server };
}

/** The pid of the server started with its config in `dir` (test-server.ts keeps only its URL). */
function findServerPid(dir) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${dir}/config.xml`)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return null;
}

/** Wall and CPU time of `fn`. */
async function measured(fn) {
  const cpu0 = cpuMs();
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  const cpu1 = cpuMs();
  return { ms, cpu: { own: cpu1.own - cpu0.own, server: cpu1.server - cpu0.server }, result };
}

const round1 = (ms) => Math.round(ms / 100) / 10;

async function diskBytes(engine, where) {
  if (engine === 'duckdb') return statSync(where.path).size;
  const url = new URL(where.url);
  const database = url.pathname.slice(1);
  const http = `http://${url.host}/?query=${encodeURIComponent(
    `SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = '${database.replaceAll("'", "\\'")}'`,
  )}`;
  return Number((await (await fetch(http)).text()).trim());
}

function location(engine, dir, chBase, name) {
  return engine === 'duckdb'
    ? { path: join(dir, `${name}.duckdb`) }
    : { url: `${chBase.replace(/\/+$/, '')}/bench_${name}_${Date.now().toString(36)}` };
}

const openStore = (engine, where) =>
  engine === 'duckdb' ? openDuckDbStore(where) : openClickHouseStore(where);

/**
 * Writes records `from` … `to - 1` through `store.write` in batches, each also carrying the last
 * 2% of the batch before again (a retried export); returns the duplicates sent.
 */
async function writeThroughStore(engine, store, from, to, first = 0) {
  let duplicates = 0;
  for (let written = from; written < to; ) {
    const n = Math.min(batchSize, to - written);
    const batch = [];
    for (let i = written; i < written + n; i++) batch.push(record(i));
    const again = Math.min(Math.floor(n * 0.02), written - first);
    for (let i = written - again; i < written; i++) batch.push(record(i));
    duplicates += again;
    const result = await store.write({ usage: batch, activity: [], checkpoints: [] });
    if (result.usageInserted !== n)
      throw new Error(`${engine}: ${result.usageInserted} of ${n} new records stored`);
    written += n;
  }
  return duplicates;
}

/** What `record` is made of, for the engines to generate the same records in SQL. */
const GENERATOR = {
  engineers,
  callsPerDay,
  start: START,
  models: MODELS,
  tools: TOOLS,
  sources: SOURCES,
  providers: PROVIDERS,
};

/** Grows the ledger at `where` from `from` to `to` rows with the bulk load; the store must be closed. */
async function bulkLoad(engine, where, from, to, chunk) {
  if (to <= from) return;
  const common = { from, to, record, generator: GENERATOR, ...(chunk ? { chunk } : {}) };
  if (engine === 'duckdb') await bulkLoadDuckDb({ path: where.path, ...common });
  else await bulkLoadClickHouse({ url: where.url, dist: DIST, ...common });
}

/*
 * Sums of doubles (cost, credits) depend on the order an engine adds rows in, which no engine
 * promises even for one ledger read twice: they are compared to a relative 1e-9, everything else
 * exactly.
 */
const INEXACT = new Set(['costUsd', 'credits']);

/** The first group two answers disagree on, as text; null when they agree. */
function firstDifference(a, b) {
  if (a.length !== b.length) return `${a.length} groups against ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    for (const field of Object.keys(a[i])) {
      const [x, y] = [a[i][field], b[i][field]];
      const same = INEXACT.has(field)
        ? Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y))
        : JSON.stringify(x) === JSON.stringify(y);
      if (!same) return `${JSON.stringify(a[i])}\n${JSON.stringify(b[i])}`;
    }
  }
  return null;
}

const VERIFY_GROUPINGS = ['day', 'week', 'month', 'session', 'model', 'project', 'tool', 'person'];

/**
 * The bulk load proven on a small ledger before a run relies on it: ledger A written wholly
 * through Store.write, ledger B bulk-loaded (in small chunks, so that chunk edges are crossed) to
 * half and written through the store for the rest, as the benchmark does. Their rows must be
 * identical and every grouping must answer the same, or the run stops.
 */
async function verifyBulkLoad(engine, chBase, first, rows) {
  const dir = mkdtempSync(join(tmpdir(), `ty-store-bench-verify-${engine}-`));
  const a = location(engine, dir, chBase, 'verify_store');
  const b = location(engine, dir, chBase, 'verify_bulk');
  const stores = [];
  const end = first + rows;
  try {
    let store = await openStore(engine, a);
    stores.push(store);
    await writeThroughStore(engine, store, first, end, first);
    store = await openStore(engine, b);
    await store.close();
    const half = first + Math.floor(rows / 2);
    await bulkLoad(engine, b, first, half, Math.ceil(rows / 2 / 7));
    store = await openStore(engine, b);
    stores.push(store);
    await writeThroughStore(engine, store, half, end, first);
    for (const s of stores) await s.close();
    stores.length = 0;
    const compared =
      engine === 'duckdb'
        ? await compareDuckDbLedgers(a.path, b.path)
        : await compareClickHouseLedgers(a.url, b.url);
    const [sa, sb] = [await openStore(engine, a), await openStore(engine, b)];
    stores.push(sa, sb);
    for (const groupBy of VERIFY_GROUPINGS) {
      for (const timeZone of ['UTC', 'America/New_York']) {
        const [ra, rb] = [await sa.usage({ groupBy, timeZone }), await sb.usage({ groupBy, timeZone })];
        const differing = firstDifference(ra, rb);
        if (differing !== null)
          throw new Error(
            `${engine}: the bulk-loaded ledger answers report ${groupBy} (${timeZone}) differently:\n${differing}`,
          );
        if (ra.reduce((s, r) => s + r.calls, 0) !== rows)
          throw new Error(`${engine}: report ${groupBy} counts the wrong number of calls`);
      }
    }
    return compared;
  } finally {
    for (const s of stores) await s.close();
    if (engine === 'clickhouse') {
      for (const w of [a, b]) {
        const u = new URL(w.url);
        await fetch(`http://${u.host}/`, {
          method: 'POST',
          body: `DROP DATABASE IF EXISTS ${u.pathname.slice(1)}`,
        });
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runEngine(engine, chBase) {
  const dir = mkdtempSync(join(tmpdir(), `ty-store-bench-${engine}-`));
  const where = location(engine, dir, chBase, 'ledger');
  const points = [];
  let store = await openStore(engine, where);
  let written = 0;
  try {
    for (const size of sizes) {
      const bulkTo = bulk ? Math.max(written, size - measureRows) : written;
      let bulkPart = null;
      if (bulkTo > written) {
        await store.close();
        store = null;
        const { ms, cpu } = await measured(() => bulkLoad(engine, where, written, bulkTo));
        bulkPart = {
          rows: bulkTo - written,
          seconds: round1(ms),
          cpuSeconds: round1(cpu.own + cpu.server),
          rowsPerSecond: Math.round((bulkTo - written) / (ms / 1000)),
        };
        written = bulkTo;
        store = await openStore(engine, where);
      }
      const storeRows = size - written;
      const write = await measured(() => writeThroughStore(engine, store, written, size));
      written = size;
      // Reports are measured on a store opened afresh, as a report command or a new server would.
      await store.close();
      store = await openStore(engine, where);
      const queries = {};
      for (const [name, query] of Object.entries(QUERIES(written))) {
        const runs = [];
        let rows = 0;
        for (let r = 0; r < 3; r++) {
          const { ms, cpu, result } = await measured(() => store.usage(query));
          runs.push({ ms, cpu: cpu.own + cpu.server });
          rows = result.length;
          if (name.startsWith('report daily')) {
            const calls = result.reduce((s, row) => s + row.calls, 0);
            if (calls !== written) throw new Error(`${engine}: report counts ${calls} calls of ${written}`);
          }
        }
        const mid = median(runs.map((x) => x.ms));
        queries[name] = {
          medianMs: Math.round(mid),
          cpuMs: Math.round(runs.find((x) => x.ms === mid).cpu),
          runsMs: runs.map((x) => Math.round(x.ms)),
          rows,
        };
      }
      const point = {
        rows: written,
        bulkLoaded: bulkPart,
        throughStore: {
          rows: storeRows,
          duplicatesSent: write.result,
          seconds: round1(write.ms),
          cpuSeconds: round1(write.cpu.own + write.cpu.server),
          rowsPerSecond: Math.round(storeRows / (write.ms / 1000)),
        },
        ingestRowsPerSecond: Math.round(storeRows / (write.ms / 1000)),
        diskBytes: await diskBytes(engine, where),
        load: loadavg().map((x) => Math.round(x * 100) / 100),
        queries,
      };
      points.push(point);
      console.log(
        `  ${engine} at ${written.toLocaleString('en')} rows` +
          (bulkPart
            ? ` (${bulkPart.rows.toLocaleString('en')} bulk-loaded in ${bulkPart.seconds} s, ${bulkPart.cpuSeconds} s CPU)`
            : '') +
          `: Store.write of the last ${storeRows.toLocaleString('en')} ${point.ingestRowsPerSecond.toLocaleString('en')} rows/s ` +
          `(${point.throughStore.seconds} s, ${point.throughStore.cpuSeconds} s CPU), ` +
          Object.entries(queries)
            .map(([k, v]) => `${k} ${v.medianMs} ms (${v.cpuMs} ms CPU)`)
            .join(', ') +
          `, ${(point.diskBytes / 1e9).toFixed(2)} GB, load ${point.load.join(' ')}`,
      );
    }
  } finally {
    await store?.close();
    if (engine === 'clickhouse') {
      const u = new URL(where.url);
      await fetch(`http://${u.host}/`, {
        method: 'POST',
        body: `DROP DATABASE IF EXISTS ${u.pathname.slice(1)}`,
      }).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return points;
}

console.log(
  `Store benchmark: sizes ${sizes.map((s) => s.toLocaleString('en')).join(', ')}; ${engineers} engineers × ${callsPerDay} calls a day; ` +
    (bulk
      ? `each size bulk-loaded to ${measureRows.toLocaleString('en')} rows short, the rest written through Store.write in batches of ${batchSize.toLocaleString('en')}.`
      : `every row written through Store.write in batches of ${batchSize.toLocaleString('en')}.`),
);
let local;
let chBase = opt.clickhouse;
const results = {};
const verified = {};
try {
  if (engines.includes('clickhouse') && !chBase) {
    local = await startLocalClickHouse({ maxMemoryUsage: Math.floor(totalmem() / 2) });
    chBase = local.url;
    serverPid = findServerPid(local.dir);
  }
  let chVersion = null;
  if (chBase) {
    const u = new URL(chBase);
    chVersion = (await (await fetch(`http://${u.host}/?query=SELECT%20version()`)).text()).trim();
  }
  for (const engine of engines) {
    console.log(`${engine}${engine === 'clickhouse' ? ` ${chVersion}` : ''}:`);
    if (bulk) {
      // A window across the last day boundary below the largest size: the generator's arithmetic
      // at its largest values, and a day's roll-up units split between two loads.
      const rows = 150_000;
      const boundary = rowsPerDay * Math.floor((sizes[sizes.length - 1] - 1) / rowsPerDay);
      const first = Math.max(0, boundary - rows / 2);
      verified[engine] = { first, rows, ...(await verifyBulkLoad(engine, chBase, first, rows)) };
      console.log(
        `  bulk load verified on records ${first.toLocaleString('en')}–${(first + rows - 1).toLocaleString('en')}: identical to Store.write's (${JSON.stringify(verified[engine])}) and every grouping answers the same`,
      );
    }
    results[engine] = await runEngine(engine, chBase);
  }

  console.log(
    '\nSide by side (Store.write rows/s at that size | report daily ms | report model ms | disk GB):',
  );
  for (const size of sizes) {
    const cells = engines.map((e) => {
      const p = results[e].find((x) => x.rows === size);
      const q = Object.values(p.queries);
      return `${e} ${p.ingestRowsPerSecond.toLocaleString('en')} | ${q[0].medianMs} | ${q[1].medianMs} | ${(p.diskBytes / 1e9).toFixed(2)}`;
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
            .join(', ') +
          `, disk ×${(b.diskBytes / a.diskBytes).toFixed(1)}`,
      );
    }
  }
  const run = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryBytes: totalmem(), load: loadavg() },
    clickhouse: chVersion,
    options: { sizes, engines, batchSize, measureRows, bulk, engineers, callsPerDay },
    verified,
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
