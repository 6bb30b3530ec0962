import { describe, expect, it } from 'vitest';
import { sessionScenario } from './fixtures.js';
import { waste } from './waste.js';

describe('waste', () => {
  const { model } = sessionScenario();

  it('splits spend without a durable outcome by cause', () => {
    const m = waste(model);
    expect(m.byCause).toEqual({
      not_counted: { sessions: 1, costUsd: 3 }, // sB1: its PR is trivial
      not_durable: { sessions: 1, costUsd: 5 }, // sB2: its PR was reverted
      not_shipped: { sessions: 0, costUsd: 0 },
      never_committed: { sessions: 1, costUsd: 4 }, // sA2
      no_edits: { sessions: 2, costUsd: 1.5 }, // sA3 1 + sC1 0.5
    });
    // sA4's PR is open: pending, not waste.
    expect(m.pending).toEqual({ sessions: 1, costUsd: 2 });
    // 3 + 5 + 4 + 1.5 = 13.5 of 25.5
    expect(m.costUsd).toBe(13.5);
    expect(m.share).toBeCloseTo(13.5 / 25.5, 12);
  });

  it('has no waste for a person whose only spend shipped', () => {
    const m = waste(model, {
      scope: { kind: 'person', personId: 'alice' },
      window: { from: 0, until: Date.UTC(2026, 2, 2, 3) },
    });
    // Alice before 03:00 on day 0: only sA1 (durable, $10).
    expect(m).toMatchObject({ costUsd: 0, share: 0 });
  });
});
