/**
 * The board's lenses (DESIGN §6). Merit lenses rank outcomes, never tokens:
 * - `value`: ND, agent work units and qualifying durable changes weighted by log2(1 + lines)
 *   (size counts with diminishing returns, so padding a change buys little);
 * - `efficiency`: the same outcomes per dollar of AI spend (entries below a minimum spend are not
 *   ranked: outcome per $0.01 measures the person's own work, not AI efficiency);
 * - `agent_work`: agent work units and their success rate;
 * - `regularity`: share of working weeks with a qualifying AI-assisted change.
 * `spend` is not a merit lens: it lists cost for cost owners and carries no bands or badges.
 * @module
 */
import type { Acc } from '../value/aggregate.js';

export type Lens = 'value' | 'efficiency' | 'agent_work' | 'regularity' | 'spend';
export const LENSES: readonly Lens[] = ['value', 'efficiency', 'agent_work', 'regularity', 'spend'];

export const LENS_LABELS: Record<Lens, string> = {
  value: 'Value: normalised deployments, agent work units, durable changes',
  efficiency: 'Efficiency: outcomes per dollar of AI spend',
  agent_work: 'Agent work: AI sessions that shipped durable changes, and their success rate',
  regularity: 'Regularity: share of working weeks with a durable AI-assisted change',
  spend: 'Spend: AI cost in USD — cost, not a ranking of merit',
};

export interface LensThresholds {
  /** Efficiency lens: minimum AI spend to be ranked. */
  minSpendUsd: number;
  /** Regularity lens: minimum working weeks to be ranked. */
  minWorkingWeeks: number;
}

/** Component values of a lens for one entry, or a reason it is not ranked on this lens. */
export type LensInput = { components: number[]; hasOutcome: boolean } | { unranked: string };

export function lensInput(lens: Lens, a: Acc, t: LensThresholds): LensInput {
  const outcome = a.nd > 0 || a.awu > 0 || a.qualifying > 0;
  switch (lens) {
    case 'value':
      return { components: [a.nd, a.awu, a.weightedQualifying], hasOutcome: outcome };
    case 'efficiency':
      if (a.costUsd < t.minSpendUsd || a.costUsd <= 0) return { unranked: 'spend below minimum' };
      return {
        components: [a.nd / a.costUsd, a.awu / a.costUsd, a.weightedQualifying / a.costUsd],
        hasOutcome: outcome,
      };
    case 'agent_work':
      if (a.attempted === 0) return { unranked: 'no AI sessions with edits' };
      return { components: [a.awu, a.awu / a.attempted], hasOutcome: a.awu > 0 };
    case 'regularity':
      if (a.workingWeeks.size < t.minWorkingWeeks) return { unranked: 'too few working weeks' };
      return { components: [a.aiWeeks.size / a.workingWeeks.size], hasOutcome: a.aiWeeks.size > 0 };
    case 'spend':
      return { components: [a.costUsd], hasOutcome: a.costUsd > 0 };
  }
}
