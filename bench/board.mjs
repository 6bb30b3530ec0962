#!/usr/bin/env node
// The value model and the leaderboard at organisation scale: the demo organisation (default 5,000
// engineers × 365 days) built from session summaries, not per-call records, and without the
// store (DuckDB's part is measured elsewhere). Runs after `npm run build`: imports from dist/.
//
//   node bench/board.mjs [--engineers 5000] [--days 365] [--teams 20] [--seed 1]
//
// Prints wall and CPU time per step (the machine may be shared: CPU time is the steadier number),
// heap after each step and peak RSS; appends the run to bench/out/board-<YYYY-MM-DD>.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { rerunWithBigHeap } from './big-heap.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, '..');
const OUT = join(BENCH, 'out');
const DIST = join(REPO, 'dist');

const { values: opt } = parseArgs({
  options: {
    engineers: { type: 'string', default: '5000' },
    days: { type: 'string', default: '365' },
    teams: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log('usage: node bench/board.mjs [--engineers 5000] [--days 365] [--teams 20] [--seed 1]');
  process.exit(0);
}
rerunWithBigHeap(import.meta.url);
if (!existsSync(join(DIST, 'analyses', 'board', 'index.js'))) {
  console.error('dist/ is missing or stale: run `npm run build` first.');
  process.exit(2);
}

const { generateDemoOrg } = await import(join(DIST, 'synthetic', 'demo-org', 'index.js'));
const { createPeopleDirectory } = await import(join(DIST, 'ledger', 'people', 'directory.js'));
const { buildValueModel, valueSummaries } = await import(join(DIST, 'analyses', 'value', 'index.js'));
const { board, explain, LENSES } = await import(join(DIST, 'analyses', 'board', 'index.js'));

const MiB = 1024 * 1024;
const steps = [];
let peakHeapUsed = 0;

/**
 * Runs one step, timing wall and CPU (all threads: GC helpers count too). Then, outside the
 * timing: the heap V8 had committed by the end of the step (its high-water mark, near enough:
 * V8 rarely gives memory back mid-run) and the heap still live after a full GC (what the step's
 * results and everything before them retain).
 */
function step(name, fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const before = v8.getHeapStatistics();
  peakHeapUsed = Math.max(peakHeapUsed, before.used_heap_size);
  globalThis.gc?.();
  const after = v8.getHeapStatistics();
  const row = {
    step: name,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    heapCommittedMiB: Math.round(before.total_heap_size / MiB),
    heapLiveMiB: Math.round(after.used_heap_size / MiB),
  };
  steps.push(row);
  process.stderr.write(`[board-bench] ${name}: ${(wallMs / 1000).toFixed(1)} s\n`);
  return value;
}

const options = {
  seed: Number(opt.seed),
  engineers: Number(opt.engineers),
  teams: Number(opt.teams),
  days: Number(opt.days),
};
const org = step('demo org: people and plan', () => generateDemoOrg(options));
const work = step('demo org: work records', () => org.work);
const sessions = step('demo org: session summaries', () => org.sessionSummaries());
const directory = step('people directory', () => createPeopleDirectory(org.people, org.teams));
const model = step('buildValueModel', () =>
  buildValueModel(
    {
      commits: work.commits,
      pullRequests: work.pullRequests,
      deployments: work.deployments,
      incidents: work.incidents,
      sessions,
    },
    directory,
  ),
);
const boards = {};
for (const lens of LENSES) boards[lens] = step(`board ${lens} (teams)`, () => board(model, { lens }));
const personBoard = step('board value (people)', () =>
  board(model, { lens: 'value', level: 'person', allowIndividuals: true }),
);
const summaries = step('valueSummaries', () => valueSummaries(model));
// A heavy shipper has the most changes and sessions to explain.
const who = org.people.find((p) => org.truth.behaviours[p.id] === 'heavy_shipper') ?? org.people[0];
const explanation = step('explain (one person)', () => explain(model, who.id));

const usage = process.resourceUsage();
const counts = {
  people: org.people.length,
  teams: org.teams.length,
  sessions: sessions.length,
  commits: work.commits.length,
  pullRequests: work.pullRequests.length,
  deployments: work.deployments.length,
  incidents: work.incidents.length,
  changes: model.facts.length,
  sessionsLinked: model.links.stats.sessionsLinked,
  teamEntries: boards.value.entries.length,
  personEntries: personBoard.entries.length,
  personSummaries: summaries.people.length,
  explainedChanges: explanation.changes.length,
  explainedSessions: explanation.sessions.length,
};
const result = {
  at: new Date().toISOString(),
  options,
  node: process.version,
  cpus: cpus().length,
  loadAvg: loadavg().map((x) => Math.round(x * 100) / 100),
  totalMemMiB: Math.round(totalmem() / MiB),
  heapLimitMiB: Math.round(v8.getHeapStatistics().heap_size_limit / MiB),
  counts,
  steps,
  peakRssMiB: Math.round(usage.maxRSS / 1024),
  peakHeapUsedMiB: Math.round(peakHeapUsed / MiB),
  totalCpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
  modelLiveMiB:
    steps.find((r) => r.step === 'buildValueModel').heapLiveMiB -
    steps.find((r) => r.step === 'people directory').heapLiveMiB,
};

const pad = (s, n) => String(s).padEnd(n);
const num = (x, n) => String(x).padStart(n);
console.log(
  `\ndemo org: ${options.engineers} engineers, ${options.teams} teams, ${options.days} days, seed ${options.seed}`,
);
console.log(
  `${counts.sessions} sessions, ${counts.commits} commits, ${counts.pullRequests} PRs, ${counts.deployments} deployments, ${counts.incidents} incidents, ${counts.changes} changes`,
);
console.log(`load average ${result.loadAvg.join(' ')} on ${result.cpus} CPUs\n`);
console.log(
  `${pad('step', 30)}${num('wall s', 9)}${num('cpu s', 9)}${num('heap committed', 16)}${num('live after', 12)}`,
);
for (const r of steps) {
  console.log(
    `${pad(r.step, 30)}${num((r.wallMs / 1000).toFixed(2), 9)}${num((r.cpuMs / 1000).toFixed(2), 9)}${num(r.heapCommittedMiB, 16)}${num(r.heapLiveMiB, 12)}`,
  );
}
console.log(
  `\nheap MiB. Model retains ${result.modelLiveMiB} MiB beyond its inputs. Peak RSS ${result.peakRssMiB} MiB, peak heap used ${result.peakHeapUsedMiB} MiB (sampled after steps), heap limit ${result.heapLimitMiB} MiB; process CPU ${(result.totalCpuMs / 1000).toFixed(1)} s`,
);

mkdirSync(OUT, { recursive: true });
const file = join(OUT, `board-${result.at.slice(0, 10)}.json`);
const log = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { runs: [] };
log.runs.push(result);
writeFileSync(file, `${JSON.stringify(log, null, 2)}\n`);
console.log(`appended to ${file}`);
