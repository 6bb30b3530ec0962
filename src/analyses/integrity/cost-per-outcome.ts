/**
 * Cost-per-outcome outliers: dollars per qualifying durable change far above the peer group's,
 * on a log scale. A heavy user who ships in proportion to what they spend has an ordinary cost
 * per outcome, which is why this, and not spend, is compared. The person's own baseline (the
 * weeks before the window) is reported beside it and raises the severity when it agrees.
 * Being expensive is not misconduct (a harder task, a pricier model), so a peer outlier alone is
 * `low` — something to watch, which raises a flag only beside another signal; it is `medium`
 * when the cost is also a large multiple of the peers' and the person's own baseline agrees (or
 * there is none), `high` at a larger multiple. People with no outcome at all are the business of
 * `spend_without_outcomes`.
 * @module
 */

import { WEEK_MS } from '../value/time.js';
import { costOf, type IntegrityContext, peersOf } from './context.js';
import { robustZ } from './stats.js';
import { evidence, type Finding, round, type Severity } from './types.js';

export interface CostPerOutcomeThresholds {
  /** Qualifying durable changes in the window: fewer and a ratio is noise. */
  minOutcomes: number;
  minSpendUsd: number;
  /** Robust z of log($ per outcome) against the peer group. */
  minPeerZ: number;
  /** Robust z against the person's own baseline weeks that makes the finding high. */
  ownZ: number;
  /** Baseline weeks with an outcome needed to compare with oneself. */
  minBaselineWeeks: number;
  /** Multiples of the peer median cost per outcome for `medium` and `high`. */
  mediumMultiple: number;
  highMultiple: number;
}

export const COST_PER_OUTCOME: CostPerOutcomeThresholds = {
  minOutcomes: 3,
  minSpendUsd: 20,
  minPeerZ: 3.5,
  ownZ: 3,
  minBaselineWeeks: 4,
  mediumMultiple: 4,
  highMultiple: 8,
};

export function costPerOutcome(
  ctx: IntegrityContext,
  th: CostPerOutcomeThresholds = COST_PER_OUTCOME,
): Finding[] {
  const { model } = ctx;
  const stats = new Map<string, { spend: number; outcomes: number[] }>();
  for (const p of ctx.people) {
    const outcomes = (ctx.shippedOf.get(p) ?? []).filter((i) => model.facts[i]!.qualifying);
    stats.set(p, { spend: costOf(ctx, ctx.sessionsOf.get(p) ?? []), outcomes });
  }
  const eligible = (p: string) => {
    const s = stats.get(p)!;
    return s.outcomes.length >= th.minOutcomes && s.spend >= th.minSpendUsd;
  };
  const logCpo = (p: string) => {
    const s = stats.get(p)!;
    return Math.log(s.spend / s.outcomes.length);
  };
  const out: Finding[] = [];
  for (const p of ctx.people) {
    if (!eligible(p)) continue;
    const { group, peers } = peersOf(ctx, p, eligible);
    const cmp = robustZ(logCpo(p), peers.map(logCpo), { minSample: ctx.minPeers, madFloor: 0.2 });
    if (cmp.z === null || cmp.z < th.minPeerZ) continue;
    const s = stats.get(p)!;
    const cpo = s.spend / s.outcomes.length;
    const peerCpo = Math.exp(cmp.median!);
    const own = ownBaseline(ctx, p, cpo, th);
    const multiple = cpo / peerCpo;
    const ownAgrees = own.z === null || own.z >= th.ownZ;
    const severity: Severity =
      multiple >= th.highMultiple && ownAgrees
        ? 'high'
        : multiple >= th.mediumMultiple && ownAgrees
          ? 'medium'
          : 'low';
    out.push({
      signal: 'cost_per_outcome',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity,
      reason:
        `$${round(cpo)} per durable change against a peer median of $${round(peerCpo)} ` +
        `(${round(cmp.z, 1)} MADs above, log scale)`,
      evidence: evidence(
        {
          spendUsd: round(s.spend),
          outcomes: s.outcomes.length,
          costPerOutcomeUsd: round(cpo),
          peerMedianCostPerOutcomeUsd: round(peerCpo),
          peerMultiple: round(multiple, 2),
          peerZ: round(cmp.z, 2),
          peerMadLog: cmp.mad === null ? null : round(cmp.mad, 3),
          peers: cmp.n,
          baselineMedianWeeklyCostPerOutcomeUsd: own.median === null ? null : round(Math.exp(own.median)),
          ownZ: own.z === null ? null : round(own.z, 2),
          thresholdPeerZ: th.minPeerZ,
        },
        { changeIds: s.outcomes.map((i) => model.facts[i]!.change.id) },
      ),
      wastedUsd: round(Math.max(0, s.spend - s.outcomes.length * peerCpo)),
    });
  }
  return out;
}

/** The person's weekly $ per outcome over their baseline weeks (weeks with an outcome only). */
function ownBaseline(
  ctx: IntegrityContext,
  person: string,
  cpo: number,
  th: CostPerOutcomeThresholds,
): { z: number | null; median: number | null } {
  const { model, baseline } = ctx;
  const spend = new Map<number, number>();
  const outcomes = new Map<number, number>();
  const week = (ts: number) => Math.floor((ts - baseline.from) / WEEK_MS);
  for (const i of ctx.baselineSessionsOf.get(person) ?? []) {
    const s = model.sessions[i]!;
    const w = week(s.firstTs);
    spend.set(w, (spend.get(w) ?? 0) + s.costUsd);
  }
  for (const i of ctx.baselineShippedOf.get(person) ?? []) {
    const f = model.facts[i]!;
    if (!f.qualifying) continue;
    const w = week(f.shippedAt!);
    outcomes.set(w, (outcomes.get(w) ?? 0) + 1);
  }
  const sample: number[] = [];
  for (const [w, n] of outcomes) {
    const usd = spend.get(w) ?? 0;
    if (usd > 0) sample.push(Math.log(usd / n));
  }
  const cmp = robustZ(Math.log(cpo), sample, { minSample: th.minBaselineWeeks, madFloor: 0.3 });
  return { z: cmp.z, median: cmp.median };
}
