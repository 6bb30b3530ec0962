/**
 * Churn: AI-assisted changes that were thrown away soon after shipping — reverted within the
 * revert horizon (14 days), or shipped in a deployment that was rolled back or caused an
 * incident. Generating code that is merged and then undone inflates AI output while delivering
 * nothing. Line deletions found by `git blame` would catch quieter churn; line survival is not
 * computed yet (docs/metrics.md), so this signal sees reverts and rollbacks only.
 * @module
 */
import type { ChangeFacts } from '../value/model.js';
import { costOf, type IntegrityContext, idsOf, peersOf, sessionsLinkedTo } from './context.js';
import { robustZ } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface ChurnThresholds {
  /** AI-assisted shipped changes in the window. */
  minChanges: number;
  /** Churned ones. */
  minChurned: number;
  /** Churned lines / shipped lines. */
  minRate: number;
  /** Robust z of the rate against peers' rates (a rate is already a scale; no log). */
  minPeerZ: number;
}

export const CHURN: ChurnThresholds = {
  minChanges: 4,
  minChurned: 3,
  minRate: 0.25,
  minPeerZ: 3,
};

const churned = (f: ChangeFacts) =>
  f.revertedBy !== null || f.rolledBackIn !== null || f.incidentIds.length > 0;
const lines = (f: ChangeFacts) => Math.max(1, f.additions + f.deletions);

interface PersonChurn {
  changes: number[];
  churned: number[];
  rate: number;
}

export function churn(ctx: IntegrityContext, th: ChurnThresholds = CHURN): Finding[] {
  const { model } = ctx;
  const all = new Map<string, PersonChurn>();
  for (const p of ctx.people) {
    const changes = (ctx.shippedOf.get(p) ?? []).filter((i) => {
      const f = model.facts[i]!;
      return f.aiAssisted && !f.isRevert;
    });
    const gone = changes.filter((i) => churned(model.facts[i]!));
    const total = changes.reduce((a, i) => a + lines(model.facts[i]!), 0);
    const lost = gone.reduce((a, i) => a + lines(model.facts[i]!), 0);
    all.set(p, { changes, churned: gone, rate: total > 0 ? lost / total : 0 });
  }
  const eligible = (p: string) => all.get(p)!.changes.length >= th.minChanges;
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const c = all.get(p)!;
    if (!eligible(p) || c.churned.length < th.minChurned || c.rate < th.minRate) continue;
    const { group, peers } = peersOf(ctx, p, eligible);
    const cmp = robustZ(
      c.rate,
      peers.map((q) => all.get(q)!.rate),
      { minSample: ctx.minPeers, madFloor: 0.05 },
    );
    if (cmp.z === null || cmp.z < th.minPeerZ) continue;
    const facts = c.churned.map((i) => model.facts[i]!);
    const sessions = sessionsLinkedTo(ctx, ctx.sessionsOf.get(p) ?? [], new Set(c.churned));
    const cost = costOf(ctx, sessions);
    const shas = facts.flatMap((f) => (f.revertedBy ? [f.revertedBy.sha] : []));
    out.push({
      signal: 'churn',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: c.rate >= 0.5 || cmp.z >= 2 * th.minPeerZ ? 'high' : 'medium',
      reason:
        `${c.churned.length} of ${c.changes.length} AI-assisted changes (${round(c.rate * 100, 0)}% of their lines) ` +
        `were reverted or rolled back soon after shipping (peer median ${round((cmp.median ?? 0) * 100, 0)}%)`,
      evidence: evidence(
        {
          aiChanges: c.changes.length,
          churnedChanges: c.churned.length,
          churnedLineShare: round(c.rate, 3),
          reverted: facts.filter((f) => f.revertedBy !== null).length,
          rolledBack: facts.filter((f) => f.rolledBackIn !== null).length,
          incidents: facts.filter((f) => f.incidentIds.length > 0).length,
          peerMedianLineShare: cmp.median === null ? null : round(cmp.median, 3),
          peerZ: round(cmp.z, 2),
          linkedSessionCostUsd: round(cost),
          thresholdRate: th.minRate,
          thresholdPeerZ: th.minPeerZ,
        },
        {
          sessionIds: idsOf(ctx, sessions),
          changeIds: facts.map((f) => f.change.id),
          commitShas: shas,
          wastedSessionIds: idsOf(ctx, sessions),
        },
      ),
      wastedUsd: round(cost),
    });
  }
  return out;
}
