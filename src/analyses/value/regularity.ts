/**
 * AI regularity (DESIGN §5, Amazon's "regularly uses AI to develop useful code"): the share of
 * working weeks — weeks with any activity (an AI session, an authored commit, an opened or merged
 * PR) — in which the person shipped a qualifying durable AI-assisted change. For a team or the org
 * it is computed over person-weeks: Σ AI weeks / Σ working weeks.
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import type { ValueModel } from './model.js';

export interface RegularityMetric {
  workingWeeks: number;
  aiWeeks: number;
  regularity: number | null;
}

export function regularityFromAcc(a: Acc): RegularityMetric {
  return {
    workingWeeks: a.workingWeeks.size,
    aiWeeks: a.aiWeeks.size,
    regularity: ratio(a.aiWeeks.size, a.workingWeeks.size),
  };
}

export function aiRegularity(model: ValueModel, query: MetricQuery = {}): RegularityMetric {
  return regularityFromAcc(accFor(model, query));
}
