#!/usr/bin/env node
// `GET /api/v1/budget-check` under load (issue #7): a real server on a real DuckDB ledger of a
// 5,000-engineer organisation with an annual org budget, a monthly budget per team (20), a tool
// budget and a per-person allowance; clients call the check for random people with keep-alive
// connections, as a gateway would before every model request. Prints calls/s and latency
// percentiles, and the cost of the in-memory check alone. Runs after `npm run build`.
//
//   node bench/budget-check.mjs [--engineers 5000] [--seconds 10] [--concurrency 32]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const DIST = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist');
const load = (p) => import(pathToFileURL(join(DIST, p)).href);
const { scenario } = await load('synthetic/budgets/scenarios.js');
const { dayRecords, rampPeople } = await load('synthetic/budgets/ramp-org.js');
const { createPeopleDirectory } = await load('ledger/people/directory.js');
const { openDuckDbStore } = await load('ledger/store/duckdb/index.js');
const { createPriceBook } = await load('ledger/pricing/index.js');
const { startServer } = await load('server/serve.js');
const { generateToken, hashToken } = await load('server/auth/tokens.js');
const { parseBudget } = await load('analyses/budgets/index.js');
const { datesBetween } = await load('analyses/budgets/calendar.js');

const { values: opt } = parseArgs({
  options: {
    engineers: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
  },
});
const engineers = Number(opt.engineers);
const s = scenario('uber', 1, engineers);
const { people, teams } = rampPeople(s);
const directory = createPeopleDirectory(people, teams);
const dir = mkdtempSync(join(tmpdir(), 'ty-bench-check-'));
const store = await openDuckDbStore({ path: join(dir, 'ledger.duckdb') });

// Two weeks of usage up to "now" (the clock is pinned so the periods hold this data).
const now = Date.parse('2026-01-14T18:00:00Z');
let records = 0;
for (const date of datesBetween('2026-01-01', '2026-01-15')) {
  const batch = dayRecords(s, date);
  records += batch.length;
  await store.write({ usage: batch, activity: [], checkpoints: [] });
}

const budgets = [
  parseBudget({ id: 'org-annual', scope: { kind: 'org' }, period: 'year', amount: 40_000_000 }),
  parseBudget({
    id: 'claude-code',
    scope: { kind: 'tool', id: 'claude-code' },
    period: 'month',
    amount: 3_000_000,
  }),
  parseBudget({
    id: 'each',
    scope: { kind: 'org' },
    period: 'month',
    amount: 400,
    perPerson: true,
    hard: true,
  }),
  ...teams.map((t) =>
    parseBudget({ id: t.id, scope: { kind: 'team', id: t.id }, period: 'month', amount: 90_000, hard: true }),
  ),
];
const secret = generateToken();
const server = await startServer({
  store,
  directory: () => directory,
  priceBook: createPriceBook(undefined),
  budgets,
  now: () => now,
  settings: {
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'gateway', role: 'ingest', hash: hashToken(secret) }],
    tokensFile: join(dir, 'tokens.json'),
    minGroupSize: 5,
    maxBodyBytes: 16 * 1024 * 1024,
    maxQueuedRecords: 200_000,
    maxStaleSeconds: 60,
    auditLog: join(dir, 'audit.jsonl'),
    githubSecret: null,
    genericSecret: null,
  },
});
const startedRefresh = performance.now();
await server.context.budgets.ready();
const refreshMs = performance.now() - startedRefresh;

// The check alone, in memory.
const ids = people.map((p) => p.id);
const inMemory = 200_000;
const t = performance.now();
for (let i = 0; i < inMemory; i++)
  server.context.budgets.check({ person: ids[i % ids.length], tool: 'claude-code' });
const perCheckUs = ((performance.now() - t) * 1000) / inMemory;

// Over HTTP, keep-alive, `concurrency` clients for `seconds`, in a worker thread so the load
// generator does not share the server's event loop.
const CLIENT = `
  const { parentPort, workerData: w } = require('node:worker_threads');
  const latencies = [];
  const decisions = { allow: 0, warn: 0, deny: 0 };
  let failures = 0;
  const deadline = performance.now() + w.seconds * 1000;
  async function client(k) {
    let i = k;
    while (performance.now() < deadline) {
      const person = w.ids[(i * 7919) % w.ids.length];
      i += w.concurrency;
      const start = performance.now();
      const res = await fetch(w.url + (w.path === 'check' ? '/api/v1/budget-check?person=' + encodeURIComponent(person) + '&tool=claude-code' : '/api/v1/me'), {
        headers: { authorization: 'Bearer ' + w.secret },
      });
      const body = await res.json();
      latencies.push(performance.now() - start);
      if (res.status !== 200) failures++;
      else if (body.decision) decisions[body.decision]++;
    }
  }
  const started = performance.now();
  Promise.all(Array.from({ length: w.concurrency }, (_, k) => client(k))).then(() =>
    parentPort.postMessage({ latencies, decisions, failures, seconds: (performance.now() - started) / 1000 }),
  );
`;
function hammer(path) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, {
      eval: true,
      workerData: {
        url: server.url,
        secret,
        ids,
        path,
        seconds: Number(opt.seconds),
        concurrency: Number(opt.concurrency),
      },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
// The same load on `/api/v1/me` (authentication and routing only), to tell the check's cost from the server's.
const baseline = await hammer('me');
const { latencies, decisions, failures, seconds } = await hammer('check');
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);

console.log(
  `budget-check: ${engineers.toLocaleString('en-US')} engineers, ${budgets.length} budgets (org, tool, per-person allowance, ${teams.length} teams), ${records.toLocaleString('en-US')} usage records`,
);
console.log(`  first refresh of every budget (spend + forecast): ${(refreshMs / 1000).toFixed(2)} s`);
console.log(
  `  in memory: ${perCheckUs.toFixed(2)} µs per check (${Math.round(1e6 / perCheckUs).toLocaleString('en-US')} checks/s)`,
);
console.log(
  `  HTTP, ${opt.concurrency} keep-alive clients, ${seconds.toFixed(1)} s: ${Math.round(latencies.length / seconds).toLocaleString('en-US')} calls/s; ` +
    `latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies.at(-1).toFixed(2)} ms; failures ${failures}`,
);
console.log(
  `  baseline, GET /api/v1/me under the same load: ${Math.round(baseline.latencies.length / baseline.seconds).toLocaleString('en-US')} calls/s`,
);
console.log(`  decisions: allow ${decisions.allow}, warn ${decisions.warn}, deny ${decisions.deny}`);
await server.close();
rmSync(dir, { recursive: true, force: true });
if (failures > 0) process.exit(1);
