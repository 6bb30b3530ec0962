import { describe, expect, it } from 'vitest';
import { adoption } from './adoption.js';
import { DAY, sessionScenario, T0 } from './fixtures.js';

describe('adoption', () => {
  const { model } = sessionScenario();
  const window = { from: T0, until: T0 + 14 * DAY };

  it('reports weekly active AI and agentic users over headcount', () => {
    const m = adoption(model, { window });
    // Headcount 3 both weeks (everyone has a membership). Week 0: alice and bob used AI, both ran
    // an agentic session → 2/3, 2/3. Week 1: alice (sA4) and carol (sC1), neither agentic → 2/3, 0.
    expect(m.weeks).toEqual([
      {
        week: '2026-03-02',
        headcount: 3,
        activeAiUsers: 2,
        agenticUsers: 2,
        activeShare: 2 / 3,
        agenticShare: 2 / 3,
      },
      {
        week: '2026-03-09',
        headcount: 3,
        activeAiUsers: 2,
        agenticUsers: 0,
        activeShare: 2 / 3,
        agenticShare: 0,
      },
    ]);
    expect(m.meanActiveShare).toBeCloseTo(2 / 3, 12);
    // (2/3 + 0) / 2
    expect(m.meanAgenticShare).toBeCloseTo(1 / 3, 12);
  });

  it('uses the team’s own headcount', () => {
    const m = adoption(model, { scope: { kind: 'team', team: 'core' }, window });
    // Core has 2 members. Week 0: 2/2 active, 2/2 agentic. Week 1: alice only → 1/2, 0.
    expect(m.weeks.map((w) => [w.headcount, w.activeShare, w.agenticShare])).toEqual([
      [2, 1, 1],
      [2, 0.5, 0],
    ]);
    // (1 + 0.5) / 2 and (1 + 0) / 2
    expect(m.meanActiveShare).toBeCloseTo(0.75, 12);
    expect(m.meanAgenticShare).toBeCloseTo(0.5, 12);
  });
});
