#!/usr/bin/env node
// The web dashboard at organisation scale. Runs after `npm run build` (uses bin/ and dist/web).
//
//   npm run bench -- dashboard [--engineers 5000] [--days 14] [--teams 20] [--dir <path>] [--rebuild]
//
// 1. demo    builds the demo organisation with the real CLI (`tokenyield demo --json`), or reuses
//            the one already built in --dir with the same options (see `demo.json` there).
//            The full demo is 120 days; at 5,000 engineers that is ~40 million model calls, which
//            takes half an hour or more to write on a 2-core machine, so the default is 14 days.
// 2. serve   `tokenyield serve --config <demo>/config.json` on a free port, with an admin token
//            made for the run in the demo's own tokens file.
// 3. browse  Debian's Chromium via playwright-core, signed in with that token, opens the overview
//            twice (cold: the server builds its value model on the first request; warm: cached)
//            and then the teams, tools, ROI (cold, warm) and board pages. For each: navigation start → every chart
//            drawn, the server's CPU time meanwhile, and the API responses the page requested (the largest is reported).
// Prints the numbers (no assertions on time; the machine may be shared) with the server's peak RSS,
// and appends the run to bench/out/dashboard-<date>.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds, peakRssMiB } from './proc.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, '..');
const BIN = join(REPO, 'bin', 'tokenyield.js');
const OUT = join(BENCH, 'out');
const CHROMIUM = '/usr/bin/chromium';
const FULL_DAYS = 120;

const { values: opt } = parseArgs({
  options: {
    engineers: { type: 'string', default: '5000' },
    days: { type: 'string', default: '14' },
    teams: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string' },
    rebuild: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(
    'usage: node bench/dashboard.mjs [--engineers 5000] [--days 14] [--teams 20] [--seed 1] [--dir <path>] [--rebuild]',
  );
  process.exit(0);
}
if (!existsSync(join(REPO, 'dist', 'web', 'index.html'))) {
  console.error('dist/web is missing: run `npm run build` first.');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing (apt-get install chromium).`);
  process.exit(2);
}
const { chromium } = await import('playwright-core');

const engineers = Number(opt.engineers);
const days = Number(opt.days);
const teams = Number(opt.teams);
const dir = resolve(
  opt.dir ?? join(tmpdir(), `tokenyield-bench-dashboard-${engineers}x${days}-seed${opt.seed}`),
);
// Only what the CLI needs: no TOKENYIELD_* of the caller's shell may point it elsewhere.
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TZ: 'UTC' };
const cli = (args) =>
  spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
const MiB = 1024 * 1024;

// ---- 1. demo -------------------------------------------------------------------------------------

function builtWithSameOptions() {
  try {
    const built = JSON.parse(readFileSync(join(dir, 'demo', 'demo.json'), 'utf8'));
    const o = built.options;
    return o.engineers === engineers && o.days === days && o.teams === teams && o.seed === Number(opt.seed)
      ? built
      : null;
  } catch {
    return null;
  }
}

let demo = opt.rebuild ? null : builtWithSameOptions();
let buildSeconds = null;
if (demo) {
  console.log(
    `demo: reusing ${demo.dir} (built in ${demo.seconds.toFixed(0)} s; --rebuild to build it again)`,
  );
} else {
  mkdirSync(dir, { recursive: true });
  console.log(
    `demo: building ${engineers} engineers × ${days} days in ${teams} teams into ${join(dir, 'demo')}…`,
  );
  const started = performance.now();
  const r = cli([
    'demo',
    '--dir',
    join(dir, 'demo'),
    '--engineers',
    String(engineers),
    '--teams',
    String(teams),
    '--days',
    String(days),
    '--seed',
    opt.seed,
    '--json',
  ]);
  if (r.status !== 0) {
    console.error(`tokenyield demo failed:\n${r.stderr}`);
    process.exit(1);
  }
  demo = JSON.parse(r.stdout);
  buildSeconds = (performance.now() - started) / 1000;
}
const callsPerSecond = demo.usageRecords / demo.seconds;
console.log(
  `demo: ${demo.people} engineers, ${demo.teams} teams, ${days} days: ${demo.usageRecords.toLocaleString('en-US')} model calls, ` +
    `${demo.outcomeRecords.toLocaleString('en-US')} outcome records; built in ${demo.seconds.toFixed(0)} s`,
);
if (days < FULL_DAYS)
  console.log(
    `demo: ${days} days, not the full ${FULL_DAYS}: at this machine's ${Math.round(callsPerSecond).toLocaleString('en-US')} ` +
      `calls/s the full demo would take ~${Math.round((demo.seconds * FULL_DAYS) / days / 60)} min to build ` +
      `(pass --days ${FULL_DAYS} to measure it)`,
  );

// ---- 2. serve ------------------------------------------------------------------------------------

const tokenName = `bench-${process.pid}-${Date.now()}`;
const made = cli([
  'token',
  'create',
  '--config',
  demo.config,
  '--role',
  'admin',
  '--name',
  tokenName,
  '--json',
]);
if (made.status !== 0) {
  console.error(`token create failed:\n${made.stderr}`);
  process.exit(1);
}
const token = JSON.parse(made.stdout).token;

const server = spawn(process.execPath, [BIN, 'serve', '--config', demo.config, '--port', '0'], {
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverOut = '';
server.stderr.setEncoding('utf8').on('data', (d) => {
  serverOut += d;
});
const url = await new Promise((resolveUrl, reject) => {
  let out = '';
  server.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
    const m = /on (http:\/\/[^\s]+)/.exec(out);
    if (m) resolveUrl(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}\n${serverOut}`)));
});
console.log(`serve: ${url} (pid ${server.pid})`);

/** CPU time (user + system) the server has used so far, in ms: wall times swing with the machine's load. */
function serverCpuMs() {
  const seconds = cpuSeconds(server.pid);
  return seconds === null ? null : Math.round(seconds * 1000);
}

// ---- 3. browse -----------------------------------------------------------------------------------

/** Runs in the page: how many chart canvases have something drawn on them. */
function drawnCharts() {
  let drawn = 0;
  for (const canvas of document.querySelectorAll('.chart canvas')) {
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
    if (ink > 500) drawn++;
  }
  return drawn;
}

// Whatever happens below, the server this run started is stopped and its token revoked.
async function stopServer() {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
}
process.on('uncaughtException', async (err) => {
  console.error(err);
  await stopServer();
  cli(['token', 'revoke', '--config', demo.config, tokenName]);
  process.exit(1);
});

const loadAtStart = loadavg();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addInitScript(`sessionStorage.setItem('tokenyield.token', ${JSON.stringify(token)})`);
const page = await context.newPage();
page.setDefaultTimeout(30 * 60_000);

let responses = [];
page.on('response', async (res) => {
  const u = new URL(res.url());
  if (!u.pathname.startsWith('/api/')) return;
  const timing = res.request().timing();
  const entry = {
    path: u.pathname + u.search,
    status: res.status(),
    bytes: null,
    // Request sent → first byte of the answer: the server's time, about.
    ms: Math.round(timing.responseStart - timing.requestStart),
  };
  responses.push(entry);
  try {
    entry.bytes = (await res.body()).length;
  } catch {
    // The page navigated away before the body was read; the size stays unknown.
  }
});

/** Opens `path`, waits for `charts` drawn charts (or `selector`), and reports what it took. */
async function visit(label, path, { charts, selector }) {
  responses = [];
  const cpuBefore = serverCpuMs();
  await page.goto(`${url}${path}`);
  // Polled from here: waitForFunction would compile its predicate in the page, which the
  // dashboard's Content-Security-Policy (no eval) forbids.
  while (charts > 0 && (await page.evaluate(drawnCharts)) < charts) await page.waitForTimeout(50);
  if (selector) await page.locator(selector).first().waitFor();
  const ms = await page.evaluate('performance.now()');
  const cpuAfter = serverCpuMs();
  // Let the bodies of the responses just received be read.
  await page.waitForTimeout(200);
  const largest = responses.reduce((a, b) => ((b.bytes ?? 0) > (a?.bytes ?? -1) ? b : a), null);
  const slowest = responses.reduce((a, b) => (b.ms > (a?.ms ?? -1) ? b : a), null);
  const row = {
    page: label,
    path,
    firstRenderMs: Math.round(ms),
    serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    apiRequests: responses.length,
    apiBytes: responses.reduce((s, r) => s + (r.bytes ?? 0), 0),
    largest,
    slowest,
  };
  console.log(
    `${label.padEnd(16)} ${String(row.firstRenderMs).padStart(7)} ms to ${charts > 0 ? `${charts} charts drawn` : 'table shown'} ` +
      `(server CPU ${row.serverCpuMs ?? '?'} ms); ` +
      `${row.apiRequests} API requests, ${(row.apiBytes / 1024).toFixed(1)} KiB; largest ${((largest?.bytes ?? 0) / 1024).toFixed(1)} KiB ${largest?.path ?? ''}; ` +
      `slowest ${slowest?.ms ?? '?'} ms ${slowest?.path ?? ''}`,
  );
  return row;
}

console.log('');
const pages = [];
pages.push(await visit('overview (cold)', '/', { charts: 4 }));
pages.push(await visit('overview (warm)', '/', { charts: 4 }));
pages.push(
  await visit('teams', '/teams', {
    charts: 0,
    // The spend column is filled once the value metrics arrive.
    selector: 'table[data-table="teams-list"] tbody tr:first-child td:nth-child(5):not([data-value=""])',
  }),
);
pages.push(await visit('tools', '/tools', { charts: 2 }));
// ROI before the board: the first of them to open computes the integrity flags of the periods
// the range overlaps (kept per ledger state), which the other then reads.
pages.push(await visit('roi (cold)', '/roi', { charts: 3 }));
pages.push(await visit('roi (warm)', '/roi', { charts: 3 }));
pages.push(await visit('board', '/board', { charts: 1 }));
await browser.close();
// The server's CPU time over every page above (before the unscoped value read below).
const serverCpuTotal = serverCpuMs();

// What the dashboard no longer asks for: every person's summary.
const fullValue = await fetch(`${url}/api/v1/value`, { headers: { authorization: `Bearer ${token}` } });
const fullValueBytes = (await fullValue.arrayBuffer()).byteLength;
const peakRss = peakRssMiB(server.pid);

await stopServer();
cli(['token', 'revoke', '--config', demo.config, tokenName]);

const largest = pages
  .map((p) => p.largest)
  .reduce((a, b) => ((b?.bytes ?? 0) > (a?.bytes ?? -1) ? b : a), null);
console.log(
  `\nLargest API response the dashboard requested: ${((largest?.bytes ?? 0) / 1024).toFixed(1)} KiB (${largest?.path}).` +
    `\nFor comparison, GET /api/v1/value with every person (not requested by the dashboard): ${(fullValueBytes / MiB).toFixed(2)} MiB.` +
    `\nServer peak RSS: ${peakRss ?? 'unknown'} MiB; server CPU time in all: ${serverCpuTotal ?? '?'} ms.` +
    `\nMachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load at start ${loadAtStart
      .map((l) => l.toFixed(2))
      .join(' ')}, at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${Math.round(totalmem() / MiB / 1024)} GiB.`,
);

const result = {
  at: new Date().toISOString(),
  loadAtStart,
  engineers,
  teams,
  days,
  usageRecords: demo.usageRecords,
  demoBuildSeconds: buildSeconds ?? demo.seconds,
  demoReused: buildSeconds === null,
  pages,
  largestApiResponse: largest,
  fullValueBytes,
  serverPeakRssMiB: peakRss,
  serverCpuMs: serverCpuTotal,
  machine: { cores: cpus().length, model: cpus()[0]?.model ?? null, load: loadavg() },
};
mkdirSync(OUT, { recursive: true });
const file = join(OUT, `dashboard-${result.at.slice(0, 10)}.json`);
const log = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
log.push(result);
writeFileSync(file, `${JSON.stringify(log, null, 2)}\n`);
console.log(`Appended to ${file}`);
