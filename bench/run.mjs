#!/usr/bin/env node
// tokenyield vs ccusage 20.0.24 on a generated Claude Code history. See bench/README.md.
// Runs after `npm run build`: the generator comes from dist/, our CLI is bin/tokenyield.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, '..');
const PEER_VERSION = '20.0.24';
const PEER_PREFIX = join(BENCH, '.peer');
const OUT = join(BENCH, 'out');
const MEASURE = join(BENCH, 'measure.py');
const TOKEN_FIELDS = [
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['cache_write_tokens', 'cacheCreationTokens'],
  ['cache_read_tokens', 'cacheReadTokens'],
  ['total_tokens', 'totalTokens'],
];
const COST_TOLERANCE = 0.005;
const TARGETS = { coldRatio: 0.7, warmRatio: 0.1, peakMiB: 300, hugePeakMiB: 300 };

const { values: opt } = parseArgs({
  options: {
    bytes: { type: 'string', default: '2g' },
    files: { type: 'string', default: '8000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    'huge-bytes': { type: 'string', default: '1g' },
    'skip-huge': { type: 'boolean', default: false },
    'step-timeout': { type: 'string', default: '1800' },
    'only-peer': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: npm run bench -- [--bytes 2g] [--files 8000] [--seed 1] [--runs 3]
                       [--huge-bytes 1g] [--skip-huge] [--only-peer] [--step-timeout 1800]`);
  process.exit(0);
}

async function loadGenerator() {
  const dist = join(REPO, 'dist', 'synthetic');
  if (!existsSync(join(dist, 'claude-history.js'))) {
    console.error('dist/synthetic is missing: run `npm run build` first.');
    process.exit(2);
  }
  const history = await import(join(dist, 'claude-history.js'));
  const size = await import(join(dist, 'size.js'));
  const peer = await import(join(dist, 'peer.js'));
  return { ...history, ...size, ...peer };
}

const gen = await loadGenerator();
const seed = Number(opt.seed);
const targetBytes = gen.parseSize(opt.bytes);
const files = Number(opt.files);
const runs = Math.max(1, Number(opt.runs));
const hugeBytes = gen.parseSize(opt['huge-bytes']);
const stepTimeout = Number(opt['step-timeout']);

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** ccusage is installed privately under bench/.peer, once, by npm itself. */
function ensurePeer() {
  const installed = join(PEER_PREFIX, 'node_modules', 'ccusage', 'package.json');
  const version = existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')).version : null;
  if (version !== PEER_VERSION || gen.ccusageUnder(PEER_PREFIX) === null) {
    log(`installing ccusage@${PEER_VERSION} into ${PEER_PREFIX}`);
    mkdirSync(PEER_PREFIX, { recursive: true });
    const r = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', PEER_PREFIX, `ccusage@${PEER_VERSION}`],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`npm install ccusage@${PEER_VERSION} failed (exit ${r.status})`);
  }
  const bin = gen.ccusageUnder(PEER_PREFIX);
  if (bin === null) throw new Error(`ccusage ${PEER_VERSION} not found under ${PEER_PREFIX} after install`);
  return bin;
}

function sizeLabel(bytes) {
  for (const [unit, n] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ]) {
    if (bytes % n === 0) return `${bytes / n}${unit}`;
  }
  return String(bytes);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The generated history is reused across runs; a truth.json written last marks it complete. */
function dataset() {
  const root = join(OUT, `claude-v${gen.GENERATOR_VERSION}-s${seed}-${sizeLabel(targetBytes)}-${files}f`);
  const truthPath = join(root, 'truth.json');
  if (existsSync(truthPath)) {
    const t = readJson(truthPath);
    if (t.generator?.version === gen.GENERATOR_VERSION) {
      log(`reusing ${root} (${gen.formatSize(t.bytes)}, ${t.files} files, ${t.appends ?? 0} appends)`);
      return { root, generated: null };
    }
  }
  rmSync(root, { recursive: true, force: true });
  log(`generating ${sizeLabel(targetBytes)} / ${files} files into ${root} …`);
  const r = gen.generateClaudeHistory(root, { seed, targetBytes, files });
  const seconds = r.ms / 1000;
  log(
    `generated ${gen.formatSize(r.truth.bytes)} in ${seconds.toFixed(1)} s (${(r.truth.bytes / 1024 ** 2 / seconds).toFixed(0)} MiB/s)`,
  );
  globalThis.gc?.();
  // The bench process did nothing before generating, so its peak RSS is the generator's.
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  log(`generator peak RSS ${peakMiB.toFixed(0)} MiB`);
  return { root, generated: { seconds, bytes: r.truth.bytes, files: r.truth.files, peakMiB } };
}

function hugeDataset() {
  const root = join(OUT, `huge-v${gen.GENERATOR_VERSION}-s${seed}-${sizeLabel(hugeBytes)}`);
  if (existsSync(join(root, 'truth.json'))) {
    log(`reusing ${root}`);
    return { root, generated: null };
  }
  rmSync(root, { recursive: true, force: true });
  const dir = join(root, 'projects', '-home-dev-monorepo');
  mkdirSync(dir, { recursive: true });
  log(`writing one ${sizeLabel(hugeBytes)} transcript into ${dir} …`);
  const t0 = performance.now();
  const truth = gen.writeHugeTranscript(join(dir, '6f1d2c3b-4a59-4e68-9d7c-8b9a0f1e2d3c.jsonl'), hugeBytes, {
    seed,
  });
  gen.writeTruth(root, truth);
  const seconds = (performance.now() - t0) / 1000;
  log(`wrote ${gen.formatSize(truth.bytes)} in ${seconds.toFixed(1)} s`);
  globalThis.gc?.();
  return { root, generated: { seconds, bytes: truth.bytes } };
}

/** Runs a command under measure.py with only `root` visible as Claude Code data. */
function measured(label, command, args, root, home) {
  const metrics = join(home, `..`, `metrics-${process.pid}.json`);
  rmSync(metrics, { force: true });
  const r = spawnSync(
    'python3',
    [MEASURE, metrics, '--timeout', String(stepTimeout), '--', command, ...args],
    {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: home, CLAUDE_CONFIG_DIR: root, TZ: 'UTC', NO_COLOR: '1' },
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  const m = existsSync(metrics)
    ? readJson(metrics)
    : { wall_ms: null, max_rss_kib: null, exit_code: r.status };
  let report = null;
  let error = null;
  if (m.timed_out === true) {
    error = `timed out after ${stepTimeout} s`;
  } else if (m.exit_code !== 0) {
    error = `exit ${m.exit_code}: ${(r.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`;
  } else {
    try {
      report = JSON.parse(r.stdout);
    } catch {
      error = `stdout is not JSON: ${(r.stdout ?? '').slice(0, 200)}`;
    }
  }
  const peakMiB = m.max_rss_kib === null ? null : m.max_rss_kib / 1024;
  // CPU time (user + system, all threads): on a shared machine the steadier measure of work done.
  const cpuSeconds = typeof m.user_s === 'number' ? m.user_s + m.sys_s : null;
  log(
    `${label}: ${m.wall_ms === null ? '?' : (m.wall_ms / 1000).toFixed(2)} s, CPU ${cpuSeconds === null ? '?' : cpuSeconds.toFixed(2)} s, peak ${peakMiB === null ? '?' : peakMiB.toFixed(0)} MiB${error ? `, ERROR ${error}` : ''}`,
  );
  return { seconds: m.wall_ms === null ? null : m.wall_ms / 1000, cpuSeconds, peakMiB, report, error };
}

function median(xs) {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function ccusageRun(bin, label, root, home) {
  return measured(label, bin, ['daily', '--json', '--offline', '--timezone', 'UTC'], root, home);
}

function oursRun(label, root, home, db) {
  return measured(
    label,
    process.execPath,
    [join(REPO, 'bin', 'tokenyield.js'), 'report', 'daily', '--json', '--db', db],
    root,
    home,
  );
}

/** Totals under our contract's names, from whichever report shape. */
function ourTotals(report) {
  const t = report?.totals;
  if (t === undefined) return null;
  return Object.fromEntries([...TOKEN_FIELDS.map(([ours]) => [ours, t[ours]]), ['cost_usd', t.cost_usd]]);
}

function peerTotals(report) {
  const t = report?.totals;
  if (t === undefined) return null;
  return Object.fromEntries([
    ...TOKEN_FIELDS.map(([ours, peer]) => [ours, t[peer]]),
    ['cost_usd', t.totalCost],
  ]);
}

function truthTotals(truth) {
  return Object.fromEntries([
    ...TOKEN_FIELDS.map(([ours]) => [ours, truth.totals[ours]]),
    ['cost_usd', truth.totals.cost_usd],
  ]);
}

/** Tokens equal exactly, cost within 0.5 %. */
function compareTotals(name, a, b) {
  if (a === null || b === null) return { name, pass: false, detail: 'missing report' };
  const diffs = [];
  for (const [field] of TOKEN_FIELDS)
    if (a[field] !== b[field]) diffs.push(`${field} ${a[field]} ≠ ${b[field]}`);
  const costRel = b.cost_usd
    ? Math.abs(a.cost_usd - b.cost_usd) / b.cost_usd
    : a.cost_usd === b.cost_usd
      ? 0
      : 1;
  if (!(costRel <= COST_TOLERANCE))
    diffs.push(`cost ${a.cost_usd} vs ${b.cost_usd} (${(costRel * 100).toFixed(3)} %)`);
  return {
    name,
    pass: diffs.length === 0,
    detail: diffs.length === 0 ? `tokens equal, cost Δ ${(costRel * 100).toFixed(4)} %` : diffs.join('; '),
  };
}

function fmt(x, digits = 2) {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '),
    )
    .join('\n');
}

// ---------------------------------------------------------------------------------------------

const ccusage = ensurePeer();
log(`ccusage: ${ccusage}`);
mkdirSync(OUT, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'tokenyield-bench-'));
const home = join(scratch, 'home');
mkdirSync(home);
const results = {
  date: new Date().toISOString(),
  machine: {
    // 1-, 5- and 15-minute load averages when the run started: other work on the machine slows wall times.
    loadAverage: loadavg(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGiB: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  },
  options: {
    bytes: targetBytes,
    files,
    seed,
    runs,
    hugeBytes: opt['skip-huge'] ? null : hugeBytes,
    onlyPeer: opt['only-peer'],
    stepTimeout,
  },
  ccusage: { version: PEER_VERSION, binary: ccusage },
  steps: {},
  checks: [],
};

try {
  const ds = dataset();
  const root = ds.root;
  const truthBefore = readJson(join(root, 'truth.json'));
  results.dataset = {
    root,
    bytes: truthBefore.bytes,
    files: truthBefore.files,
    generated: ds.generated,
    stats: truthBefore.stats,
  };

  const peerRuns = [];
  for (let i = 0; i < runs; i++)
    peerRuns.push(ccusageRun(ccusage, `ccusage run ${i + 1}/${runs}`, root, home));
  const peerSeconds = median(peerRuns.map((r) => r.seconds));
  const peerCpu = median(peerRuns.map((r) => r.cpuSeconds));
  const peerPeak = median(peerRuns.map((r) => r.peakMiB));
  const peerReport = peerRuns.find((r) => r.report !== null)?.report ?? null;
  results.steps.ccusage = {
    seconds: peerSeconds,
    cpuSeconds: peerCpu,
    peakMiB: peerPeak,
    runs: peerRuns.map(({ seconds, cpuSeconds, peakMiB, error }) => ({
      seconds,
      cpuSeconds,
      peakMiB,
      error,
    })),
  };
  results.checks.push(compareTotals('ccusage = truth', peerTotals(peerReport), truthTotals(truthBefore)));

  let cold = null;
  let warm = null;
  let appended = null;
  let peerAfter = null;
  if (!opt['only-peer']) {
    const db = join(scratch, 'ledger.duckdb');
    cold = oursRun('ours cold', root, home, db);
    warm = oursRun('ours warm', root, home, db);
    const added = gen.appendToOneFile(root, seed);
    log(`appended ${added.calls} calls (${added.bytes} bytes) to ${added.file}`);
    appended = oursRun('ours after append', root, home, db);
    peerAfter = ccusageRun(ccusage, 'ccusage after append', root, home);
    const truthAfter = readJson(join(root, 'truth.json'));
    results.steps.cold = strip(cold);
    results.steps.warm = strip(warm);
    results.steps.append = {
      ...strip(appended),
      added: { file: added.file, calls: added.calls, bytes: added.bytes },
      ccusage: strip(peerAfter),
    };
    results.checks.push(
      check(
        'cold ≤ 0.7 × ccusage',
        [cold],
        ratio(cold.seconds, peerSeconds),
        (r) => r <= TARGETS.coldRatio,
        (r) => `ratio ${fmt(r, 3)}`,
      ),
      check(
        'warm ≤ 0.1 × ccusage',
        [warm],
        ratio(warm.seconds, peerSeconds),
        (r) => r <= TARGETS.warmRatio,
        (r) => `ratio ${fmt(r, 3)}`,
      ),
      check(
        'peak ≤ 300 MiB (cold, warm, append)',
        [cold, warm, appended],
        Math.max(...[cold, warm, appended].map((r) => r.peakMiB ?? Number.POSITIVE_INFINITY)),
        (p) => p <= TARGETS.peakMiB,
        (p) => `max ${fmt(p, 0)} MiB`,
      ),
      compareTotals('ours = ccusage (cold)', ourTotals(cold.report), peerTotals(peerReport)),
      compareTotals('ours = truth (cold)', ourTotals(cold.report), truthTotals(truthBefore)),
      compareTotals('ours = truth (warm)', ourTotals(warm.report), truthTotals(truthBefore)),
      compareTotals('ours = truth (after append)', ourTotals(appended.report), truthTotals(truthAfter)),
      compareTotals(
        'ours = ccusage (after append)',
        ourTotals(appended.report),
        peerTotals(peerAfter.report),
      ),
    );
    results.totals = {
      truth: truthTotals(truthBefore),
      ccusage: peerTotals(peerReport),
      ours: ourTotals(cold.report),
      truthAfterAppend: truthTotals(truthAfter),
      oursAfterAppend: ourTotals(appended.report),
    };
  } else {
    results.totals = { truth: truthTotals(truthBefore), ccusage: peerTotals(peerReport) };
  }

  let hugeOurs = null;
  let hugePeer = null;
  if (!opt['skip-huge']) {
    const h = hugeDataset();
    const hugeTruth = readJson(join(h.root, 'truth.json'));
    results.huge = { root: h.root, bytes: hugeTruth.bytes, generated: h.generated };
    hugePeer = ccusageRun(ccusage, 'ccusage on the huge transcript', h.root, home);
    results.huge.ccusage = strip(hugePeer);
    results.checks.push(
      compareTotals('ccusage = truth (huge)', peerTotals(hugePeer.report), truthTotals(hugeTruth)),
    );
    if (!opt['only-peer']) {
      hugeOurs = oursRun('ours on the huge transcript', h.root, home, join(scratch, 'huge.duckdb'));
      results.huge.ours = strip(hugeOurs);
      results.checks.push(
        check(
          'huge transcript peak ≤ 300 MiB',
          [hugeOurs],
          hugeOurs.peakMiB,
          (p) => p <= TARGETS.hugePeakMiB,
          (p) => `${fmt(p, 0)} MiB`,
        ),
        compareTotals('ours = truth (huge)', ourTotals(hugeOurs.report), truthTotals(hugeTruth)),
      );
    }
  }

  const rows = [
    [
      'step',
      'ours s',
      'ccusage s',
      'ours/ccusage',
      'ours CPU s',
      'ccusage CPU s',
      'CPU ratio',
      'ours peak MiB',
      'ccusage peak MiB',
    ],
  ];
  const row = (name, ours, peerS, peerM, peerC) => [
    name,
    fmt(ours?.seconds),
    fmt(peerS),
    fmt(ratio(ours?.seconds, peerS), 3),
    fmt(ours?.cpuSeconds),
    fmt(peerC),
    fmt(ratio(ours?.cpuSeconds, peerC), 3),
    fmt(ours?.peakMiB, 0),
    fmt(peerM, 0),
  ];
  rows.push(
    row(
      `cold (${gen.formatSize(truthBefore.bytes)}, ${truthBefore.files} files)`,
      cold,
      peerSeconds,
      peerPeak,
      peerCpu,
    ),
  );
  rows.push(row('warm re-run', warm, peerSeconds, peerPeak, peerCpu));
  rows.push(
    row(
      'after append',
      appended,
      peerAfter?.seconds ?? null,
      peerAfter?.peakMiB ?? null,
      peerAfter?.cpuSeconds ?? null,
    ),
  );
  if (results.huge !== undefined)
    rows.push(
      row(
        `one ${gen.formatSize(results.huge.bytes)} transcript`,
        hugeOurs,
        hugePeer?.seconds,
        hugePeer?.peakMiB,
        hugePeer?.cpuSeconds,
      ),
    );
  console.log(`\n${table(rows)}\n`);
  console.log(
    `load average at start ${results.machine.loadAverage.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (${cpus().length} cores)\n`,
  );

  const totalsRows = [['field', 'ours', 'ccusage', 'truth']];
  for (const [field] of [...TOKEN_FIELDS, ['cost_usd']]) {
    totalsRows.push([
      field,
      results.totals.ours?.[field] ?? '—',
      results.totals.ccusage?.[field] ?? '—',
      results.totals.truth[field] ?? '—',
    ]);
  }
  console.log(`${table(totalsRows)}\n`);
  for (const c of results.checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// One file per day; a day's runs accumulate in it rather than overwrite each other.
const resultsPath = join(OUT, `results-${results.date.slice(0, 10)}.json`);
let day = { runs: [] };
try {
  const prev = readJson(resultsPath);
  if (Array.isArray(prev.runs)) day = prev;
} catch {
  // First run of the day (or an unreadable file, which is replaced).
}
day.runs.push(results);
writeFileSync(resultsPath, `${JSON.stringify(day, null, 2)}\n`);
console.log(`\nresults: ${resultsPath}`);
process.exitCode = results.checks.every((c) => c.pass) ? 0 : 1;

function ratio(a, b) {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
}

/** A target check; a run that failed or timed out fails it, whatever it measured before dying. */
function check(name, measuredRuns, value, ok, describe) {
  const failed = measuredRuns.find((r) => r.error !== null);
  if (failed !== undefined) return { name, pass: false, detail: `run failed: ${failed.error}` };
  const pass = value !== null && value !== undefined && Number.isFinite(value) && ok(value);
  return { name, pass, detail: value === null || value === undefined ? 'not measured' : describe(value) };
}

function strip(r) {
  return r === null
    ? null
    : { seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakMiB: r.peakMiB, error: r.error };
}
