/**
 * Scores the integrity signals on a generated organisation against its planted truth: recall
 * per planted behaviour (the person got an open flag that names a signal meant for that
 * behaviour), precision overall (flagged people who were planted), and the share of honest
 * heavy and honest light users flagged.
 * @module
 */
import { detectFindings, flagsFromFindings } from '../../analyses/integrity/flags.js';
import type { SignalId } from '../../analyses/integrity/types.js';
import { buildValueModel } from '../../analyses/value/model.js';
import { generateIntegrityOrg } from './org.js';
import { type Behaviour, type IntegrityOrgParams, PLANTED, type PlantedBehaviour } from './params.js';

/** The signals meant to catch each planted behaviour. */
export const EXPECTED: Record<PlantedBehaviour, readonly SignalId[]> = {
  overnight_loops: ['unattended_loops'],
  repeated_prompts: ['repeated_prompts'],
  cache_padding: ['cache_padding'],
  deadline_spikes: ['deadline_spikes'],
  tiny_pr_splitting: ['tiny_prs'],
  churner: ['churn'],
  no_outcome_spender: ['spend_without_outcomes', 'cost_per_outcome'],
};

export interface SeedResult {
  params: IntegrityOrgParams;
  people: number;
  sessions: number;
  /** Per planted behaviour: planted people, caught by an expected signal, flagged at all. */
  behaviours: Record<PlantedBehaviour, { planted: number; caught: number; flagged: number }>;
  flagged: number;
  truePositives: number;
  honestHeavy: { people: number; flagged: number };
  honestLight: { people: number; flagged: number };
  /** Flags on honest people, with the signals that fired: what to look at when precision drops. */
  falseFlags: Array<{ personId: string; behaviour: Behaviour; signals: SignalId[] }>;
  /** Signals that fired per behaviour (all people), for the report. */
  signalsByBehaviour: Record<string, Partial<Record<SignalId, number>>>;
  wastedUsd: number;
  generateMs: number;
  modelMs: number;
  signalsMs: number;
}

export function evaluateSeed(params: IntegrityOrgParams): SeedResult {
  const t0 = performance.now();
  const org = generateIntegrityOrg(params);
  const t1 = performance.now();
  const model = buildValueModel(
    {
      sessions: org.sessions,
      commits: org.commits,
      pullRequests: org.pullRequests,
      deployments: org.deployments,
      incidents: [],
    },
    org.directory,
  );
  const t2 = performance.now();
  const findings = detectFindings(model, { window: org.window, periodEnds: org.periodEnds });
  const flags = flagsFromFindings(model, org.window, findings);
  const t3 = performance.now();

  const behaviours = Object.fromEntries(
    PLANTED.map((b) => [b, { planted: 0, caught: 0, flagged: 0 }]),
  ) as SeedResult['behaviours'];
  const flagOf = new Map(flags.map((f) => [f.personId, f]));
  const signalsByBehaviour: SeedResult['signalsByBehaviour'] = {};
  for (const f of findings) {
    const b = org.truth.get(f.personId) ?? 'honest_light';
    const counts = signalsByBehaviour[b] ?? {};
    signalsByBehaviour[b] = counts;
    counts[f.signal] = (counts[f.signal] ?? 0) + 1;
  }
  const honestHeavy = { people: 0, flagged: 0 };
  const honestLight = { people: 0, flagged: 0 };
  const falseFlags: SeedResult['falseFlags'] = [];
  let truePositives = 0;
  for (const [person, b] of org.truth) {
    const flag = flagOf.get(person);
    if (b === 'honest_heavy' || b === 'honest_light') {
      const bucket = b === 'honest_heavy' ? honestHeavy : honestLight;
      bucket.people++;
      if (flag) {
        bucket.flagged++;
        falseFlags.push({ personId: person, behaviour: b, signals: flag.signals });
      }
      continue;
    }
    const row = behaviours[b];
    row.planted++;
    if (!flag) continue;
    truePositives++;
    row.flagged++;
    if (flag.signals.some((s) => EXPECTED[b].includes(s))) row.caught++;
  }
  return {
    params,
    people: org.truth.size,
    sessions: org.sessions.length,
    behaviours,
    flagged: flags.length,
    truePositives,
    honestHeavy,
    honestLight,
    falseFlags,
    signalsByBehaviour,
    wastedUsd: flags.reduce((a, f) => a + f.wastedUsd, 0),
    generateMs: t1 - t0,
    modelMs: t2 - t1,
    signalsMs: t3 - t2,
  };
}
