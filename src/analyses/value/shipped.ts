/**
 * Shipped and durable changes, survival rate (DESIGN §5). A shipped change is a PR merged into the
 * default branch, or with no PR data a commit on it; durable ones were not reverted within the
 * horizon, not shipped by a rolled-back or incident-causing deployment, and are no incident's root
 * cause. Trivial and self-merged changes are shipped (and can be durable) but are flagged: they do
 * not count toward ND, AWU or the board.
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import type { ChangeBasis, ValueModel } from './model.js';

export interface ShippedChangesMetric {
  basis: ChangeBasis;
  shipped: number;
  durable: number;
  /** Durable so far but still inside the revert horizon. */
  provisional: number;
  /** durable / shipped; null with nothing shipped. */
  survivalRate: number | null;
  /** Why shipped changes are not durable (a change can have several reasons). */
  notDurable: { reverted: number; rolledBack: number; incident: number };
  trivial: number;
  selfMerged: number;
  /** Changes that only revert earlier work. */
  reverts: number;
  /** Durable, non-trivial, non-self-merged, not a revert: what ND, AWU and the board count. */
  qualifying: number;
  aiAssistedQualifying: number;
  revertHorizonDays: number;
  trivialLines: number;
}

export function shippedFromAcc(model: ValueModel, a: Acc): ShippedChangesMetric {
  return {
    basis: model.changeBasis,
    shipped: a.shipped,
    durable: a.durable,
    provisional: a.provisional,
    survivalRate: ratio(a.durable, a.shipped),
    notDurable: { reverted: a.reverted, rolledBack: a.rolledBack, incident: a.incident },
    trivial: a.trivial,
    selfMerged: a.selfMerged,
    reverts: a.reverts,
    qualifying: a.qualifying,
    aiAssistedQualifying: a.aiAssistedQualifying,
    revertHorizonDays: model.options.revertHorizonMs / 86_400_000,
    trivialLines: model.options.trivialLines,
  };
}

export function shippedChanges(model: ValueModel, query: MetricQuery = {}): ShippedChangesMetric {
  return shippedFromAcc(model, accFor(model, query));
}
