/**
 * Spikes before a leaderboard period closes: in the last days of a period a person's daily
 * spend jumps far above their own rate in the weeks before, far more than their peers' does at
 * the same close, and the extra spend produces nothing durable. Teams do crunch before a close,
 * which is why the jump is compared with the peers' jump at the same close, and crunch ships,
 * which is why only spikes that are mostly waste count.
 * @module
 */
import { DAY_MS } from '../value/time.js';
import { type IntegrityContext, idsOf, isWaste, peersOf } from './context.js';
import { robustZ } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface DeadlineSpikeThresholds {
  /** Days before a close that make the spike window. */
  spikeDays: number;
  /** Days before the spike window that make the person's own rate. */
  baseDays: number;
  /** Spike daily spend / own daily spend. */
  minRatio: number;
  /**
   * Robust z of log(ratio) against the peers' ratios at the same close. Lower than elsewhere:
   * three days of anyone's spend are noisy, so the peers' spread is wide, and the ratio and
   * waste conditions already carry the finding.
   */
  minPeerZ: number;
  /** Spend above the own rate in the spike window. */
  minExcessUsd: number;
  /** Waste / spike spend. */
  minWasteShare: number;
  /** Own daily rates below this are raised to it, so a near-idle month does not make any day a spike. */
  floorDailyUsd: number;
}

export const DEADLINE_SPIKES: DeadlineSpikeThresholds = {
  spikeDays: 3,
  baseDays: 28,
  minRatio: 3,
  minPeerZ: 2.5,
  minExcessUsd: 5,
  minWasteShare: 0.6,
  floorDailyUsd: 0.5,
};

interface Spike {
  end: number;
  spend: number;
  waste: number;
  baseDaily: number;
  ratio: number;
  sessions: number[];
}

function spikeAt(
  ctx: IntegrityContext,
  sessions: readonly number[],
  end: number,
  th: DeadlineSpikeThresholds,
): Spike {
  const spikeFrom = end - th.spikeDays * DAY_MS;
  const baseFrom = spikeFrom - th.baseDays * DAY_MS;
  let spend = 0;
  let waste = 0;
  let base = 0;
  const inSpike: number[] = [];
  for (const i of sessions) {
    const s = ctx.model.sessions[i]!;
    if (s.firstTs >= end || s.firstTs < baseFrom) continue;
    if (s.firstTs >= spikeFrom) {
      spend += s.costUsd;
      inSpike.push(i);
      if (isWaste(ctx, i)) waste += s.costUsd;
    } else base += s.costUsd;
  }
  const baseDaily = Math.max(base / th.baseDays, th.floorDailyUsd);
  return { end, spend, waste, baseDaily, ratio: spend / th.spikeDays / baseDaily, sessions: inSpike };
}

export function deadlineSpikes(
  ctx: IntegrityContext,
  th: DeadlineSpikeThresholds = DEADLINE_SPIKES,
): Finding[] {
  if (ctx.periodEnds.length === 0) return [];
  const spikes = new Map<string, Spike[]>();
  for (const p of ctx.people) {
    const sessions = [...(ctx.baselineSessionsOf.get(p) ?? []), ...(ctx.sessionsOf.get(p) ?? [])];
    spikes.set(
      p,
      ctx.periodEnds.map((e) => spikeAt(ctx, sessions, e, th)),
    );
  }
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const hits: Array<{ s: Spike; z: number; peerRatio: number }> = [];
    let group = '';
    spikes.get(p)!.forEach((s, k) => {
      const excess = s.spend - th.spikeDays * s.baseDaily;
      if (s.ratio < th.minRatio || excess < th.minExcessUsd || s.waste < th.minWasteShare * s.spend) return;
      const peers = peersOf(
        ctx,
        p,
        (q) => spikes.get(q)![k]!.spend + spikes.get(q)![k]!.baseDaily > th.floorDailyUsd,
      );
      group = peers.group;
      const cmp = robustZ(
        Math.log(s.ratio),
        peers.peers.map((q) => Math.log(Math.max(spikes.get(q)![k]!.ratio, 1e-3))),
        { minSample: ctx.minPeers, madFloor: 0.3 },
      );
      if (cmp.z === null || cmp.z < th.minPeerZ) return;
      hits.push({ s, z: cmp.z, peerRatio: Math.exp(cmp.median!) });
    });
    if (hits.length === 0) continue;
    const sessions = hits.flatMap((h) => h.s.sessions);
    // Waste above the person's own rate: the spike's waste, but never more than its excess.
    const wastedUsd = hits.reduce(
      (a, h) => a + Math.min(h.s.waste, Math.max(0, h.s.spend - th.spikeDays * h.s.baseDaily)),
      0,
    );
    const top = hits.reduce((a, h) => (h.s.ratio > a.s.ratio ? h : a));
    const numbers: Record<string, number | null> = {
      periods: hits.length,
      maxRatio: round(top.s.ratio, 2),
      thresholdRatio: th.minRatio,
      thresholdPeerZ: th.minPeerZ,
      spikeDays: th.spikeDays,
      baseDays: th.baseDays,
    };
    hits.forEach((h, k) => {
      numbers[`period${k + 1}End`] = h.s.end;
      numbers[`period${k + 1}SpikeUsd`] = round(h.s.spend);
      numbers[`period${k + 1}WasteUsd`] = round(h.s.waste);
      numbers[`period${k + 1}OwnDailyUsd`] = round(h.s.baseDaily);
      numbers[`period${k + 1}Ratio`] = round(h.s.ratio, 2);
      numbers[`period${k + 1}PeerMedianRatio`] = round(h.peerRatio, 2);
      numbers[`period${k + 1}PeerZ`] = round(h.z, 2);
    });
    out.push({
      signal: 'deadline_spikes',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: hits.length >= 2 || top.s.ratio >= 2 * th.minRatio ? 'high' : 'medium',
      reason:
        `daily spend rose ${round(top.s.ratio, 1)}× in the ${th.spikeDays} days before ` +
        `${new Date(top.s.end).toISOString().slice(0, 10)} (peers ${round(top.peerRatio, 1)}×), ` +
        `mostly in sessions with no durable outcome${hits.length > 1 ? `; ${hits.length} periods` : ''}`,
      evidence: evidence(numbers, { sessionIds: idsOf(ctx, sessions), wastedSessionIds: [] }),
      wastedUsd: round(wastedUsd),
    });
  }
  return out;
}
