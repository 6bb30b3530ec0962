/**
 * Cost per outcome (DESIGN §5): AI spend in the scope divided by its ND, its agent work units and
 * its qualifying durable changes. A denominator of 0 gives null (no outcome to price), never
 * Infinity. Spend is the priced cost of sessions started in the window; unpriced calls are
 * counted beside it so a low number is not mistaken for a cheap one.
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import type { ValueModel } from './model.js';

export interface CostPerOutcomeMetric {
  costUsd: number;
  unpricedCalls: number;
  perNd: number | null;
  perAgentWorkUnit: number | null;
  perDurableChange: number | null;
}

export function costFromAcc(a: Acc): CostPerOutcomeMetric {
  return {
    costUsd: a.costUsd,
    unpricedCalls: a.unpricedCalls,
    perNd: ratio(a.costUsd, a.nd),
    perAgentWorkUnit: ratio(a.costUsd, a.awu),
    perDurableChange: ratio(a.costUsd, a.qualifying),
  };
}

export function costPerOutcome(model: ValueModel, query: MetricQuery = {}): CostPerOutcomeMetric {
  return costFromAcc(accFor(model, query));
}
