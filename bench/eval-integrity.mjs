#!/usr/bin/env node
// Evaluates the integrity signals (issue #6) on generated organisations with planted behaviours:
// seeds 1–5 are the ones the thresholds were tuned on, seeds 6–10 are held out. Each seed draws
// its own team count and sizes, call context (so spend), share of heavy users, number of planted
// people and their intensity (src/synthetic/integrity/params.ts). Runs after `npm run build`.
//
//   node bench/eval-integrity.mjs [--seeds 1-10] [--tuned 1-5]
//
// Prints recall per planted behaviour (the person got a flag naming a signal meant for it),
// precision over all flags, and the share of honest heavy and light users flagged, per seed
// group; exits 1 when a target is missed: recall ≥ 0.9 for every behaviour, precision ≥ 0.9,
// no honest heavy user flagged.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const DIST = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist');
const { evaluateSeed } = await import(pathToFileURL(join(DIST, 'synthetic/integrity/evaluate.js')).href);
const { paramsForSeed, PLANTED } = await import(
  pathToFileURL(join(DIST, 'synthetic/integrity/params.js')).href
);

const { values: opt } = parseArgs({
  options: { seeds: { type: 'string', default: '1-10' }, tuned: { type: 'string', default: '1-5' } },
});
const range = (s) => {
  const [a, b] = s.split('-').map(Number);
  return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
};
const seeds = range(opt.seeds);
const tuned = new Set(range(opt.tuned));

const started = performance.now();
const results = seeds.map((seed) => evaluateSeed(paramsForSeed(seed)));
const totalMs = performance.now() - started;

const pct = (n, d) => (d === 0 ? '   –  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
const pad = (s, n) => String(s).padEnd(n);

console.log('Seeds and their parameters');
console.log(
  `${pad('seed', 6)}${pad('group', 9)}${pad('people', 8)}${pad('teams', 7)}${pad('sessions', 10)}${pad('ctx×', 7)}` +
    `${pad('heavy', 7)}${pad('per-beh', 9)}${pad('intensity', 11)}${pad('flags', 7)}${pad('FP', 4)}${pad('wasted $', 11)}ms (gen/model/signals)`,
);
for (const r of results) {
  const p = r.params;
  console.log(
    `${pad(p.seed, 6)}${pad(tuned.has(p.seed) ? 'tuned' : 'held-out', 9)}${pad(r.people, 8)}${pad(p.teams, 7)}` +
      `${pad(r.sessions, 10)}${pad(p.contextScale.toFixed(2), 7)}${pad(r.honestHeavy.people, 7)}` +
      `${pad(p.plantedPerBehaviour, 9)}${pad(p.intensity.toFixed(2), 11)}${pad(r.flagged, 7)}` +
      `${pad(r.flagged - r.truePositives, 4)}${pad(r.wastedUsd.toFixed(0), 11)}` +
      `${r.generateMs.toFixed(0)}/${r.modelMs.toFixed(0)}/${r.signalsMs.toFixed(0)}`,
  );
  for (const f of r.falseFlags)
    console.log(`      false flag: ${f.personId} (${f.behaviour}): ${f.signals.join(', ')}`);
}

function summarise(rs) {
  const rows = {};
  for (const b of PLANTED) rows[b] = { planted: 0, caught: 0, flagged: 0 };
  let flagged = 0;
  let tp = 0;
  const heavy = { people: 0, flagged: 0 };
  const light = { people: 0, flagged: 0 };
  for (const r of rs) {
    for (const b of PLANTED) {
      rows[b].planted += r.behaviours[b].planted;
      rows[b].caught += r.behaviours[b].caught;
      rows[b].flagged += r.behaviours[b].flagged;
    }
    flagged += r.flagged;
    tp += r.truePositives;
    heavy.people += r.honestHeavy.people;
    heavy.flagged += r.honestHeavy.flagged;
    light.people += r.honestLight.people;
    light.flagged += r.honestLight.flagged;
  }
  return { rows, flagged, tp, heavy, light };
}

const groups = [
  ['tuned', results.filter((r) => tuned.has(r.params.seed))],
  ['held-out', results.filter((r) => !tuned.has(r.params.seed))],
  ['all', results],
].filter(([, rs]) => rs.length > 0);

const failures = [];
for (const [name, rs] of groups) {
  const s = summarise(rs);
  console.log(`\n${name} seeds (${rs.map((r) => r.params.seed).join(', ')})`);
  console.log(
    `${pad('behaviour', 22)}${pad('planted', 9)}${pad('caught', 8)}${pad('recall', 9)}flagged by any signal`,
  );
  for (const b of PLANTED) {
    const row = s.rows[b];
    const recall = row.planted === 0 ? 1 : row.caught / row.planted;
    console.log(
      `${pad(b, 22)}${pad(row.planted, 9)}${pad(row.caught, 8)}${pad(pct(row.caught, row.planted), 9)}${pct(row.flagged, row.planted)}`,
    );
    if (recall < 0.9) failures.push(`${name}: recall of ${b} ${pct(row.caught, row.planted).trim()} < 90%`);
  }
  const precision = s.flagged === 0 ? 1 : s.tp / s.flagged;
  console.log(
    `${pad('precision (all flags)', 22)}${pad(s.flagged, 9)}${pad(s.tp, 8)}${pct(s.tp, s.flagged)}`,
  );
  console.log(
    `${pad('honest heavy flagged', 22)}${pad(s.heavy.people, 9)}${pad(s.heavy.flagged, 8)}${pct(s.heavy.flagged, s.heavy.people)}`,
  );
  console.log(
    `${pad('honest light flagged', 22)}${pad(s.light.people, 9)}${pad(s.light.flagged, 8)}${pct(s.light.flagged, s.light.people)}`,
  );
  if (precision < 0.9) failures.push(`${name}: precision ${pct(s.tp, s.flagged).trim()} < 90%`);
  if (s.heavy.flagged > 0) failures.push(`${name}: ${s.heavy.flagged} honest heavy user(s) flagged`);
}

console.log(`\n${seeds.length} seeds in ${(totalMs / 1000).toFixed(1)} s`);
if (failures.length > 0) {
  console.log(`\nTargets missed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('All targets met: recall ≥ 90% per behaviour, precision ≥ 90%, no honest heavy user flagged.');
