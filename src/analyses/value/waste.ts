/**
 * Waste (DESIGN §5): spend in sessions that led to no qualifying durable change, by cause. Each
 * session has exactly one outcome, the best its links reach, in this order: `durable` (not waste),
 * `not_counted` (shipped and durable but trivial, self-merged, a revert, or pushed past review),
 * `not_durable` (shipped, then reverted, rolled back or an incident cause), `in_review` (its PR is
 * still open: pending, not waste yet), `not_shipped` (committed, never merged), `never_committed`
 * (edited files, no commit found), `no_edits` (no file edits and no commit).
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import { SESSION_OUTCOMES, type SessionOutcome, type ValueModel } from './model.js';

export type WasteCause = Exclude<SessionOutcome, 'durable' | 'in_review'>;

export interface WasteMetric {
  /** Spend in sessions with a waste cause (in-review sessions excluded). */
  costUsd: number;
  /** Waste / all spend; null with no spend. */
  share: number | null;
  byCause: Record<WasteCause, { sessions: number; costUsd: number }>;
  /** Sessions whose PR is still open: not counted as waste until it is merged or closed. */
  pending: { sessions: number; costUsd: number };
}

export function wasteFromAcc(a: Acc): WasteMetric {
  const byCause = {} as WasteMetric['byCause'];
  let costUsd = 0;
  let pending = { sessions: 0, costUsd: 0 };
  SESSION_OUTCOMES.forEach((o, i) => {
    const entry = { sessions: a.outcomeSessions[i]!, costUsd: a.outcomeCost[i]! };
    if (o === 'durable') return;
    if (o === 'in_review') {
      pending = entry;
      return;
    }
    byCause[o] = entry;
    costUsd += entry.costUsd;
  });
  return { costUsd, share: ratio(costUsd, a.costUsd), byCause, pending };
}

export function waste(model: ValueModel, query: MetricQuery = {}): WasteMetric {
  return wasteFromAcc(accFor(model, query));
}
