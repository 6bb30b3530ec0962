/**
 * Spend without durable outcomes: most of a person's AI spend in the window went into sessions
 * that led to no qualifying durable change, a share far above their peers'. Everyone explores
 * and abandons some work, so the share is compared with the peers' shares rather than with a
 * fixed line; and the share, not the dollars, is compared, because a heavy user who ships wastes
 * more dollars than a light one at the same share.
 * @module
 */
import { costOf, type IntegrityContext, idsOf, isWaste, peersOf } from './context.js';
import { robustZ } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface NoOutcomeSpendThresholds {
  /** Sessions in the window below which a share means little. */
  minSessions: number;
  minWasteUsd: number;
  /** Waste / spend. */
  minShare: number;
  /** Robust z of the waste share against the peers' shares. */
  minPeerZ: number;
}

export const NO_OUTCOME_SPEND: NoOutcomeSpendThresholds = {
  minSessions: 5,
  minWasteUsd: 10,
  minShare: 0.6,
  minPeerZ: 3,
};

interface Totals {
  spend: number;
  waste: number;
  sessions: number;
}

function totals(ctx: IntegrityContext, sessions: readonly number[] | undefined): Totals {
  const t = { spend: 0, waste: 0, sessions: sessions?.length ?? 0 };
  for (const i of sessions ?? []) {
    const c = ctx.model.sessions[i]!.costUsd;
    t.spend += c;
    if (isWaste(ctx, i)) t.waste += c;
  }
  return t;
}

export function spendWithoutOutcomes(
  ctx: IntegrityContext,
  th: NoOutcomeSpendThresholds = NO_OUTCOME_SPEND,
): Finding[] {
  const all = new Map<string, Totals>();
  for (const p of ctx.people) all.set(p, totals(ctx, ctx.sessionsOf.get(p)));
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const t = all.get(p)!;
    if (t.sessions < th.minSessions || t.waste < th.minWasteUsd) continue;
    const share = t.waste / t.spend;
    if (share < th.minShare) continue;
    const { group, peers } = peersOf(
      ctx,
      p,
      (q) => all.get(q)!.sessions >= th.minSessions && all.get(q)!.spend > 0,
    );
    const cmp = robustZ(
      share,
      peers.map((q) => all.get(q)!.waste / all.get(q)!.spend),
      { minSample: ctx.minPeers, madFloor: 0.05 },
    );
    if (cmp.z === null || cmp.z < th.minPeerZ) continue;
    const peerShare = cmp.median!;
    const base = totals(ctx, ctx.baselineSessionsOf.get(p));
    const wasteSessions = (ctx.sessionsOf.get(p) ?? []).filter((i) => isWaste(ctx, i));
    const wastedUsd = Math.max(0, t.waste - peerShare * t.spend);
    out.push({
      signal: 'spend_without_outcomes',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: share >= 0.85 && cmp.z >= 1.5 * th.minPeerZ ? 'high' : 'medium',
      reason:
        `${round(share * 100, 0)}% of $${round(t.spend)} AI spend led to no durable change ` +
        `(peer median ${round(peerShare * 100, 0)}%, ${round(cmp.z, 1)} MADs above)`,
      evidence: evidence(
        {
          spendUsd: round(t.spend),
          wasteUsd: round(t.waste),
          wasteShare: round(share, 3),
          peerMedianWasteShare: round(peerShare, 3),
          peerZ: round(cmp.z, 2),
          peerMadWasteShare: cmp.mad === null ? null : round(cmp.mad, 3),
          peers: cmp.n,
          baselineWasteShare: base.spend > 0 ? round(base.waste / base.spend, 3) : null,
          thresholdShare: th.minShare,
          thresholdPeerZ: th.minPeerZ,
        },
        { sessionIds: idsOf(ctx, wasteSessions) },
      ),
      wastedUsd: round(Math.min(wastedUsd, costOf(ctx, wasteSessions))),
    });
  }
  return out;
}
