/**
 * Cache padding: sessions that read enormous cached prompts and wrote almost nothing, and
 * touched no code — context stuffed to run up token counts cheaply (cache reads are billed at a
 * tenth of input, so padding inflates "tokens used" far more than dollars). Honest agent turns
 * also read much more than they write (a tool call is short), which is why the output ratio
 * threshold sits well below what real agent sessions show and why edits or commits clear a
 * session.
 * @module
 */
import { costOf, type IntegrityContext, idsOf, peersOf, touchedCode } from './context.js';
import { median } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface CachePaddingThresholds {
  minCacheReadTokens: number;
  /** Output tokens per cache-read token at most this. */
  maxOutputRatio: number;
  minSessions: number;
}

export const CACHE_PADDING: CachePaddingThresholds = {
  minCacheReadTokens: 1_000_000,
  maxOutputRatio: 0.0005,
  minSessions: 3,
};

export function isPaddedSession(
  ctx: IntegrityContext,
  i: number,
  th: CachePaddingThresholds = CACHE_PADDING,
): boolean {
  const s = ctx.model.sessions[i]!;
  return (
    s.cacheReadTokens >= th.minCacheReadTokens &&
    s.outputTokens <= th.maxOutputRatio * s.cacheReadTokens &&
    !touchedCode(ctx, i)
  );
}

export function cachePadding(ctx: IntegrityContext, th: CachePaddingThresholds = CACHE_PADDING): Finding[] {
  const padded = new Map<string, number[]>();
  for (const p of ctx.people)
    padded.set(
      p,
      (ctx.sessionsOf.get(p) ?? []).filter((i) => isPaddedSession(ctx, i, th)),
    );
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const mine = padded.get(p)!;
    if (mine.length < th.minSessions) continue;
    const sessions = mine.map((i) => ctx.model.sessions[i]!);
    const cacheRead = sessions.reduce((a, s) => a + s.cacheReadTokens, 0);
    const output = sessions.reduce((a, s) => a + s.outputTokens, 0);
    const cost = costOf(ctx, mine);
    const spend = costOf(ctx, ctx.sessionsOf.get(p) ?? []);
    const { group, peers } = peersOf(ctx, p);
    out.push({
      signal: 'cache_padding',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: mine.length >= 3 * th.minSessions || cost >= 0.25 * spend ? 'high' : 'medium',
      reason:
        `${mine.length} sessions read ${round(cacheRead / 1e6, 1)} M cached tokens and wrote ` +
        `${output} output tokens (${round((output / cacheRead) * 1e4, 2)} per 10k) with no edit or commit`,
      evidence: evidence(
        {
          paddedSessions: mine.length,
          cacheReadTokens: cacheRead,
          outputTokens: output,
          outputPerCacheRead: round(output / cacheRead, 6),
          paddedCostUsd: round(cost),
          spendUsd: round(spend),
          peerMedianPaddedSessions: median(peers.map((q) => padded.get(q)!.length)),
          thresholdCacheReadTokens: th.minCacheReadTokens,
          thresholdOutputRatio: th.maxOutputRatio,
        },
        { sessionIds: idsOf(ctx, mine), wastedSessionIds: idsOf(ctx, mine) },
      ),
      wastedUsd: round(cost),
    });
  }
  return out;
}
