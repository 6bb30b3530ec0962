import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { HEAVY, honestTeam, WINDOW } from './fixtures.js';
import { spendWithoutOutcomes } from './no-outcome-spend.js';

describe('spend without outcomes', () => {
  it('finds a person whose spend mostly bought nothing durable, and not the honest heavy user', () => {
    const t = honestTeam();
    for (let day = 0; day < 20; day++) {
      t.work('x', day, { costUsd: 1.5 });
      t.add({ personId: 'x', day, costUsd: 6, edits: 8, commitShas: [] });
    }
    const found = spendWithoutOutcomes(integrityContext(t.model(), { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    const f = found[0]!;
    expect(f.evidence.numbers.wasteShare).toBeCloseTo(120 / 150, 3);
    expect(f.evidence.sessionIds).toHaveLength(20);
    expect(f.wastedUsd).toBeGreaterThan(0);
    expect(found.some((x) => x.personId === HEAVY)).toBe(false);
  });
});
