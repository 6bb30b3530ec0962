import { describe, expect, it } from 'vitest';
import { costPerOutcome } from './cost-per-outcome.js';
import { sessionScenario } from './fixtures.js';

describe('costPerOutcome', () => {
  const { model } = sessionScenario();

  it('divides spend by ND, agent work units and qualifying durable changes', () => {
    // Spend 10 + 4 + 1 + 2 + 3 + 5 + 0.5 = 25.5. ND 2 (d1 → alice, d2 → carol), AWU 1 (sA1),
    // qualifying durable changes 2 (PRs 1 and 4).
    expect(costPerOutcome(model)).toEqual({
      costUsd: 25.5,
      unpricedCalls: 0,
      perNd: 25.5 / 2,
      perAgentWorkUnit: 25.5,
      perDurableChange: 25.5 / 2,
    });
  });

  it('is null, not Infinity, when there is no outcome', () => {
    // Bob spent 3 + 5 = 8 and has no ND, AWU or qualifying change.
    expect(costPerOutcome(model, { scope: { kind: 'person', personId: 'bob' } })).toEqual({
      costUsd: 8,
      unpricedCalls: 0,
      perNd: null,
      perAgentWorkUnit: null,
      perDurableChange: null,
    });
  });
});
