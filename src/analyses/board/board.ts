/**
 * The leaderboard (DESIGN §6), built to resist Goodhart's law: it ranks outcomes (never tokens),
 * teams by default, in percentile bands unless exact ranks are asked for; any aggregate of fewer
 * than `minGroupSize` people is suppressed; individual entries appear only for people who opted in
 * (or for a caller allowed to see them, or for the viewer themself); people with open integrity
 * flags (`heldOut`) are out of the board and out of their team's numbers until reviewed, and
 * listed as held out, with the flags, wherever their entry would have been visible.
 * @module
 */
import { type Acc, aggregate, slotsOf } from '../value/aggregate.js';
import type { ValueModel } from '../value/model.js';
import { ALL_TIME, type Window } from '../value/time.js';
import { awardBadges, type Badge, type BadgeThresholds, DEFAULT_BADGE_THRESHOLDS } from './badges.js';
import { type Band, compositeScores, rankAndBand } from './bands.js';
import { LENS_LABELS, type Lens, lensInput } from './lenses.js';

export interface BoardOptions {
  /** Default `value`. */
  lens?: Lens;
  /** Default `team`: team boards first; individual boards are opt-in. */
  level?: 'team' | 'person';
  window?: Window;
  /** Show exact ranks and scores instead of bands only. Default false. */
  exactRanks?: boolean;
  /** Aggregates (teams, peer groups) of fewer people are suppressed. Default 5. */
  minGroupSize?: number;
  /**
   * People held out by integrity flags (open or confirmed): out of the board and out of team
   * numbers. A map gives the ids of the flags that hold each person (`heldOutFrom`), which the
   * board lists beside them.
   */
  heldOut?: readonly string[] | ReadonlyMap<string, readonly string[]>;
  /** The caller may see people who did not opt in (e.g. an admin). Default false. */
  allowIndividuals?: boolean;
  /** The person looking: always sees their own entry. */
  viewer?: string;
  /** Individual boards: rank against the whole org (default) or within each team. */
  peerGroup?: 'org' | 'team';
  /** Efficiency lens: minimum spend to be ranked. Default $1. */
  minSpendUsd?: number;
  /** Regularity lens: minimum working weeks to be ranked. Default 2. */
  minWorkingWeeks?: number;
  badges?: Partial<BadgeThresholds>;
}

export interface BoardMetrics {
  nd: number;
  agentWorkUnits: number;
  attemptedSessions: number;
  agentSuccessRate: number | null;
  /** Qualifying durable changes. */
  durableChanges: number;
  /** Σ log2(1 + lines) over them. */
  sizeWeightedChanges: number;
  costUsd: number;
  ndPerDollar: number | null;
  regularity: number | null;
  workingWeeks: number;
  cacheEfficiency: number | null;
}

export interface BoardEntry {
  kind: 'team' | 'person';
  id: string;
  name: string;
  /** Null on the spend lens, which is not a ranking of merit. */
  band: Band | null;
  /** Only with `exactRanks`. */
  rank: number | null;
  score: number | null;
  /** `org`, or the team the entry was ranked within. */
  peerGroup: string;
  /** People whose numbers make up the entry (teams). */
  size: number;
  self: boolean;
  metrics: BoardMetrics;
  badges: Badge[];
}

/** A person held out of the board, listed (not silently dropped) where their entry would show. */
export interface HeldOutEntry {
  id: string;
  name: string;
  self: boolean;
  /** The flags that hold them out; empty when the caller gave only the people. */
  flagIds: string[];
}

export interface Board {
  lens: Lens;
  label: string;
  /** False for `spend`: a cost view for cost owners. */
  merit: boolean;
  level: 'team' | 'person';
  window: { from: number | null; until: number | null };
  entries: BoardEntry[];
  /** Groups below the minimum size: named, with no numbers. */
  suppressed: Array<{ id: string; reason: string }>;
  /** Ranked but not shown: people who did not opt in. */
  hidden: number;
  /** Not ranked on this lens (below its thresholds). */
  unranked: number;
  /** People held out by integrity flags, all of them (listed or not). */
  heldOut: number;
  /** Those of them the caller may see, as individual entries are shown: themself, opted-in people, or all. */
  heldOutEntries: HeldOutEntry[];
  settings: { minGroupSize: number; bands: string; minSpendUsd: number; minWorkingWeeks: number };
}

const BAND_ORDER: Record<Band, number> = { top_10: 0, top_25: 1, top_50: 2, rest: 3 };

export function boardMetrics(a: Acc): BoardMetrics {
  const promptTokens = a.inputTokens + a.cacheReadTokens + a.cacheWriteTokens;
  return {
    nd: a.nd,
    agentWorkUnits: a.awu,
    attemptedSessions: a.attempted,
    agentSuccessRate: a.attempted > 0 ? a.awu / a.attempted : null,
    durableChanges: a.qualifying,
    sizeWeightedChanges: a.weightedQualifying,
    costUsd: a.costUsd,
    ndPerDollar: a.costUsd > 0 ? a.nd / a.costUsd : null,
    regularity: a.workingWeeks.size > 0 ? a.aiWeeks.size / a.workingWeeks.size : null,
    workingWeeks: a.workingWeeks.size,
    cacheEfficiency: promptTokens > 0 ? a.cacheReadTokens / promptTokens : null,
  };
}

/** `BoardOptions.heldOut` as person → flag ids. */
export function heldOutMap(heldOut: BoardOptions['heldOut']): ReadonlyMap<string, readonly string[]> {
  if (heldOut === undefined) return new Map();
  if (heldOut instanceof Map) return heldOut;
  return new Map((heldOut as readonly string[]).map((id) => [id, []]));
}

function peopleIn(a: Acc): number {
  return slotsOf(a.workingWeeks).size;
}

interface Candidate {
  kind: 'team' | 'person';
  id: string;
  name: string;
  acc: Acc;
  group: string;
  size: number;
}

export function board(model: ValueModel, options: BoardOptions = {}): Board {
  const lens = options.lens ?? 'value';
  const level = options.level ?? 'team';
  const window = options.window ?? ALL_TIME;
  const minGroupSize = options.minGroupSize ?? 5;
  const thresholds = {
    minSpendUsd: options.minSpendUsd ?? 1,
    minWorkingWeeks: options.minWorkingWeeks ?? 2,
  };
  const merit = lens !== 'spend';
  const heldFlags = heldOutMap(options.heldOut);
  const heldOut = new Set(heldFlags.keys());
  const { accs } = aggregate(model, window, 'all', heldOut);
  const dir = model.directory;
  const suppressed: Board['suppressed'] = [];

  const candidates: Candidate[] = [];
  if (level === 'team') {
    const names = new Map(dir.teams.map((t) => [t.id, t.name]));
    for (const a of accs.values()) {
      if (a.scope.kind !== 'team') continue;
      const size = peopleIn(a);
      const id = a.scope.team;
      if (size < minGroupSize) {
        suppressed.push({ id, reason: `fewer than ${minGroupSize} people` });
        continue;
      }
      candidates.push({ kind: 'team', id, name: names.get(id) ?? id, acc: a, group: 'org', size });
    }
  } else {
    const refTs = Math.min(Number.isFinite(window.until) ? window.until - 1 : model.asOf, model.asOf);
    const groups = new Map<string, Candidate[]>();
    for (const a of accs.values()) {
      if (a.scope.kind !== 'person') continue;
      const id = a.scope.personId;
      const group = options.peerGroup === 'team' ? (dir.teamAt(id, refTs) ?? 'no team') : 'org';
      const c: Candidate = { kind: 'person', id, name: dir.person(id)?.name ?? id, acc: a, group, size: 1 };
      const list = groups.get(group);
      if (list) list.push(c);
      else groups.set(group, [c]);
    }
    for (const [group, list] of groups) {
      if (list.length < minGroupSize)
        suppressed.push({ id: group, reason: `fewer than ${minGroupSize} people` });
      else candidates.push(...list);
    }
  }

  const badges =
    level === 'person' && merit
      ? awardBadges(
          candidates.map((c) => ({ personId: c.id, acc: c.acc })),
          { ...DEFAULT_BADGE_THRESHOLDS, ...options.badges },
        )
      : new Map<string, Badge[]>();

  const entries: BoardEntry[] = [];
  let unranked = 0;
  let hidden = 0;
  const byGroup = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const list = byGroup.get(c.group);
    if (list) list.push(c);
    else byGroup.set(c.group, [c]);
  }
  for (const [group, list] of byGroup) {
    const ranked: Array<{ c: Candidate; components: number[]; hasOutcome: boolean }> = [];
    for (const c of list) {
      const input = lensInput(lens, c.acc, thresholds);
      if ('unranked' in input) unranked++;
      else ranked.push({ c, ...input });
    }
    if (ranked.length === 0) continue;
    const width = ranked[0]!.components.length;
    const scores =
      width === 1
        ? ranked.map((r) => r.components[0]!)
        : compositeScores(Array.from({ length: width }, (_, k) => ranked.map((r) => r.components[k]!)));
    const positions = rankAndBand(
      scores,
      ranked.map((r) => r.hasOutcome),
    );
    ranked.forEach((r, i) => {
      const { c } = r;
      const self = c.kind === 'person' && c.id === options.viewer;
      if (c.kind === 'person' && !self && !options.allowIndividuals && !dir.person(c.id)?.boardOptIn) {
        hidden++;
        return;
      }
      entries.push({
        kind: c.kind,
        id: c.id,
        name: c.name,
        band: merit ? positions[i]!.band : null,
        rank: options.exactRanks ? positions[i]!.rank : null,
        score: options.exactRanks ? scores[i]! : null,
        peerGroup: group,
        size: c.size,
        self,
        metrics: boardMetrics(c.acc),
        badges: badges.get(c.id) ?? [],
      });
    });
  }

  // Without exact ranks, order inside a band must not leak the rank: bands, then names.
  entries.sort((x, y) => {
    if (options.exactRanks || !merit) {
      if (x.peerGroup !== y.peerGroup) return x.peerGroup < y.peerGroup ? -1 : 1;
      if (merit) return x.rank! - y.rank! || (x.name < y.name ? -1 : 1);
      return y.metrics.costUsd - x.metrics.costUsd || (x.name < y.name ? -1 : 1);
    }
    return (
      (x.peerGroup < y.peerGroup ? -1 : x.peerGroup > y.peerGroup ? 1 : 0) ||
      BAND_ORDER[x.band!] - BAND_ORDER[y.band!] ||
      (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)
    );
  });

  return {
    lens,
    label: LENS_LABELS[lens],
    merit,
    level,
    window: {
      from: Number.isFinite(window.from) ? window.from : null,
      until: Number.isFinite(window.until) ? window.until : null,
    },
    entries,
    suppressed,
    hidden,
    unranked,
    heldOut: heldOut.size,
    heldOutEntries: [...heldFlags]
      .filter(
        ([id]) =>
          id === options.viewer ||
          (level === 'person' && (options.allowIndividuals || dir.person(id)?.boardOptIn === true)),
      )
      .map(([id, flagIds]) => ({
        id,
        name: dir.person(id)?.name ?? id,
        self: id === options.viewer,
        flagIds: [...flagIds],
      }))
      .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
    settings: {
      minGroupSize,
      bands: 'top 10 %, top 25 %, top 50 %, rest',
      minSpendUsd: thresholds.minSpendUsd,
      minWorkingWeeks: thresholds.minWorkingWeeks,
    },
  };
}
