/**
 * Flags: every signal's findings for a window combined per person, with the severity, the
 * evidence and the money wasted, and the list of people whose open flags hold them out of the
 * leaderboard (DESIGN §6–§7). Storage and the review workflow (open → confirmed / dismissed)
 * live elsewhere; a flag made here is `open`.
 * @module
 */
import type { ValueModel } from '../value/model.js';
import type { Window } from '../value/time.js';
import { CACHE_PADDING, type CachePaddingThresholds, cachePadding } from './cache-padding.js';
import { CHURN, type ChurnThresholds, churn } from './churn.js';
import { type IntegrityContext, type IntegrityOptions, integrityContext } from './context.js';
import { COST_PER_OUTCOME, type CostPerOutcomeThresholds, costPerOutcome } from './cost-per-outcome.js';
import { DEADLINE_SPIKES, type DeadlineSpikeThresholds, deadlineSpikes } from './deadline-spikes.js';
import { NO_EDIT_SESSIONS, type NoEditThresholds, noEditSessions } from './no-edit-sessions.js';
import { NO_OUTCOME_SPEND, type NoOutcomeSpendThresholds, spendWithoutOutcomes } from './no-outcome-spend.js';
import { REPEATED_PROMPTS, type RepeatedPromptThresholds, repeatedPrompts } from './repeated-prompts.js';
import { TINY_PRS, type TinyPrThresholds, tinyPrs } from './tiny-prs.js';
import {
  type Finding,
  maxSeverity,
  round,
  type Severity,
  SIGNALS,
  type SignalId,
  severityRank,
} from './types.js';
import { type LoopThresholds, UNATTENDED_LOOPS, unattendedLoops } from './unattended-loops.js';

export interface Thresholds {
  spend_without_outcomes: NoOutcomeSpendThresholds;
  cost_per_outcome: CostPerOutcomeThresholds;
  unattended_loops: LoopThresholds;
  repeated_prompts: RepeatedPromptThresholds;
  cache_padding: CachePaddingThresholds;
  deadline_spikes: DeadlineSpikeThresholds;
  no_edit_sessions: NoEditThresholds;
  churn: ChurnThresholds;
  tiny_prs: TinyPrThresholds;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  spend_without_outcomes: NO_OUTCOME_SPEND,
  cost_per_outcome: COST_PER_OUTCOME,
  unattended_loops: UNATTENDED_LOOPS,
  repeated_prompts: REPEATED_PROMPTS,
  cache_padding: CACHE_PADDING,
  deadline_spikes: DEADLINE_SPIKES,
  no_edit_sessions: NO_EDIT_SESSIONS,
  churn: CHURN,
  tiny_prs: TINY_PRS,
};

export interface DetectOptions extends IntegrityOptions {
  /** Signals to run. Default: all. */
  signals?: readonly SignalId[];
  /** Per-signal overrides of the defaults. */
  thresholds?: { [S in SignalId]?: Partial<Thresholds[S]> };
}

const RUN: { [S in SignalId]: (ctx: IntegrityContext, th: Thresholds[S]) => Finding[] } = {
  spend_without_outcomes: spendWithoutOutcomes,
  cost_per_outcome: costPerOutcome,
  unattended_loops: unattendedLoops,
  repeated_prompts: repeatedPrompts,
  cache_padding: cachePadding,
  deadline_spikes: deadlineSpikes,
  no_edit_sessions: noEditSessions,
  churn,
  tiny_prs: tinyPrs,
};

function runSignal<S extends SignalId>(ctx: IntegrityContext, signal: S, options: DetectOptions): Finding[] {
  const th = { ...DEFAULT_THRESHOLDS[signal], ...options.thresholds?.[signal] } as Thresholds[S];
  return RUN[signal](ctx, th);
}

/** Every signal's findings for the window, by person, then signal. */
export function detectFindings(model: ValueModel, options: DetectOptions): Finding[] {
  const ctx = integrityContext(model, options);
  const out = (options.signals ?? SIGNALS).flatMap((s) => runSignal(ctx, s, options));
  return out.sort(
    (a, b) =>
      (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0) ||
      SIGNALS.indexOf(a.signal) - SIGNALS.indexOf(b.signal),
  );
}

export type FlagStatus = 'open' | 'confirmed' | 'dismissed';

export interface Flag {
  /** `<person>:<from>:<until>` (window bounds in epoch ms). */
  id: string;
  personId: string;
  window: Window;
  status: FlagStatus;
  severity: Severity;
  signals: SignalId[];
  findings: Finding[];
  /**
   * Estimated waste: the cost of every session some finding names as wasted, each counted once,
   * or the largest estimate of a finding that names no sessions, whichever is more; never more
   * than the person's spend in the window.
   */
  wastedUsd: number;
  /** The person's AI spend in the window. */
  spendUsd: number;
}

/**
 * A person is flagged when one finding is at least `medium`, or two different signals are
 * `low`: a single weak signal is a thing to watch, not a reason to hold anyone out.
 */
export function raisesFlag(findings: readonly Finding[]): boolean {
  if (findings.some((f) => severityRank(f.severity) >= severityRank('medium'))) return true;
  return new Set(findings.map((f) => f.signal)).size >= 2;
}

export function flagsFromFindings(model: ValueModel, window: Window, findings: readonly Finding[]): Flag[] {
  const byPerson = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byPerson.get(f.personId);
    if (list) list.push(f);
    else byPerson.set(f.personId, [f]);
  }
  const cost = new Map<string, number>();
  const spend = new Map<string, number>();
  for (const s of model.sessions) {
    if (!byPerson.has(s.personId) || s.firstTs < window.from || s.firstTs >= window.until) continue;
    cost.set(s.sessionId, s.costUsd);
    spend.set(s.personId, (spend.get(s.personId) ?? 0) + s.costUsd);
  }
  const flags: Flag[] = [];
  for (const [personId, list] of byPerson) {
    if (!raisesFlag(list)) continue;
    const wastedSessions = new Set(list.flatMap((f) => f.evidence.wastedSessionIds));
    let sessionWaste = 0;
    for (const id of wastedSessions) sessionWaste += cost.get(id) ?? 0;
    const estimate = Math.max(
      0,
      ...list.filter((f) => f.evidence.wastedSessionIds.length === 0).map((f) => f.wastedUsd),
    );
    const personSpend = spend.get(personId) ?? 0;
    flags.push({
      id: `${personId}:${window.from}:${window.until}`,
      personId,
      window,
      status: 'open',
      severity: list.map((f) => f.severity).reduce(maxSeverity),
      signals: [...new Set(list.map((f) => f.signal))],
      findings: list,
      wastedUsd: round(Math.min(personSpend, Math.max(sessionWaste, estimate))),
      spendUsd: round(personSpend),
    });
  }
  return flags.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
}

/** All signals, combined into flags per person for the window. */
export function integrityFlags(model: ValueModel, options: DetectOptions): Flag[] {
  return flagsFromFindings(model, options.window, detectFindings(model, options));
}

/** The people whose open flags hold them out of the board (`BoardOptions.heldOut`). */
export function heldOutFrom(flags: readonly Flag[]): string[] {
  return [...new Set(flags.filter((f) => f.status === 'open').map((f) => f.personId))].sort();
}
