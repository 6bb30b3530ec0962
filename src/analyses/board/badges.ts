/**
 * Badges reward outcomes and efficiency among people who ship, never volume (DESIGN §6): the old
 * "Cache Wizard" for sheer cache tokens becomes a cache-efficiency badge that only people with a
 * qualifying durable change can earn; no badge counts tokens, calls or dollars.
 * @module
 */
import type { Acc } from '../value/aggregate.js';
import { percentileRanks } from './bands.js';

export type BadgeId =
  | 'cache_efficiency'
  | 'cost_efficiency'
  | 'steady_shipper'
  | 'durable_work'
  | 'agent_finisher';

export interface Badge {
  id: BadgeId;
  label: string;
  /** The numbers that earned it. */
  because: string;
}

export interface BadgeThresholds {
  /** Top quarter of shippers, and at least this share of prompt tokens read from cache. */
  cacheEfficiency: number;
  minSpendUsd: number;
  /** Regularity at least this over at least `steadyWeeks` working weeks. */
  steadyRegularity: number;
  steadyWeeks: number;
  /** Survival at least this over at least `durableShipped` shipped changes. */
  durableSurvival: number;
  durableShipped: number;
  /** At least `finisherUnits` agent work units at a success rate of at least `finisherRate`. */
  finisherUnits: number;
  finisherRate: number;
}

export const DEFAULT_BADGE_THRESHOLDS: BadgeThresholds = {
  cacheEfficiency: 0.5,
  minSpendUsd: 1,
  steadyRegularity: 0.75,
  steadyWeeks: 4,
  durableSurvival: 0.95,
  durableShipped: 5,
  finisherUnits: 3,
  finisherRate: 0.5,
};

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Badges per person id, among the given people (held-out people must not be passed in). */
export function awardBadges(
  people: ReadonlyArray<{ personId: string; acc: Acc }>,
  t: BadgeThresholds = DEFAULT_BADGE_THRESHOLDS,
): Map<string, Badge[]> {
  const out = new Map<string, Badge[]>();
  const give = (id: string, b: Badge) => {
    const list = out.get(id);
    if (list) list.push(b);
    else out.set(id, [b]);
  };
  const shippers = people.filter((p) => p.acc.qualifying > 0);

  const cached = shippers.filter(
    (p) => p.acc.inputTokens + p.acc.cacheReadTokens + p.acc.cacheWriteTokens > 0,
  );
  const cacheOf = (a: Acc) => a.cacheReadTokens / (a.inputTokens + a.cacheReadTokens + a.cacheWriteTokens);
  const cacheRanks = percentileRanks(cached.map((p) => cacheOf(p.acc)));
  cached.forEach((p, i) => {
    const eff = cacheOf(p.acc);
    if (cacheRanks[i]! >= 0.75 && eff >= t.cacheEfficiency)
      give(p.personId, {
        id: 'cache_efficiency',
        label: 'Cache efficiency',
        because: `${pct(eff)} of prompt tokens from cache, top quarter of people who shipped`,
      });
  });

  const paying = shippers.filter((p) => p.acc.costUsd >= t.minSpendUsd && p.acc.nd > 0);
  const costRanks = percentileRanks(paying.map((p) => p.acc.nd / p.acc.costUsd));
  paying.forEach((p, i) => {
    if (costRanks[i]! >= 0.75)
      give(p.personId, {
        id: 'cost_efficiency',
        label: 'Cost efficiency',
        because: `$${(p.acc.costUsd / p.acc.nd).toFixed(2)} per normalised deployment, top quarter of people who shipped`,
      });
  });

  for (const p of shippers) {
    const a = p.acc;
    const weeks = a.workingWeeks.size;
    if (weeks >= t.steadyWeeks && a.aiWeeks.size / weeks >= t.steadyRegularity)
      give(p.personId, {
        id: 'steady_shipper',
        label: 'Steady shipper',
        because: `durable AI-assisted change in ${a.aiWeeks.size} of ${weeks} working weeks`,
      });
    if (a.shipped >= t.durableShipped && a.durable / a.shipped >= t.durableSurvival)
      give(p.personId, {
        id: 'durable_work',
        label: 'Durable work',
        because: `${a.durable} of ${a.shipped} shipped changes survived`,
      });
    if (a.awu >= t.finisherUnits && a.attempted > 0 && a.awu / a.attempted >= t.finisherRate)
      give(p.personId, {
        id: 'agent_finisher',
        label: 'Agent finisher',
        because: `${a.awu} of ${a.attempted} AI sessions with edits shipped durable changes`,
      });
  }
  return out;
}
