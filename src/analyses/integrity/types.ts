/**
 * What the integrity signals (DESIGN §7) produce: findings, each with the numbers, sessions and
 * changes behind it so that it can be recomputed from the ledger, and an estimate of the money
 * it wasted. Definitions and thresholds: docs/integrity.md.
 * @module
 */
import type { Window } from '../value/time.js';

export const SIGNALS = [
  'spend_without_outcomes',
  'cost_per_outcome',
  'unattended_loops',
  'repeated_prompts',
  'cache_padding',
  'deadline_spikes',
  'no_edit_sessions',
  'churn',
  'tiny_prs',
] as const;
export type SignalId = (typeof SIGNALS)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Evidence {
  /**
   * The statistic, its threshold and the medians it was compared with, by name. A null is a
   * comparison that could not be made (too few peers or too little baseline).
   */
  numbers: Record<string, number | null>;
  /** Sessions the finding is about, in time order. */
  sessionIds: string[];
  /** Changes (PR or commit record ids) the finding is about. */
  changeIds: string[];
  /** Commits named by the finding (revert commits, merge commits), full SHAs. */
  commitShas: string[];
  /** Subset of `sessionIds` whose whole cost the finding counts as wasted. */
  wastedSessionIds: string[];
}

export interface Finding {
  signal: SignalId;
  personId: string;
  /** The person's peer group: their team, or `org` when the team is too small to compare with. */
  peerGroup: string;
  window: Window;
  severity: Severity;
  /** One sentence a person can read, with the key numbers. */
  reason: string;
  evidence: Evidence;
  /** Estimated USD that bought nothing durable because of this behaviour. */
  wastedUsd: number;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** Evidence with empty lists, so a signal states only what it has. */
export function evidence(
  numbers: Evidence['numbers'],
  lists: Partial<Omit<Evidence, 'numbers'>> = {},
): Evidence {
  return {
    numbers,
    sessionIds: lists.sessionIds ?? [],
    changeIds: lists.changeIds ?? [],
    commitShas: lists.commitShas ?? [],
    wastedSessionIds: lists.wastedSessionIds ?? [],
  };
}

/** Rounds for display in reasons and evidence (cents, or 3 significant decimals for ratios). */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
