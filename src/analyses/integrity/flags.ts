/**
 * Flags: every signal's findings for a window combined per person, with the severity, the
 * evidence and the money wasted, and the people whose unresolved flags hold them out of the
 * leaderboard (DESIGN §6–§7). Flags are never stored: they are recomputed from the ledger, and
 * their ids are a function of what they are about, so that the review decisions stored against
 * an id (review.ts) find the same flag on every run. A flag made here is `open`.
 * @module
 */
import { createHash } from 'node:crypto';
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

/** The thresholds a signal runs with: its defaults and the caller's overrides. */
export function thresholdsOf<S extends SignalId>(signal: S, options: Pick<DetectOptions, 'thresholds'> = {}) {
  return { ...DEFAULT_THRESHOLDS[signal], ...options.thresholds?.[signal] } as Thresholds[S];
}

function runSignal<S extends SignalId>(ctx: IntegrityContext, signal: S, options: DetectOptions): Finding[] {
  return RUN[signal](ctx, thresholdsOf(signal, options));
}

/** Every signal's findings for the window, by person, then signal. */
export function detectFindings(
  model: ValueModel,
  options: DetectOptions,
  ctx: IntegrityContext = integrityContext(model, options),
): Finding[] {
  const out = (options.signals ?? SIGNALS).flatMap((s) => runSignal(ctx, s, options));
  return out.sort(
    (a, b) =>
      (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0) ||
      SIGNALS.indexOf(a.signal) - SIGNALS.indexOf(b.signal),
  );
}

export const FLAG_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** One review decision: who decided what, when, and why. */
export interface ReviewDecision {
  status: Exclude<FlagStatus, 'open'>;
  note: string;
  /** Person id (or token name) of the reviewer. */
  by: string;
  /** Epoch ms. */
  at: number;
}

/** The decisions that apply to a flag (review.ts). */
export interface FlagReview {
  /**
   * The flag the decisions were made on: this flag's id, or that of a flag of the same person
   * and window whose signals included all of this one's (evidence the reviewer already judged).
   */
  flagId: string;
  /** Every decision, oldest first; the last one is in force. */
  history: ReviewDecision[];
}

export interface Flag {
  /** `fl-` and 16 hex digits: a hash of the person, the window and the signals (`flagId`). */
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
  /** Null until someone reviews it. */
  review: FlagReview | null;
}

/**
 * A flag's id: stable across re-runs for the same person, window and set of signals. New data
 * that adds a signal makes a new flag (new evidence of another kind deserves its own review);
 * new data that only changes the numbers keeps the id and its review.
 */
export function flagId(personId: string, window: Window, signals: readonly SignalId[]): string {
  const key = `${personId}\n${window.from}\n${window.until}\n${[...signals].sort().join(',')}`;
  return `fl-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * A person is flagged when one finding is at least `medium`, or two different signals are
 * `low`: a single weak signal is a thing to watch, not a reason to hold anyone out.
 */
export function raisesFlag(findings: readonly Finding[]): boolean {
  if (findings.some((f) => severityRank(f.severity) >= severityRank('medium'))) return true;
  return new Set(findings.map((f) => f.signal)).size >= 2;
}

/**
 * `ctx`, when given, is the window's context the findings came from: its index of each person's
 * sessions spares a pass over every session of the model.
 */
export function flagsFromFindings(
  model: ValueModel,
  window: Window,
  findings: readonly Finding[],
  ctx?: IntegrityContext,
): Flag[] {
  const byPerson = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byPerson.get(f.personId);
    if (list) list.push(f);
    else byPerson.set(f.personId, [f]);
  }
  const cost = new Map<string, number>();
  const spend = new Map<string, number>();
  const count = (s: ValueModel['sessions'][number]) => {
    cost.set(s.sessionId, s.costUsd);
    spend.set(s.personId, (spend.get(s.personId) ?? 0) + s.costUsd);
  };
  if (ctx && ctx.window.from === window.from && ctx.window.until === window.until) {
    for (const person of byPerson.keys())
      for (const i of ctx.sessionsOf.get(person) ?? []) count(model.sessions[i]!);
  } else
    for (const s of model.sessions)
      if (byPerson.has(s.personId) && s.firstTs >= window.from && s.firstTs < window.until) count(s);
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
    const signals = [...new Set(list.map((f) => f.signal))];
    flags.push({
      id: flagId(personId, window, signals),
      personId,
      window,
      status: 'open',
      severity: list.map((f) => f.severity).reduce(maxSeverity),
      signals,
      findings: list,
      wastedUsd: round(Math.min(personSpend, Math.max(sessionWaste, estimate))),
      spendUsd: round(personSpend),
      review: null,
    });
  }
  return flags.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
}

/** All signals, combined into flags per person for the window. */
export function integrityFlags(model: ValueModel, options: DetectOptions): Flag[] {
  const ctx = integrityContext(model, options);
  return flagsFromFindings(model, options.window, detectFindings(model, options, ctx), ctx);
}

/**
 * The people held out of the board (`BoardOptions.heldOut`), each with the ids of the flags that
 * hold them: an open flag until it is reviewed, a confirmed one for good; a dismissed flag puts
 * the person back.
 */
export function heldOutFrom(flags: readonly Flag[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of flags) {
    if (f.status === 'dismissed') continue;
    const ids = out.get(f.personId);
    if (ids) ids.push(f.id);
    else out.set(f.personId, [f.id]);
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
