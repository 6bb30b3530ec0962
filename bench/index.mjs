#!/usr/bin/env node
// `npm run bench [part] [options]`: one entry for every benchmark, each measured against its peer.
//   ledger (default)  local usage ingest and reports vs ccusage 20.0.24      (bench/run.mjs, bench/README.md)
//   git               a 100,000-commit repository vs plain `git log`          (bench/git.mjs)
//   board             value model and leaderboard at 5,000 engineers × a year (bench/board.mjs)
//   server            OTLP ingest rate, latency and a kill -9 crash test      (bench/server.mjs)
//   dashboard         web dashboard at 5,000 engineers: first render, payloads (bench/dashboard.mjs)
//   integrity         integrity signals and flags at 5,000 engineers × a year (bench/integrity.mjs)
//   budget-check      GET /api/v1/budget-check at 5,000 engineers: calls/s, p99 (bench/budget-check.mjs)
//   store             the ledger on DuckDB and on ClickHouse: ingest rate, org report time  (bench/store.mjs)
//   all               each in turn, with its defaults
// Options after the part go to that benchmark, e.g. `npm run bench -- git --commits 20000`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const PARTS = {
  ledger: ['--expose-gc', 'run.mjs'],
  git: ['git.mjs'],
  board: ['board.mjs'],
  server: ['server.mjs'],
  dashboard: ['dashboard.mjs'],
  store: ['store.mjs'],
  integrity: ['integrity.mjs'],
  'budget-check': ['budget-check.mjs'],
};

const [first, ...rest] = process.argv.slice(2);
const named = first !== undefined && (first in PARTS || first === 'all');
const parts = !named ? ['ledger'] : first === 'all' ? Object.keys(PARTS) : [first];
const args = named ? rest : process.argv.slice(2);

let status = 0;
for (const part of parts) {
  const [...nodeArgs] = PARTS[part];
  const script = nodeArgs.pop();
  const res = spawnSync(
    process.execPath,
    [...nodeArgs, join(BENCH, script), ...(first === 'all' ? [] : args)],
    {
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) status = res.status ?? 1;
}
process.exit(status);
