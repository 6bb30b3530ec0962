import { describe, expect, it } from 'vitest';
import { DAY, sessionScenario, T0 } from './fixtures.js';
import { aiRegularity } from './regularity.js';

describe('aiRegularity', () => {
  const { model } = sessionScenario();
  const person = (personId: string) => aiRegularity(model, { scope: { kind: 'person', personId } });

  it('is the share of working weeks with a qualifying AI-assisted change', () => {
    // Alice works in week 0 (sessions, PR 1) and week 1 (sA4, PR 5 opened); PR 1 (AI, qualifying)
    // shipped in week 0 → 1 / 2.
    expect(person('alice')).toEqual({ workingWeeks: 2, aiWeeks: 1, regularity: 0.5 });
    // Bob works in week 0 only; his PRs are trivial or reverted → 0 / 1.
    expect(person('bob')).toEqual({ workingWeeks: 1, aiWeeks: 0, regularity: 0 });
    // Carol: week 1, PR 4 is AI-assisted by label → 1 / 1.
    expect(person('carol')).toEqual({ workingWeeks: 1, aiWeeks: 1, regularity: 1 });
  });

  it('sums person-weeks for a team and the org', () => {
    // Org: (1 + 0 + 1) / (2 + 1 + 1) = 2 / 4.
    expect(aiRegularity(model)).toEqual({ workingWeeks: 4, aiWeeks: 2, regularity: 0.5 });
    // Team core = alice + bob: 1 / 3.
    expect(aiRegularity(model, { scope: { kind: 'team', team: 'core' } }).regularity).toBeCloseTo(1 / 3, 12);
  });

  it('is null for a window without activity', () => {
    expect(aiRegularity(model, { window: { from: T0 + 20 * DAY, until: T0 + 30 * DAY } })).toEqual({
      workingWeeks: 0,
      aiWeeks: 0,
      regularity: null,
    });
  });
});
