/**
 * A flag explained so that anyone with the ledger can check it: every session and change its
 * evidence rests on, with the numbers the ledger holds for them (calls, cost, tokens, times,
 * prompts, edits, commits, PR sizes, merges, reverts), and, for each finding, every number of
 * its evidence recomputed from those rows by the formula that defines it, beside the number the
 * flag carries, and the thresholds it crossed. Numbers that need other people's data (peer
 * medians, the z against them) or the weeks before the window (baselines) are stated with how
 * they were computed, not recomputed here: the flagged person may read their own evidence, not
 * their colleagues' sessions.
 * @module
 */

import type { SessionOutcome, ValueModel } from '../value/model.js';
import { DAY_MS } from '../value/time.js';
import {
  fingerprintsOf,
  type IntegrityContext,
  type IntegrityOptions,
  integrityContext,
  isWaste,
  outcomeOf,
  touchedCode,
} from './context.js';
import { type DetectOptions, type Flag, type Thresholds, thresholdsOf } from './flags.js';
import { robustZ } from './stats.js';
import type { Finding, Severity, SignalId } from './types.js';
import { unpromptedMs } from './unattended-loops.js';

const HOUR = 3_600_000;

export interface ExplainedSession {
  sessionId: string;
  tool: string;
  firstTs: number;
  lastTs: number;
  calls: number;
  prompts: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  edits: number;
  linesAdded: number;
  linesRemoved: number;
  commitShas: string[];
  prUrls: string[];
  gitBranch: string | null;
  cwd: string | null;
  /** The session's outcome in the value model (docs/metrics.md "Waste"). */
  outcome: SessionOutcome;
  /** Edited files, or itself printed a commit SHA or a PR URL. */
  touchedCode: boolean;
  /** Its spend bought no durable outcome (docs/integrity.md "Waste"). */
  waste: boolean;
  /** Lower bound on its longest stretch without a human prompt: (last − first) / (prompts + 1). */
  unpromptedHours: number;
  promptFingerprints: readonly string[];
  /** Started in the flag's window (the others are the days before it a spike is compared with). */
  inWindow: boolean;
  /** Signals whose evidence names it. */
  namedBy: SignalId[];
}

export interface ExplainedChange {
  id: string;
  kind: 'pull_request' | 'commit';
  repo: string;
  number: number | null;
  sha: string | null;
  title: string | null;
  author: string | null;
  mergedBy: string | null;
  approvers: string[];
  mergeCommitSha: string | null;
  shippedAt: number | null;
  additions: number;
  deletions: number;
  selfMerged: boolean;
  trivial: boolean;
  aiAssisted: boolean;
  isRevert: boolean;
  durable: boolean;
  qualifying: boolean;
  revertedBy: { sha: string; at: number } | null;
  rolledBackIn: string | null;
  incidentIds: string[];
  namedBy: SignalId[];
}

/** One number of the evidence, recomputed from the rows above by the formula in `how`. */
export interface Derivation {
  key: string;
  evidence: number | null;
  recomputed: number;
  /** Equal at the evidence's rounding. */
  matches: boolean;
  how: string;
}

/** A condition of the signal's rule, with the value it was checked on. */
export interface Check {
  what: string;
  value: number | null;
  op: '≥' | '≤';
  threshold: number;
  met: boolean;
}

/** A number of the evidence that rests on other people's data or earlier weeks: how it was computed. */
export interface ContextNumber {
  key: string;
  value: number | null;
  how: string;
}

export interface ExplainedFinding {
  signal: SignalId;
  severity: Severity;
  reason: string;
  peerGroup: string;
  /** The signal's rule, in one sentence. */
  rule: string;
  derivations: Derivation[];
  checks: Check[];
  context: ContextNumber[];
  sessionIds: string[];
  changeIds: string[];
  commitShas: string[];
  wastedUsd: number;
  /** How `wastedUsd` was estimated. */
  wasteHow: string;
}

export interface FlagExplanation {
  flag: Flag;
  /** Leaderboard closes the deadline signal looked at. */
  periodEnds: number[];
  findings: ExplainedFinding[];
  /** Every session the findings rest on, by start. */
  sessions: ExplainedSession[];
  /** The person's changes shipped in the window, and any other change a finding names. */
  changes: ExplainedChange[];
  /**
   * How to read the same rows from a DuckDB ledger without tokenyield: the sessions' calls, cost,
   * tokens and times (subagent calls folded into their parent session); their prompts, tool uses
   * (edits are Edit, Write, MultiEdit, NotebookEdit, apply_patch …), changed lines and the commits
   * and PRs they printed; the changes.
   */
  reproduce: { sessions: string; activity: string; changes: string };
}

export interface ExplainOptions extends Pick<DetectOptions, 'thresholds'>, Omit<IntegrityOptions, 'window'> {}

/** Rounds like the signals do (types.ts `round`), so a recomputed number compares with the evidence's. */
function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function sum<T>(rows: readonly T[], f: (r: T) => number): number {
  let s = 0;
  for (const r of rows) s += f(r);
  return s;
}

class Builder {
  readonly derivations: Derivation[] = [];
  readonly checks: Check[] = [];
  readonly context: ContextNumber[] = [];
  constructor(private readonly finding: Finding) {}

  derive(key: string, value: number, digits: number, how: string): number {
    const evidence = this.finding.evidence.numbers[key] ?? null;
    const recomputed = roundTo(value, digits);
    const tolerance = 10 ** -digits * 0.51;
    this.derivations.push({
      key,
      evidence,
      recomputed,
      matches: evidence !== null && Math.abs(evidence - recomputed) <= tolerance,
      how,
    });
    return value;
  }

  check(what: string, value: number | null, op: Check['op'], threshold: number): void {
    const met = value !== null && (op === '≥' ? value >= threshold : value <= threshold);
    this.checks.push({ what, value: value === null ? null : roundTo(value, 6), op, threshold, met });
  }

  note(key: string, how: string): void {
    this.context.push({ key, value: this.finding.evidence.numbers[key] ?? null, how });
  }
}

interface Rows {
  ctx: IntegrityContext;
  /** The person's sessions in the window, by start. */
  window: ExplainedSession[];
  /** Every explained session, by id. */
  byId: Map<string, ExplainedSession>;
  /** The person's changes shipped in the window. */
  shipped: ExplainedChange[];
  changeById: Map<string, ExplainedChange>;
}

const usd = (x: number) => `$${roundTo(x, 2)}`;
const named = (f: Finding, rows: Rows) =>
  f.evidence.sessionIds.map((id) => rows.byId.get(id)).filter((s): s is ExplainedSession => !!s);
const namedChanges = (f: Finding, rows: Rows) =>
  f.evidence.changeIds.map((id) => rows.changeById.get(id)).filter((c): c is ExplainedChange => !!c);
const lines = (c: ExplainedChange) => Math.max(1, c.additions + c.deletions);

type Explainer<S extends SignalId> = (
  f: Finding,
  rows: Rows,
  th: Thresholds[S],
  b: Builder,
) => { rule: string; wasteHow: string };

const PEER_Z = (what: string, floor: number, scale = '') =>
  `robust z = (value − peer median) / (1.4826 × max(peer MAD, ${floor}))${scale}, where each peer's ${what}`;

const EXPLAIN: { [S in SignalId]: Explainer<S> } = {
  spend_without_outcomes(f, rows, th, b) {
    const spend = b.derive(
      'spendUsd',
      sum(rows.window, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions in the window',
    );
    const waste = b.derive(
      'wasteUsd',
      sum(
        rows.window.filter((s) => s.waste),
        (s) => s.costUsd,
      ),
      2,
      'Σ costUsd of the window’s sessions marked waste',
    );
    const share = b.derive('wasteShare', spend > 0 ? waste / spend : 0, 3, 'wasteUsd / spendUsd');
    b.check('sessions in the window', rows.window.length, '≥', th.minSessions);
    b.check('waste $', waste, '≥', th.minWasteUsd);
    b.check('waste share', share, '≥', th.minShare);
    b.check('robust z of the share against the peers', f.evidence.numbers.peerZ ?? null, '≥', th.minPeerZ);
    b.note('peerMedianWasteShare', `median waste share of the peers with ≥ ${th.minSessions} sessions`);
    b.note('peerMadWasteShare', 'median absolute deviation of those shares');
    b.note('peerZ', PEER_Z('value is its waste share', 0.05));
    b.note('baselineWasteShare', 'the same share over the 8 weeks before the window (not part of the rule)');
    return {
      rule: 'Most of the window’s spend bought no durable change, a share far above the peers’.',
      wasteHow: `waste − peer median share × spend, at most the waste sessions’ cost (${usd(f.wastedUsd)})`,
    };
  },
  cost_per_outcome(f, rows, th, b) {
    const spend = b.derive(
      'spendUsd',
      sum(rows.window, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions in the window',
    );
    const outcomes = namedChanges(f, rows).filter((c) => c.qualifying);
    b.derive(
      'outcomes',
      outcomes.length,
      0,
      'qualifying durable changes shipped in the window (the changes named)',
    );
    const cpo = b.derive(
      'costPerOutcomeUsd',
      outcomes.length > 0 ? spend / outcomes.length : 0,
      2,
      'spendUsd / outcomes',
    );
    const peer = f.evidence.numbers.peerMedianCostPerOutcomeUsd ?? null;
    b.check('qualifying durable changes', outcomes.length, '≥', th.minOutcomes);
    b.check('spend $', spend, '≥', th.minSpendUsd);
    b.check(
      'robust z of log($ per outcome) against the peers',
      f.evidence.numbers.peerZ ?? null,
      '≥',
      th.minPeerZ,
    );
    if (peer !== null)
      b.check('multiple of the peer median (medium)', roundTo(cpo / peer, 2), '≥', th.mediumMultiple);
    b.note('peerMedianCostPerOutcomeUsd', 'exp(median of log($ per outcome)) over the eligible peers');
    b.note('peerZ', PEER_Z('value is log($ per outcome)', 0.2, ', on a log scale'));
    b.note('baselineMedianWeeklyCostPerOutcomeUsd', 'median weekly $ per outcome over the 8 weeks before');
    b.note(
      'ownZ',
      `robust z against those weeks (MAD floor 0.3); severity above low needs ≥ ${th.ownZ} or no baseline`,
    );
    return {
      rule: '$ per qualifying durable change far above the peer group’s (log scale).',
      wasteHow: 'spend − outcomes × peer median $ per outcome',
    };
  },
  unattended_loops(f, rows, th, b) {
    const loops = named(f, rows);
    b.derive('loopSessions', loops.length, 0, 'sessions named');
    b.derive(
      'loopCostUsd',
      sum(loops, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions named',
    );
    b.derive(
      'loopCalls',
      sum(loops, (s) => s.calls),
      0,
      'Σ calls of the sessions named',
    );
    b.derive(
      'loopHours',
      sum(loops, (s) => (s.lastTs - s.firstTs) / HOUR),
      2,
      'Σ (lastTs − firstTs) in hours',
    );
    b.derive(
      'longestUnpromptedHours',
      Math.max(0, ...loops.map((s) => s.unpromptedHours)),
      2,
      'max over the sessions of (lastTs − firstTs) / (prompts + 1), in hours',
    );
    b.derive(
      'spendUsd',
      sum(rows.window, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions in the window',
    );
    for (const s of loops) {
      b.check(`${s.sessionId}: calls`, s.calls, '≥', th.minCalls);
      b.check(
        `${s.sessionId}: hours`,
        roundTo((s.lastTs - s.firstTs) / HOUR, 2),
        '≥',
        th.minDurationMs / HOUR,
      );
      b.check(
        `${s.sessionId}: hours without a prompt`,
        roundTo(s.unpromptedHours, 2),
        '≥',
        th.minUnpromptedMs / HOUR,
      );
      b.check(`${s.sessionId}: touched code (0 = no)`, s.touchedCode ? 1 : 0, '≤', 0);
    }
    b.check('loop sessions', loops.length, '≥', th.minSessions);
    b.check(
      'their cost $',
      sum(loops, (s) => s.costUsd),
      '≥',
      th.minCostUsd,
    );
    b.note('peerMedianLoopSessions', 'median count of such sessions among the peers (not part of the rule)');
    b.note('baselineLoopSessions', 'such sessions in the 8 weeks before (not part of the rule)');
    return {
      rule: 'Sessions that called the model for hours with no human prompt and touched no code.',
      wasteHow: 'the cost of the sessions named',
    };
  },
  repeated_prompts(f, rows, th, b) {
    const rep = named(f, rows);
    b.derive('repeatedSessions', rep.length, 0, 'sessions named');
    b.derive(
      'repeatedCostUsd',
      sum(rep, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions named',
    );
    b.derive(
      'spendUsd',
      sum(rows.window, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions in the window',
    );
    for (const s of rep) b.check(`${s.sessionId}: waste (1 = yes)`, s.waste ? 1 : 0, '≥', 1);
    b.check('repeated waste sessions', rep.length, '≥', th.minSessions);
    b.check('robust z against the peers', f.evidence.numbers.peerZ ?? null, '≥', th.minPeerZ);
    b.note(
      'clusters',
      `groups of the person’s prompt fingerprints within ${th.maxDistance} bits of each other (see each session’s fingerprints), ≥ ${th.minSessions} waste sessions making ≥ ${th.minWasteShare * 100}% of the group, no fingerprint typed by ≥ ${th.idiomShare * 100}% of the people`,
    );
    b.note('largestCluster', 'sessions in the largest such group');
    b.note('peerMedianRepeatedSessions', 'median count among the peers');
    b.note('peerZ', PEER_Z('value is log(1 + its repeated waste sessions)', 0.35));
    return {
      rule: 'The same prompt, by fingerprint, started session after session that shipped nothing durable.',
      wasteHow: 'the cost of the sessions named',
    };
  },
  cache_padding(f, rows, th, b) {
    const pad = named(f, rows);
    b.derive('paddedSessions', pad.length, 0, 'sessions named');
    const read = b.derive(
      'cacheReadTokens',
      sum(pad, (s) => s.cacheReadTokens),
      0,
      'Σ cacheReadTokens',
    );
    const out = b.derive(
      'outputTokens',
      sum(pad, (s) => s.outputTokens),
      0,
      'Σ outputTokens',
    );
    b.derive('outputPerCacheRead', read > 0 ? out / read : 0, 6, 'outputTokens / cacheReadTokens');
    b.derive(
      'paddedCostUsd',
      sum(pad, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions named',
    );
    b.derive(
      'spendUsd',
      sum(rows.window, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions in the window',
    );
    for (const s of pad) {
      b.check(`${s.sessionId}: cache-read tokens`, s.cacheReadTokens, '≥', th.minCacheReadTokens);
      b.check(
        `${s.sessionId}: output per cache-read token`,
        s.cacheReadTokens > 0 ? roundTo(s.outputTokens / s.cacheReadTokens, 6) : null,
        '≤',
        th.maxOutputRatio,
      );
      b.check(`${s.sessionId}: touched code (0 = no)`, s.touchedCode ? 1 : 0, '≤', 0);
    }
    b.check('padded sessions', pad.length, '≥', th.minSessions);
    b.note('peerMedianPaddedSessions', 'median count among the peers (not part of the rule)');
    return {
      rule: 'Sessions that read huge cached prompts, wrote almost nothing and touched no code.',
      wasteHow: 'the cost of the sessions named',
    };
  },
  deadline_spikes(f, rows, th, b) {
    const mine = [...rows.byId.values()];
    const periods = f.evidence.numbers.periods ?? 0;
    let maxRatio = 0;
    for (let k = 1; k <= periods; k++) {
      const end = f.evidence.numbers[`period${k}End`];
      if (end === null || end === undefined) continue;
      const spikeFrom = end - th.spikeDays * DAY_MS;
      const baseFrom = spikeFrom - th.baseDays * DAY_MS;
      const spike = mine.filter((s) => s.firstTs >= spikeFrom && s.firstTs < end);
      const base = mine.filter((s) => s.firstTs >= baseFrom && s.firstTs < spikeFrom);
      const close = new Date(end).toISOString().slice(0, 10);
      const spend = b.derive(
        `period${k}SpikeUsd`,
        sum(spike, (s) => s.costUsd),
        2,
        `Σ costUsd of the sessions started in the ${th.spikeDays} days before ${close}`,
      );
      const waste = b.derive(
        `period${k}WasteUsd`,
        sum(
          spike.filter((s) => s.waste),
          (s) => s.costUsd,
        ),
        2,
        'Σ costUsd of those marked waste',
      );
      const daily = b.derive(
        `period${k}OwnDailyUsd`,
        Math.max(sum(base, (s) => s.costUsd) / th.baseDays, th.floorDailyUsd),
        2,
        `max(Σ costUsd of the sessions in the ${th.baseDays} days before those / ${th.baseDays}, ${th.floorDailyUsd})`,
      );
      const ratio = b.derive(
        `period${k}Ratio`,
        spend / th.spikeDays / daily,
        2,
        `(spike $ / ${th.spikeDays}) / own daily $`,
      );
      maxRatio = Math.max(maxRatio, ratio);
      b.check(`close ${close}: ratio`, roundTo(ratio, 2), '≥', th.minRatio);
      b.check(
        `close ${close}: excess $ over the own rate`,
        roundTo(spend - th.spikeDays * daily, 2),
        '≥',
        th.minExcessUsd,
      );
      const excess = spend - th.spikeDays * daily;
      const wasteDaily = b.derive(
        `period${k}OwnDailyWasteUsd`,
        sum(
          base.filter((s) => s.waste),
          (s) => s.costUsd,
        ) / th.baseDays,
        2,
        `Σ costUsd of the sessions in the ${th.baseDays} days before the spike marked waste / ${th.baseDays}`,
      );
      const excessWaste = b.derive(
        `period${k}ExcessWasteShare`,
        excess > 0 ? (waste - th.spikeDays * wasteDaily) / excess : 0,
        3,
        `(spike waste $ − ${th.spikeDays} × own daily waste $) / (spike $ − ${th.spikeDays} × own daily $)`,
      );
      // The person's own swings: each run of spikeDays consecutive base days, log scale.
      const pad = th.spikeDays * th.floorDailyUsd;
      const runs: number[] = [];
      for (let d = 0; d + th.spikeDays <= th.baseDays; d++) {
        const from = baseFrom + d * DAY_MS;
        const until = from + th.spikeDays * DAY_MS;
        runs.push(
          Math.log(
            sum(
              base.filter((s) => s.firstTs >= from && s.firstTs < until),
              (s) => s.costUsd,
            ) + pad,
          ),
        );
      }
      const own = robustZ(Math.log(spend + pad), runs, { minSample: 5, madFloor: 0.3 }).z;
      const ownZ = b.derive(
        `period${k}OwnZ`,
        own ?? 0,
        2,
        `robust z of log(spike $ + ${pad}) against log(Σ costUsd + ${pad}) of each ${th.spikeDays} consecutive days of the ${th.baseDays} before the spike (MAD floor 0.3)`,
      );
      const peerZ = f.evidence.numbers[`period${k}PeerZ`] ?? null;
      b.check(
        `close ${close}: waste share of the excess`,
        excess > 0 ? roundTo(excessWaste, 3) : null,
        '≥',
        th.minExcessWasteShare,
      );
      b.check(`close ${close}: robust z against the peers`, peerZ, '≥', th.minPeerZ);
      b.derive(
        `period${k}CombinedZ`,
        peerZ === null ? 0 : (ownZ + peerZ) / Math.SQRT2,
        2,
        '(own z + peer z) / √2',
      );
      b.check(
        `close ${close}: (own z + peer z) / √2`,
        peerZ === null ? null : roundTo((ownZ + peerZ) / Math.SQRT2, 2),
        '≥',
        th.minCombinedZ,
      );
      b.note(`period${k}PeerMedianRatio`, 'exp(median of log(ratio)) of the peers at the same close');
      b.note(`period${k}PeerZ`, PEER_Z('value is log(its ratio at that close)', 0.3));
    }
    b.derive('maxRatio', maxRatio, 2, 'the largest ratio above');
    return {
      rule: 'Daily spend jumped before a board period closed, the spend above the own rate bought nothing durable, and the jump stands out from the person’s own swings and the peers’ jump together.',
      wasteHow: `Σ over the closes of min(spike waste − ${th.spikeDays} × own daily waste $, spike − ${th.spikeDays} × own daily $)`,
    };
  },
  no_edit_sessions(f, rows, th, b) {
    const hits = named(f, rows);
    b.derive('sessions', hits.length, 0, 'sessions named');
    const cost = b.derive(
      'costUsd',
      sum(hits, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions named',
    );
    const spend = b.derive(
      'spendUsd',
      sum(rows.window, (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions in the window',
    );
    b.derive('share', spend > 0 ? cost / spend : 0, 3, 'costUsd / spendUsd');
    const cutoff = f.evidence.numbers.cutoffUsd ?? 0;
    for (const s of hits) {
      b.check(
        `${s.sessionId}: cost $ (cut-off)`,
        roundTo(s.costUsd, 2),
        '≥',
        Math.max(cutoff, th.minSessionUsd),
      );
      b.check(`${s.sessionId}: touched code (0 = no)`, s.touchedCode ? 1 : 0, '≤', 0);
    }
    b.check('such sessions', hits.length, '≥', th.minSessions);
    b.check('their share of spend', spend > 0 ? roundTo(cost / spend, 3) : null, '≥', th.minShare);
    b.note('groupMedianSessionUsd', 'exp(median log cost) of every session of the peer group in the window');
    b.note('groupScaleLog', '1.4826 × max(MAD of those log costs, 0.25)');
    b.note('cutoffUsd', `exp(median + ${th.minSessionZ} × scale)`);
    return {
      rule: 'Sessions far costlier than the group’s usual session that touched no code.',
      wasteHow: 'the cost of the sessions named',
    };
  },
  churn(f, rows, th, b) {
    const ai = rows.shipped.filter((c) => c.aiAssisted && !c.isRevert);
    const churned = (c: ExplainedChange) =>
      c.revertedBy !== null || c.rolledBackIn !== null || c.incidentIds.length > 0;
    const gone = ai.filter(churned);
    b.derive('aiChanges', ai.length, 0, 'AI-assisted changes shipped in the window, reverts excluded');
    b.derive(
      'churnedChanges',
      gone.length,
      0,
      'those reverted within 14 days, rolled back or named by an incident',
    );
    const rate = b.derive(
      'churnedLineShare',
      sum(gone, lines) / Math.max(1, sum(ai, lines)),
      3,
      'Σ lines of the churned / Σ lines of all of them (lines = max(1, additions + deletions))',
    );
    b.derive('reverted', gone.filter((c) => c.revertedBy !== null).length, 0, 'churned by a revert');
    b.derive('rolledBack', gone.filter((c) => c.rolledBackIn !== null).length, 0, 'churned by a rollback');
    b.derive('incidents', gone.filter((c) => c.incidentIds.length > 0).length, 0, 'named by an incident');
    b.derive(
      'linkedSessionCostUsd',
      sum(named(f, rows), (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions named (linked to the churned changes)',
    );
    b.check('AI-assisted changes', ai.length, '≥', th.minChanges);
    b.check('churned', gone.length, '≥', th.minChurned);
    b.check('churned line share', roundTo(rate, 3), '≥', th.minRate);
    b.check('robust z against the peers', f.evidence.numbers.peerZ ?? null, '≥', th.minPeerZ);
    b.note('peerMedianLineShare', 'median churned line share of the peers with enough AI-assisted changes');
    b.note('peerZ', PEER_Z('value is its churned line share', 0.05));
    return {
      rule: 'AI-assisted changes reverted or rolled back soon after shipping, far more than the peers’.',
      wasteHow: 'the cost of the sessions linked to the churned changes',
    };
  },
  tiny_prs(f, rows, th, b) {
    const prs = rows.shipped.filter((c) => c.kind === 'pull_request');
    const tiny = prs.filter((c) => c.selfMerged && c.additions + c.deletions <= th.tinyLines);
    b.derive('mergedPrs', prs.length, 0, 'PRs of the person merged in the window');
    b.derive(
      'tinySelfMerged',
      tiny.length,
      0,
      `those merged by their author with no other approval and ≤ ${th.tinyLines} lines`,
    );
    b.derive('share', tiny.length / Math.max(1, prs.length), 3, 'tinySelfMerged / mergedPrs');
    b.derive(
      'meanLines',
      tiny.length > 0 ? sum(tiny, (c) => c.additions + c.deletions) / tiny.length : 0,
      1,
      'mean additions + deletions of those',
    );
    b.derive(
      'linkedSessionCostUsd',
      sum(named(f, rows), (s) => s.costUsd),
      2,
      'Σ costUsd of the sessions named (linked to those PRs)',
    );
    b.check('tiny self-merged PRs', tiny.length, '≥', th.minCount);
    b.check('their share of merged PRs', roundTo(tiny.length / Math.max(1, prs.length), 3), '≥', th.minShare);
    b.check('robust z against the peers', f.evidence.numbers.peerZ ?? null, '≥', th.minPeerZ);
    b.note('peerMedianTinySelfMerged', 'median count among the peers');
    b.note('peerZ', PEER_Z('value is log(1 + its count)', 0.35));
    return {
      rule: 'Many tiny PRs merged by their author without review, far more than the peers.',
      wasteHow: 'the cost of the sessions linked to those PRs',
    };
  },
};

function explainFinding<S extends SignalId>(
  f: Finding & { signal: S },
  rows: Rows,
  options: ExplainOptions,
): ExplainedFinding {
  const b = new Builder(f);
  const { rule, wasteHow } = (EXPLAIN[f.signal] as Explainer<S>)(f, rows, thresholdsOf(f.signal, options), b);
  return {
    signal: f.signal,
    severity: f.severity,
    reason: f.reason,
    peerGroup: f.peerGroup,
    rule,
    derivations: b.derivations,
    checks: b.checks,
    context: b.context,
    sessionIds: f.evidence.sessionIds,
    changeIds: f.evidence.changeIds,
    commitShas: f.evidence.commitShas,
    wastedUsd: f.wastedUsd,
    wasteHow,
  };
}

function sqlList(values: readonly string[]): string {
  return values.length === 0 ? "''" : values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
}

/** Everything `flag` rests on, from the model it was computed on (see the module comment). */
export function explainFlag(model: ValueModel, flag: Flag, options: ExplainOptions = {}): FlagExplanation {
  const ctx = integrityContext(model, { ...options, window: flag.window });
  const person = flag.personId;
  const namedSessions = new Map<string, Set<SignalId>>();
  const namedChanges = new Map<string, Set<SignalId>>();
  const mark = (map: Map<string, Set<SignalId>>, id: string, s: SignalId) => {
    const set = map.get(id);
    if (set) set.add(s);
    else map.set(id, new Set([s]));
  };
  for (const f of flag.findings) {
    for (const id of f.evidence.sessionIds) mark(namedSessions, id, f.signal);
    for (const id of f.evidence.changeIds) mark(namedChanges, id, f.signal);
  }

  const windowIdx = ctx.sessionsOf.get(person) ?? [];
  const indexes = new Set(windowIdx);
  if (flag.signals.includes('deadline_spikes')) {
    const th = thresholdsOf('deadline_spikes', options);
    const from = Math.min(...ctx.periodEnds) - (th.spikeDays + th.baseDays) * DAY_MS;
    for (const i of ctx.baselineSessionsOf.get(person) ?? [])
      if (model.sessions[i]!.firstTs >= from) indexes.add(i);
  }
  // A named session outside the window (none today) would still be shown.
  const wanted = new Set(namedSessions.keys());
  for (const i of indexes) wanted.delete(model.sessions[i]!.sessionId);
  if (wanted.size > 0)
    model.sessions.forEach((s, i) => {
      if (wanted.has(s.sessionId)) indexes.add(i);
    });

  const sessions: ExplainedSession[] = [...indexes]
    .sort((a, b) => model.sessions[a]!.firstTs - model.sessions[b]!.firstTs || a - b)
    .map((i) => {
      const s = model.sessions[i]!;
      return {
        sessionId: s.sessionId,
        tool: s.tool,
        firstTs: s.firstTs,
        lastTs: s.lastTs,
        calls: s.calls,
        prompts: s.prompts,
        costUsd: s.costUsd,
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        cacheReadTokens: s.cacheReadTokens,
        cacheWriteTokens: s.cacheWriteTokens,
        edits: s.edits,
        linesAdded: s.linesAdded,
        linesRemoved: s.linesRemoved,
        commitShas: s.commitShas,
        prUrls: s.prUrls,
        gitBranch: s.gitBranch,
        cwd: s.cwd,
        outcome: outcomeOf(ctx, i),
        touchedCode: touchedCode(ctx, i),
        waste: isWaste(ctx, i),
        unpromptedHours: unpromptedMs(s) / HOUR,
        promptFingerprints: fingerprintsOf(ctx, i),
        inWindow: s.firstTs >= flag.window.from && s.firstTs < flag.window.until,
        namedBy: [...(namedSessions.get(s.sessionId) ?? [])],
      };
    });

  const changeIdx = new Set(ctx.shippedOf.get(person) ?? []);
  const wantedChanges = new Set(namedChanges.keys());
  for (const i of changeIdx) wantedChanges.delete(model.facts[i]!.change.id);
  if (wantedChanges.size > 0)
    model.facts.forEach((f, i) => {
      if (wantedChanges.has(f.change.id)) changeIdx.add(i);
    });
  const changes: ExplainedChange[] = [...changeIdx]
    .sort((a, b) => (model.facts[a]!.shippedAt ?? 0) - (model.facts[b]!.shippedAt ?? 0) || a - b)
    .map((i) => {
      const f = model.facts[i]!;
      const c = f.change;
      return {
        id: c.id,
        kind: c.kind,
        repo: c.repo,
        number: c.pr?.number ?? null,
        sha: c.commit?.sha ?? null,
        title: c.pr?.title ?? null,
        author: c.pr?.author ?? c.commit?.authorEmail ?? null,
        mergedBy: c.pr?.mergedBy ?? null,
        approvers: c.pr?.approvers ?? [],
        mergeCommitSha: c.pr?.mergeCommitSha ?? null,
        shippedAt: f.shippedAt,
        additions: f.additions,
        deletions: f.deletions,
        selfMerged: f.selfMerged,
        trivial: f.trivial,
        aiAssisted: f.aiAssisted,
        isRevert: f.isRevert,
        durable: f.durable,
        qualifying: f.qualifying,
        revertedBy: f.revertedBy ? { sha: f.revertedBy.sha, at: f.revertedBy.at } : null,
        rolledBackIn: f.rolledBackIn,
        incidentIds: f.incidentIds,
        namedBy: [...(namedChanges.get(c.id) ?? [])],
      };
    });

  const rows: Rows = {
    ctx,
    window: sessions.filter((s) => s.inWindow),
    byId: new Map(sessions.map((s) => [s.sessionId, s])),
    shipped: changes.filter(
      (c) => c.shippedAt !== null && c.shippedAt >= flag.window.from && c.shippedAt < flag.window.until,
    ),
    changeById: new Map(changes.map((c) => [c.id, c])),
  };

  const ids = sessions.map((s) => s.sessionId);
  const prIds = changes.filter((c) => c.kind === 'pull_request').map((c) => c.id);
  const commitIds = changes.filter((c) => c.kind === 'commit').map((c) => c.id);
  const revertShas = changes.flatMap((c) => (c.revertedBy ? [c.revertedBy.sha] : []));
  return {
    flag,
    periodEnds: ctx.periodEnds,
    findings: flag.findings.map((f) => explainFinding(f, rows, options)),
    sessions,
    changes,
    reproduce: {
      sessions:
        'SELECT coalesce(parent_session_id, session_id) AS session, count(*) AS calls, sum(cost_usd) AS cost_usd, ' +
        'sum(input_uncached) AS input, sum(output) AS output, sum(cache_read) AS cache_read, min(ts) AS first, max(ts) AS last ' +
        `FROM usage WHERE NOT superseded AND coalesce(parent_session_id, session_id) IN (${sqlList(ids)}) GROUP BY 1 ORDER BY first`,
      activity:
        "SELECT session_id, kind, name, count(*) AS n, sum(lines_added) AS added, sum(lines_removed) AS removed, string_agg(DISTINCT ref, ' ') AS refs " +
        `FROM activity WHERE session_id IN (${sqlList(ids)}) AND NOT (kind = 'prompt' AND is_subagent) GROUP BY ALL ORDER BY 1, 2, 3`,
      changes:
        `SELECT id, number, author, additions, deletions, merged_by, approvers, merged_at, merge_commit_sha FROM pull_requests WHERE id IN (${sqlList(prIds)}); ` +
        `SELECT id, sha, additions, deletions, reverts_sha, committer_ts FROM commits WHERE id IN (${sqlList(commitIds)}) OR sha IN (${sqlList(revertShas)})`,
    },
  };
}
