import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { costPerOutcome } from './cost-per-outcome.js';
import { honestTeam, WINDOW } from './fixtures.js';

describe('cost per outcome', () => {
  it('finds $ per durable change far above the peers, low unless it is a large multiple', () => {
    const t = honestTeam();
    for (const day of [0, 1, 2, 3, 4]) t.work('x', day, { costUsd: 40 });
    const found = costPerOutcome(integrityContext(t.model(), { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    const f = found[0]!;
    expect(f.evidence.numbers.costPerOutcomeUsd).toBe(40);
    expect(f.evidence.changeIds).toHaveLength(5);
    // 40 / ~1.9 ≈ 20× the peers' median and no baseline to disagree: high.
    expect(f.severity).toBe('high');
    expect(f.wastedUsd).toBeGreaterThan(150);
  });

  it('leaves the honest heavy user alone: five times the spend, five times the changes', () => {
    const found = costPerOutcome(integrityContext(honestTeam().model(), { window: WINDOW }));
    expect(found).toEqual([]);
  });
});
