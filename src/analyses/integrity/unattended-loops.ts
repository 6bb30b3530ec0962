/**
 * Unattended loops: sessions that kept calling the model for hours with no human prompt and
 * touched no code — an agent left running (overnight, in a loop) to burn tokens. A session
 * summary has no per-prompt times, so the longest stretch without a prompt is bounded from
 * below: `prompts` prompts split the session into `prompts + 1` stretches, so one of them is at
 * least (last − first) / (prompts + 1) long. An honest long agent run edits or commits, and
 * that alone keeps it out.
 * @module
 */
import { costOf, type IntegrityContext, idsOf, peersOf, touchedCode } from './context.js';
import { median } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface LoopThresholds {
  minCalls: number;
  /** Session length. */
  minDurationMs: number;
  /** Lower bound on the longest stretch without a human prompt. */
  minUnpromptedMs: number;
  /** Loop sessions in the window: one failed run is an accident, not a habit. */
  minSessions: number;
  minCostUsd: number;
}

const HOUR = 3_600_000;

export const UNATTENDED_LOOPS: LoopThresholds = {
  minCalls: 100,
  minDurationMs: 2 * HOUR,
  minUnpromptedMs: 1.5 * HOUR,
  minSessions: 2,
  minCostUsd: 10,
};

/** The lower bound on the longest stretch without a human prompt (see the module comment). */
export function unpromptedMs(s: { firstTs: number; lastTs: number; prompts: number }): number {
  return (s.lastTs - s.firstTs) / (s.prompts + 1);
}

export function isLoopSession(
  ctx: IntegrityContext,
  i: number,
  th: LoopThresholds = UNATTENDED_LOOPS,
): boolean {
  const s = ctx.model.sessions[i]!;
  return (
    s.calls >= th.minCalls &&
    s.lastTs - s.firstTs >= th.minDurationMs &&
    unpromptedMs(s) >= th.minUnpromptedMs &&
    !touchedCode(ctx, i)
  );
}

export function unattendedLoops(ctx: IntegrityContext, th: LoopThresholds = UNATTENDED_LOOPS): Finding[] {
  const loops = new Map<string, number[]>();
  for (const p of ctx.people)
    loops.set(
      p,
      (ctx.sessionsOf.get(p) ?? []).filter((i) => isLoopSession(ctx, i, th)),
    );
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const mine = loops.get(p)!;
    const cost = costOf(ctx, mine);
    if (mine.length < th.minSessions || cost < th.minCostUsd) continue;
    const spend = costOf(ctx, ctx.sessionsOf.get(p) ?? []);
    const { group, peers } = peersOf(ctx, p);
    const sessions = mine.map((i) => ctx.model.sessions[i]!);
    const calls = sessions.reduce((a, s) => a + s.calls, 0);
    const hours = sessions.reduce((a, s) => a + (s.lastTs - s.firstTs) / HOUR, 0);
    const baselineLoops = (ctx.baselineSessionsOf.get(p) ?? []).filter((i) =>
      isLoopSession(ctx, i, th),
    ).length;
    out.push({
      signal: 'unattended_loops',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: mine.length >= 2 * th.minSessions || cost >= 0.25 * spend ? 'high' : 'medium',
      reason:
        `${mine.length} sessions ran ${round(hours, 1)} h and ${calls} model calls with no human prompt ` +
        `for ≥ ${round(th.minUnpromptedMs / HOUR, 1)} h and no edit or commit ($${round(cost)})`,
      evidence: evidence(
        {
          loopSessions: mine.length,
          loopCostUsd: round(cost),
          loopCalls: calls,
          loopHours: round(hours, 2),
          longestUnpromptedHours: round(Math.max(...sessions.map(unpromptedMs)) / HOUR, 2),
          spendUsd: round(spend),
          peerMedianLoopSessions: median(peers.map((q) => loops.get(q)!.length)),
          baselineLoopSessions: baselineLoops,
          thresholdCalls: th.minCalls,
          thresholdUnpromptedHours: th.minUnpromptedMs / HOUR,
        },
        { sessionIds: idsOf(ctx, mine), wastedSessionIds: idsOf(ctx, mine) },
      ),
      wastedUsd: round(cost),
    });
  }
  return out;
}
