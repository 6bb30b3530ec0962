import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { honestTeam, WINDOW } from './fixtures.js';
import { tinyPrs } from './tiny-prs.js';

describe('many tiny self-merged PRs', () => {
  it('finds a person whose PRs are mostly tiny and merged without review', () => {
    const t = honestTeam();
    for (let day = 0; day < 12; day++) {
      t.work('x', day, { lines: 8, selfMerged: true, costUsd: 0.4 });
      if (day % 3 === 0) t.work('x', day, { lines: 80 });
    }
    const found = tinyPrs(integrityContext(t.model(), { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    expect(found[0]!.evidence.numbers.tinySelfMerged).toBe(12);
    expect(found[0]!.evidence.changeIds).toHaveLength(12);
    expect(found[0]!.evidence.commitShas).toHaveLength(12);
  });

  it('does not count tiny PRs that someone else approved', () => {
    const t = honestTeam();
    for (let day = 0; day < 12; day++) t.work('x', day, { lines: 8 });
    expect(tinyPrs(integrityContext(t.model(), { window: WINDOW }))).toEqual([]);
  });
});
