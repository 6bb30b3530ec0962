/**
 * Spikes before a leaderboard period closes: in the last days of a period a person's spend jumps
 * far above their own rate in the weeks before, the money above that rate buys nothing durable,
 * and the jump stands out both from the person's own ordinary swings and from their peers' jump
 * at the same close. Teams do crunch before a close, and crunch ships: an honest cruncher's extra
 * spend is ordinary work, wasted at their ordinary share, which is why the waste is measured on
 * the spend above the person's own rate, against their own waste rate. The two comparisons (own
 * swings, peers' jump) are combined rather than each required, because each is noisy over three
 * days: a team whose members' ratios spread widely at one close weakens the peer comparison of a
 * spike that the person's own history shows plainly.
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
  /** Spend above the own rate in the spike window. */
  minExcessUsd: number;
  /**
   * Share of the spend above the own rate that is waste above the own waste rate. An honest
   * crunch is more of the person's usual work (honest waste shares run 20–40%), a spike of busywork
   * is nearly all waste.
   */
  minExcessWasteShare: number;
  /**
   * (own z + peer z) / √2, Stouffer's combination of the two robust z-scores: what two independent
   * comparisons say together. 3.5 is the strictest bar a single comparison meets elsewhere
   * (`cost_per_outcome`).
   */
  minCombinedZ: number;
  /**
   * The peer z must still show the person above their peers' jump at that close: a whole team
   * spiking together is a crunch, whatever each member's own history says.
   */
  minPeerZ: number;
  /** Own daily rates below this are raised to it, so a near-idle month does not make any day a spike. */
  floorDailyUsd: number;
}

export const DEADLINE_SPIKES: DeadlineSpikeThresholds = {
  spikeDays: 3,
  baseDays: 28,
  minRatio: 3,
  minExcessUsd: 5,
  minExcessWasteShare: 0.8,
  minCombinedZ: 3.5,
  minPeerZ: 1.5,
  floorDailyUsd: 0.5,
};

/** MAD floor (log scale) of both comparisons: three days of anyone's spend are noisy. */
const MAD_FLOOR = 0.3;

interface Spike {
  end: number;
  spend: number;
  waste: number;
  baseDaily: number;
  /** The person's daily waste over the base days (not floored). */
  baseWasteDaily: number;
  ratio: number;
  /** (waste − spikeDays × baseWasteDaily) / (spend − spikeDays × baseDaily); 0 without an excess. */
  excessWasteShare: number;
  /** Robust z of log(spend + spikeDays × floor) against the person's own spikeDays-day spends in the base days. */
  ownZ: number | null;
  sessions: number[];
}

/** A person's sessions as the spike numbers read them (accessors: no row objects per session and close). */
export interface SpikeRows {
  count: number;
  firstTs(k: number): number;
  costUsd(k: number): number;
  waste(k: number): boolean;
}

/**
 * The person's spend, waste and own rate at one close. Exported for `explain.ts`, which
 * recomputes the same numbers from the rows it lists.
 */
export function spikeNumbers(
  rows: SpikeRows,
  end: number,
  th: DeadlineSpikeThresholds,
  daily: Float64Array = new Float64Array(th.baseDays),
): Omit<Spike, 'sessions' | 'end'> & { inSpike: number[] } {
  const spikeFrom = end - th.spikeDays * DAY_MS;
  const baseFrom = spikeFrom - th.baseDays * DAY_MS;
  let spend = 0;
  let waste = 0;
  let base = 0;
  let baseWaste = 0;
  daily.fill(0, 0, th.baseDays);
  const inSpike: number[] = [];
  for (let k = 0; k < rows.count; k++) {
    const at = rows.firstTs(k);
    if (at >= end || at < baseFrom) continue;
    const cost = rows.costUsd(k);
    if (at >= spikeFrom) {
      spend += cost;
      inSpike.push(k);
      if (rows.waste(k)) waste += cost;
    } else {
      base += cost;
      daily[Math.floor((at - baseFrom) / DAY_MS)]! += cost;
      if (rows.waste(k)) baseWaste += cost;
    }
  }
  const baseDaily = Math.max(base / th.baseDays, th.floorDailyUsd);
  const baseWasteDaily = baseWaste / th.baseDays;
  const excess = spend - th.spikeDays * baseDaily;
  const ratio = spend / th.spikeDays / baseDaily;
  const excessWasteShare = excess > 0 ? (waste - th.spikeDays * baseWasteDaily) / excess : 0;
  // The own z is only worth its sort where the cheap conditions hold (a few people per close).
  const candidate =
    ratio >= th.minRatio && excess >= th.minExcessUsd && excessWasteShare >= th.minExcessWasteShare;
  return {
    spend,
    waste,
    baseDaily,
    baseWasteDaily,
    ratio,
    excessWasteShare,
    ownZ: candidate ? ownZOf(daily, spend, th) : null,
    inSpike,
  };
}

/**
 * The person's own swings: every run of spikeDays consecutive base days, on the same log scale
 * and with the same floor as the ratio (so a near-idle stretch is not a zero), and where the
 * spike's spend falls among them.
 */
function ownZOf(daily: Float64Array, spend: number, th: DeadlineSpikeThresholds): number | null {
  const pad = th.spikeDays * th.floorDailyUsd;
  const own: number[] = [];
  let run = 0;
  for (let d = 0; d < th.baseDays; d++) {
    run += daily[d]!;
    if (d >= th.spikeDays) run -= daily[d - th.spikeDays]!;
    if (d >= th.spikeDays - 1) own.push(Math.log(run + pad));
  }
  return robustZ(Math.log(spend + pad), own, { minSample: 5, madFloor: MAD_FLOOR }).z;
}

function spikeAt(
  rows: SpikeRows & { index(k: number): number },
  end: number,
  th: DeadlineSpikeThresholds,
  daily: Float64Array,
): Spike {
  const { inSpike, ...n } = spikeNumbers(rows, end, th, daily);
  return { ...n, end, sessions: inSpike.map((k) => rows.index(k)) };
}

/** A person's baseline and window sessions as one run of rows, without copying the lists. */
function rowsOf(ctx: IntegrityContext, person: string): SpikeRows & { index(k: number): number } {
  const all = ctx.model.sessions;
  const before = ctx.baselineSessionsOf.get(person) ?? [];
  const inWindow = ctx.sessionsOf.get(person) ?? [];
  const index = (k: number) => (k < before.length ? before[k]! : inWindow[k - before.length]!);
  return {
    count: before.length + inWindow.length,
    index,
    firstTs: (k) => all[index(k)]!.firstTs,
    costUsd: (k) => all[index(k)]!.costUsd,
    waste: (k) => isWaste(ctx, index(k)),
  };
}

/** Stouffer's combination of two z-scores. */
export function combinedZ(ownZ: number, peerZ: number): number {
  return (ownZ + peerZ) / Math.SQRT2;
}

/** Waste above the person's own rates: the excess waste, never more than the excess spend. */
export function spikeWasteUsd(
  s: Pick<Spike, 'spend' | 'waste' | 'baseDaily' | 'baseWasteDaily'>,
  th: DeadlineSpikeThresholds,
): number {
  const excess = Math.max(0, s.spend - th.spikeDays * s.baseDaily);
  return Math.min(excess, Math.max(0, s.waste - th.spikeDays * s.baseWasteDaily));
}

export function deadlineSpikes(
  ctx: IntegrityContext,
  th: DeadlineSpikeThresholds = DEADLINE_SPIKES,
): Finding[] {
  if (ctx.periodEnds.length === 0) return [];
  const spikes = new Map<string, Spike[]>();
  const daily = new Float64Array(th.baseDays);
  for (const p of ctx.people) {
    const rows = rowsOf(ctx, p);
    spikes.set(
      p,
      ctx.periodEnds.map((e) => spikeAt(rows, e, th, daily)),
    );
  }
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const hits: Array<{ s: Spike; z: number; combined: number; peerRatio: number }> = [];
    let group = '';
    spikes.get(p)!.forEach((s, k) => {
      const excess = s.spend - th.spikeDays * s.baseDaily;
      if (s.ratio < th.minRatio || excess < th.minExcessUsd || s.excessWasteShare < th.minExcessWasteShare)
        return;
      const peers = peersOf(
        ctx,
        p,
        (q) => spikes.get(q)![k]!.spend + spikes.get(q)![k]!.baseDaily > th.floorDailyUsd,
      );
      group = peers.group;
      const cmp = robustZ(
        Math.log(s.ratio),
        peers.peers.map((q) => Math.log(Math.max(spikes.get(q)![k]!.ratio, 1e-3))),
        { minSample: ctx.minPeers, madFloor: MAD_FLOOR },
      );
      if (cmp.z === null || s.ownZ === null || cmp.z < th.minPeerZ) return;
      const combined = combinedZ(s.ownZ, cmp.z);
      if (combined < th.minCombinedZ) return;
      hits.push({ s, z: cmp.z, combined, peerRatio: Math.exp(cmp.median!) });
    });
    if (hits.length === 0) continue;
    const sessions = hits.flatMap((h) => h.s.sessions);
    const wastedUsd = hits.reduce((a, h) => a + spikeWasteUsd(h.s, th), 0);
    const top = hits.reduce((a, h) => (h.s.ratio > a.s.ratio ? h : a));
    const numbers: Record<string, number | null> = {
      periods: hits.length,
      maxRatio: round(top.s.ratio, 2),
      thresholdRatio: th.minRatio,
      thresholdExcessWasteShare: th.minExcessWasteShare,
      thresholdCombinedZ: th.minCombinedZ,
      thresholdPeerZ: th.minPeerZ,
      spikeDays: th.spikeDays,
      baseDays: th.baseDays,
    };
    hits.forEach((h, k) => {
      numbers[`period${k + 1}End`] = h.s.end;
      numbers[`period${k + 1}SpikeUsd`] = round(h.s.spend);
      numbers[`period${k + 1}WasteUsd`] = round(h.s.waste);
      numbers[`period${k + 1}OwnDailyUsd`] = round(h.s.baseDaily);
      numbers[`period${k + 1}OwnDailyWasteUsd`] = round(h.s.baseWasteDaily);
      numbers[`period${k + 1}ExcessWasteShare`] = round(h.s.excessWasteShare, 3);
      numbers[`period${k + 1}OwnZ`] = round(h.s.ownZ!, 2);
      numbers[`period${k + 1}CombinedZ`] = round(h.combined, 2);
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
        `the spend above their own rate buying nothing durable${hits.length > 1 ? `; ${hits.length} periods` : ''}`,
      evidence: evidence(numbers, { sessionIds: idsOf(ctx, sessions), wastedSessionIds: [] }),
      wastedUsd: round(wastedUsd),
    });
  }
  return out;
}
