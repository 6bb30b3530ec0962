/**
 * Sessions with no edits at high spend: sessions that touched no code yet cost far more than
 * the peer group's sessions usually do (robust z of log cost). Questions and explanations are
 * honest work and cheap; an expensive session that changed nothing, again and again and making
 * up a real part of the person's spend, is not. The group's distribution is computed once per
 * group with everyone in it: one person's sessions are a small part of a group of five or more.
 * @module
 */
import { costOf, type IntegrityContext, idsOf, ORG, touchedCode } from './context.js';
import { mad, median } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface NoEditThresholds {
  /** Robust z of log(session cost) against the group's sessions. */
  minSessionZ: number;
  minSessionUsd: number;
  minSessions: number;
  /** Their cost / the person's spend in the window. */
  minShare: number;
}

export const NO_EDIT_SESSIONS: NoEditThresholds = {
  minSessionZ: 3,
  minSessionUsd: 2,
  minSessions: 3,
  minShare: 0.2,
};

interface Dist {
  median: number;
  scale: number;
  sessions: number;
}

function dist(ctx: IntegrityContext, people: readonly string[]): Dist | null {
  const logs: number[] = [];
  for (const p of people)
    for (const i of ctx.sessionsOf.get(p) ?? []) {
      const c = ctx.model.sessions[i]!.costUsd;
      if (c > 0) logs.push(Math.log(c));
    }
  if (logs.length < 20) return null;
  const m = median(logs)!;
  return { median: m, scale: 1.4826 * Math.max(mad(logs, m)!, 0.25), sessions: logs.length };
}

export function noEditSessions(ctx: IntegrityContext, th: NoEditThresholds = NO_EDIT_SESSIONS): Finding[] {
  const dists = new Map<string, Dist | null>();
  dists.set(ORG, dist(ctx, ctx.people));
  for (const [team, members] of ctx.teamMembers)
    if (team !== ORG && members.length >= ctx.minPeers) dists.set(team, dist(ctx, members));
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const team = ctx.teamOf.get(p) ?? ORG;
    const group = dists.get(team) ? team : ORG;
    const d = dists.get(group);
    if (!d) continue;
    const sessions = ctx.sessionsOf.get(p) ?? [];
    const hits = sessions.filter((i) => {
      const c = ctx.model.sessions[i]!.costUsd;
      return (
        c >= th.minSessionUsd && (Math.log(c) - d.median) / d.scale >= th.minSessionZ && !touchedCode(ctx, i)
      );
    });
    if (hits.length < th.minSessions) continue;
    const cost = costOf(ctx, hits);
    const spend = costOf(ctx, sessions);
    if (cost < th.minShare * spend) continue;
    const cutoff = Math.exp(d.median + th.minSessionZ * d.scale);
    out.push({
      signal: 'no_edit_sessions',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: cost >= 0.5 * spend ? 'high' : 'medium',
      reason:
        `${hits.length} sessions cost $${round(cost)} (${round((cost / spend) * 100, 0)}% of spend), ` +
        `each over $${round(cutoff)} (the group's session median is $${round(Math.exp(d.median))}), and touched no code`,
      evidence: evidence(
        {
          sessions: hits.length,
          costUsd: round(cost),
          spendUsd: round(spend),
          share: round(cost / spend, 3),
          groupMedianSessionUsd: round(Math.exp(d.median)),
          groupScaleLog: round(d.scale, 3),
          groupSessions: d.sessions,
          cutoffUsd: round(cutoff),
          thresholdSessionZ: th.minSessionZ,
        },
        { sessionIds: idsOf(ctx, hits), wastedSessionIds: idsOf(ctx, hits) },
      ),
      wastedUsd: round(cost),
    });
  }
  return out;
}
