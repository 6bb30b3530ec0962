#!/usr/bin/env node
// Backtests the budget forecast (issue #7, docs/forecasting.md): organisations of 5,000 engineers
// whose agentic adoption ramps up at the start of the fiscal year, each with an annual budget
// sized to run out on a day in April. Usage is written into a real DuckDB ledger through the Store
// week by week; at the end of each week (and of January) the forecast is computed from the ledger
// as it then stands, and its alerts go through a real AlertDispatcher to a local webhook receiver.
// Runs after `npm run build`.
//
//   node bench/eval-forecast.mjs [--scenarios uber,slow-ramp,…] [--seeds 1-2] [--tuned 1] [--engineers 5000]
//
// Seed 1 is the one the model's free choices (simulation spreads, evidence rule) were looked at
// with; other seeds are held out, and the summary keeps the two apart.
//
// Prints, per scenario and seed, the forecast over time (predicted exhaustion day, 80 % range,
// error in days) and when the projected-overrun alert fired; exits 1 when, for a gated scenario
// (the issue's ramp: `uber`, `uber-s-curve`), the forecast at the end of January is more than
// ±10 days off, or the overrun alert has not fired and been delivered by then.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const DIST = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist');
const load = (p) => import(pathToFileURL(join(DIST, p)).href);
const { evaluateScenario } = await load('synthetic/budgets/evaluate.js');
const { scenario, SCENARIO_NAMES, GATED } = await load('synthetic/budgets/scenarios.js');

const { values: opt } = parseArgs({
  options: {
    scenarios: { type: 'string', default: SCENARIO_NAMES.join(',') },
    seeds: { type: 'string', default: '1-2' },
    tuned: { type: 'string', default: '1' },
    engineers: { type: 'string', default: '5000' },
    draws: { type: 'string', default: '400' },
    tolerance: { type: 'string', default: '10' },
  },
});
const range = (s) => {
  const [a, b] = s.split('-').map(Number);
  return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
};
const names = opt.scenarios.split(',').map((s) => s.trim());
for (const n of names)
  if (!SCENARIO_NAMES.includes(n)) throw new Error(`Unknown scenario ${n}; known: ${SCENARIO_NAMES}`);
const seeds = range(opt.seeds);
const tuned = new Set(range(opt.tuned));
const tolerance = Number(opt.tolerance);
const pad = (s, n) => String(s ?? '–').padEnd(n);
const pct = (x) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(0)}%`);
const signed = (n) => (n === null ? '–' : n > 0 ? `+${n}` : String(n));

const results = [];
const started = performance.now();
for (const name of names) {
  for (const seed of seeds) {
    const s = scenario(name, seed, Number(opt.engineers));
    const r = await evaluateScenario(s, { draws: Number(opt.draws) });
    results.push(r);
    console.log(
      `\n${name} seed ${seed}: ${s.engineers} engineers, agentic ${pct(s.agenticFrom)} → ${pct(s.agenticTo)} ` +
        `(${s.shape}, ${s.rampDays} days from day ${s.rampStartDay}), drift ${pct(s.intensityGrowthPerMonth)}/month; ` +
        `budget $${r.budget.amount.toLocaleString('en-US')} runs out ${r.truth}; ${r.records.toLocaleString('en-US')} records; ` +
        `write ${(r.ms.write / 1000).toFixed(1)} s, forecasts ${(r.ms.forecast / 1000).toFixed(1)} s`,
    );
    console.log(
      `  ${pad('as of', 12)}${pad('spent', 7)}${pad('method', 10)}${pad('agentic', 9)}${pad('true', 6)}` +
        `${pad('runs out', 12)}${pad('80 % range', 25)}${pad('error', 7)}${pad('in range', 10)}${pad('P(out)', 8)}alerts fired`,
    );
    for (const p of r.points) {
      console.log(
        `  ${pad(p.asOf + (p.endOfFirstMonth ? '*' : ''), 12)}${pad(pct(p.percent / 100), 7)}${pad(p.method, 10)}` +
          `${pad(pct(p.agenticShare), 9)}${pad(pct(p.trueAgenticShare), 6)}${pad(p.exhaustsOn, 12)}` +
          `${pad(`${p.early ?? 'later'} – ${p.late ?? 'later'}`, 25)}${pad(signed(p.errorDays), 7)}` +
          `${pad(p.covered ? 'yes' : 'no', 10)}${pad(pct(p.probability), 8)}${p.fired.map((k) => k.split(':').slice(2).join(':')).join(', ')}`,
      );
    }
    if (r.overrunAlert)
      console.log(
        `  overrun alert fired as of ${r.overrunAlert.asOf} (${r.overrunAlert.delivered ? 'delivered, signature verified' : 'NOT delivered'}): "${r.overrunAlert.message}"`,
      );
    else console.log('  overrun alert never fired');
    console.log(`  webhook deliveries ${r.webhookDeliveries}, bad signatures ${r.badSignatures}`);
  }
}

console.log('\nSummary: error of the predicted exhaustion day (days; + = predicted too late)');
console.log(
  `${pad('scenario', 16)}${pad('seed', 6)}${pad('group', 10)}${pad('truth', 12)}${pad('end Jan', 9)}${pad('in 80 %', 9)}` +
    `${pad('alert as of', 13)}${pad('max |err| Feb→', 16)}${pad('80 % hits', 11)}gate`,
);
let failed = 0;
for (const r of results) {
  const s = r.scenario;
  const jan = r.firstMonth;
  const later = r.points.filter((p) => p.asOf > jan.asOf && p.asOf <= r.truth);
  const maxLater = later.length ? Math.max(...later.map((p) => Math.abs(p.errorDays ?? 999))) : null;
  const hits = r.points.filter((p) => p.asOf <= r.truth);
  const gated = GATED.includes(s.name);
  const alertInTime = r.overrunAlert !== null && r.overrunAlert.asOf <= jan.asOf && r.overrunAlert.delivered;
  const ok = jan.errorDays !== null && Math.abs(jan.errorDays) <= tolerance && alertInTime;
  if (gated && !ok) failed++;
  console.log(
    `${pad(s.name, 16)}${pad(s.seed, 6)}${pad(tuned.has(s.seed) ? 'tuned' : 'held-out', 10)}${pad(r.truth, 12)}${pad(signed(jan.errorDays), 9)}${pad(jan.covered ? 'yes' : 'no', 9)}` +
      `${pad(r.overrunAlert?.asOf ?? 'never', 13)}${pad(maxLater, 16)}${pad(`${hits.filter((p) => p.covered).length}/${hits.length}`, 11)}` +
      `${gated ? (ok ? 'pass' : 'FAIL') : 'reported'}`,
  );
}
// Mean absolute error by replay date over every run (the forecast error over time, all scenarios).
const byDate = new Map();
for (const r of results)
  for (const p of r.points)
    if (p.asOf <= r.truth && p.errorDays !== null) {
      const e = byDate.get(p.asOf) ?? { sum: 0, n: 0, covered: 0 };
      e.sum += Math.abs(p.errorDays);
      e.n++;
      if (p.covered) e.covered++;
      byDate.set(p.asOf, e);
    }
console.log(
  '\nForecast error over time, all runs: mean |error| in days, and how often the 80 % range held the real day',
);
for (const [date, e] of [...byDate].sort(([a], [b]) => a.localeCompare(b)))
  console.log(`  ${pad(date, 12)}${pad((e.sum / e.n).toFixed(1), 7)}${e.covered}/${e.n}`);
console.log(`\n${results.length} runs in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
console.log(
  `Gate: for ${GATED.join(', ')}, the forecast as January closes is within ±${tolerance} days of the real day and the projected-overrun alert has fired and been delivered by then.`,
);
if (failed > 0) {
  console.log(`FAILED: ${failed} gated run(s).`);
  process.exit(1);
}
console.log('Passed.');
