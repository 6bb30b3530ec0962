/**
 * Many tiny self-merged PRs: work cut into slivers and merged without review. With the default
 * per-change split of normalised deployments (docs/metrics.md), more changes per deployment
 * mean a bigger share; self-merged and trivial changes earn nothing, but the habit still makes
 * every change count and review meaningless. Everyone merges a one-line fix alone now and then,
 * which is why the count is compared with peers and must be a large part of the person's PRs.
 * @module
 */
import { costOf, type IntegrityContext, idsOf, peersOf, sessionsLinkedTo } from './context.js';
import { log1p, median, robustZ } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface TinyPrThresholds {
  /** Added + deleted lines at most this is tiny. */
  tinyLines: number;
  minCount: number;
  /** Tiny self-merged / the person's merged PRs. */
  minShare: number;
  /** Robust z of log(1 + count) against the peer group. */
  minPeerZ: number;
}

export const TINY_PRS: TinyPrThresholds = {
  tinyLines: 20,
  minCount: 8,
  minShare: 0.4,
  minPeerZ: 3,
};

export function tinyPrs(ctx: IntegrityContext, th: TinyPrThresholds = TINY_PRS): Finding[] {
  const { model } = ctx;
  const all = new Map<string, { prs: number; tiny: number[] }>();
  for (const p of ctx.people) {
    const prs = (ctx.shippedOf.get(p) ?? []).filter((i) => model.facts[i]!.change.kind === 'pull_request');
    const tiny = prs.filter((i) => {
      const f = model.facts[i]!;
      return f.selfMerged && f.additions + f.deletions <= th.tinyLines;
    });
    all.set(p, { prs: prs.length, tiny });
  }
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const t = all.get(p)!;
    if (t.tiny.length < th.minCount || t.tiny.length < th.minShare * t.prs) continue;
    const { group, peers } = peersOf(ctx, p);
    const cmp = robustZ(
      log1p(t.tiny.length),
      peers.map((q) => log1p(all.get(q)!.tiny.length)),
      { minSample: ctx.minPeers, madFloor: 0.35 },
    );
    if (cmp.z === null || cmp.z < th.minPeerZ) continue;
    const facts = t.tiny.map((i) => model.facts[i]!);
    const sessions = sessionsLinkedTo(ctx, ctx.sessionsOf.get(p) ?? [], new Set(t.tiny));
    const cost = costOf(ctx, sessions);
    const lines = facts.reduce((a, f) => a + f.additions + f.deletions, 0);
    out.push({
      signal: 'tiny_prs',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: t.tiny.length >= 3 * th.minCount || t.tiny.length >= 0.75 * t.prs ? 'high' : 'medium',
      reason:
        `${t.tiny.length} of ${t.prs} merged PRs were ≤ ${th.tinyLines} lines and merged by their author ` +
        `without another approval (peer median ${median(peers.map((q) => all.get(q)!.tiny.length)) ?? 0})`,
      evidence: evidence(
        {
          mergedPrs: t.prs,
          tinySelfMerged: t.tiny.length,
          share: round(t.tiny.length / Math.max(1, t.prs), 3),
          meanLines: round(lines / t.tiny.length, 1),
          peerMedianTinySelfMerged: median(peers.map((q) => all.get(q)!.tiny.length)),
          peerZ: round(cmp.z, 2),
          linkedSessionCostUsd: round(cost),
          thresholdLines: th.tinyLines,
          thresholdCount: th.minCount,
        },
        {
          sessionIds: idsOf(ctx, sessions),
          changeIds: facts.map((f) => f.change.id),
          commitShas: facts.flatMap((f) => (f.change.pr?.mergeCommitSha ? [f.change.pr.mergeCommitSha] : [])),
          wastedSessionIds: idsOf(ctx, sessions),
        },
      ),
      wastedUsd: round(cost),
    });
  }
  return out;
}
