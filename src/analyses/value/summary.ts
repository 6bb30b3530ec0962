/**
 * Every value metric for a scope (org, team or person) and window, and for the org, each team and
 * each person at once from one pass (`valueSummaries`). The options the numbers were computed with
 * travel in the summary, so any surface can show them beside the numbers (DESIGN §5).
 * @module
 */
import { type AdoptionMetric, adoptionFromAcc, headcounts } from './adoption.js';
import { type AgentWorkMetric, agentWorkFromAcc } from './agent-work.js';
import { type Acc, aggregate, type PersonSlots, type Scope, scopeKey, slotsOf } from './aggregate.js';
import { type AmplificationMetric, amplificationFromAcc } from './amplification.js';
import { type CacheEfficiencyMetric, cacheFromAcc } from './cache-efficiency.js';
import { type CostPerOutcomeMetric, costFromAcc } from './cost-per-outcome.js';
import type { ValueModel } from './model.js';
import { type NormalisedDeploymentsMetric, ndFromAcc } from './normalised-deployments.js';
import { type RegularityMetric, regularityFromAcc } from './regularity.js';
import { type ShippedChangesMetric, shippedFromAcc } from './shipped.js';
import { ALL_TIME, type Window } from './time.js';
import { type WasteMetric, wasteFromAcc } from './waste.js';

export interface SummaryWindow {
  /** Epoch ms, or null for an open end. */
  from: number | null;
  until: number | null;
}

export interface ValueSummary {
  scope: Scope;
  window: SummaryWindow;
  settings: {
    revertHorizonDays: number;
    trivialLines: number;
    sessionWindowHours: number;
    ndSplit: string;
    deploymentAncestry: boolean;
    ancestryLookbackDays: number;
    asOf: number;
  };
  shipped: ShippedChangesMetric;
  nd: NormalisedDeploymentsMetric;
  agentWork: AgentWorkMetric;
  regularity: RegularityMetric;
  adoption: AdoptionMetric;
  costPerOutcome: CostPerOutcomeMetric;
  amplification: AmplificationMetric;
  cacheEfficiency: CacheEfficiencyMetric;
  waste: WasteMetric;
  spend: { costUsd: number; sessions: number; unpricedCalls: number };
  /** People who contributed anything (a change, a session, a commit) to the scope in the window. */
  contributors: number;
}

function settingsOf(model: ValueModel): ValueSummary['settings'] {
  const o = model.options;
  return {
    revertHorizonDays: o.revertHorizonMs / 86_400_000,
    trivialLines: o.trivialLines,
    sessionWindowHours: o.sessionWindowMs / 3_600_000,
    ndSplit: o.ndSplit,
    deploymentAncestry: o.deploymentAncestry,
    ancestryLookbackDays: o.ancestryLookbackMs / 86_400_000,
    asOf: model.asOf,
  };
}

function contributorsOf(a: Acc): number {
  return slotsOf(a.workingWeeks).size;
}

function summarise(
  model: ValueModel,
  a: Acc,
  window: Window,
  slots: PersonSlots,
  heads: ReturnType<typeof headcounts>,
): ValueSummary {
  return {
    scope: a.scope,
    window: {
      from: Number.isFinite(window.from) ? window.from : null,
      until: Number.isFinite(window.until) ? window.until : null,
    },
    settings: settingsOf(model),
    shipped: shippedFromAcc(model, a),
    nd: ndFromAcc(model, a, window),
    agentWork: agentWorkFromAcc(a),
    regularity: regularityFromAcc(a),
    adoption: adoptionFromAcc(a, window, slots, heads),
    costPerOutcome: costFromAcc(a),
    amplification: amplificationFromAcc(a),
    cacheEfficiency: cacheFromAcc(a),
    waste: wasteFromAcc(a),
    spend: { costUsd: a.costUsd, sessions: a.sessions, unpricedCalls: a.unpricedCalls },
    contributors: contributorsOf(a),
  };
}

/** All value metrics for one scope over `window` (default: all time). */
export function valueSummary(model: ValueModel, scope: Scope, window: Window = ALL_TIME): ValueSummary {
  const { accs, slots } = aggregate(model, window, scope);
  return summarise(model, accs.get(scopeKey(scope))!, window, slots, headcounts(model, slots));
}

export interface ValueSummaries {
  org: ValueSummary;
  teams: ValueSummary[];
  people: ValueSummary[];
}

/** The org, every team and every person seen in the window, from a single pass over the model. */
export function valueSummaries(
  model: ValueModel,
  window: Window = ALL_TIME,
  options: { people?: boolean } = {},
): ValueSummaries {
  const { accs, slots } = aggregate(model, window, 'all');
  const heads = headcounts(model, slots);
  const teams: ValueSummary[] = [];
  const people: ValueSummary[] = [];
  let org: ValueSummary | undefined;
  for (const a of accs.values()) {
    // Thousands of person summaries cost more than the org's and the teams' together: skip them
    // when the caller will not send them.
    if (a.scope.kind === 'person' && options.people === false) continue;
    const s = summarise(model, a, window, slots, heads);
    if (a.scope.kind === 'org') org = s;
    else if (a.scope.kind === 'team') teams.push(s);
    else people.push(s);
  }
  const byName = (x: ValueSummary, y: ValueSummary) => (scopeKey(x.scope) < scopeKey(y.scope) ? -1 : 1);
  return { org: org!, teams: teams.sort(byName), people: people.sort(byName) };
}
