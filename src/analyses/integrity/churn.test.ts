import { describe, expect, it } from 'vitest';
import { commit, sha } from '../value/fixtures.js';
import { churn } from './churn.js';
import { integrityContext } from './context.js';
import { DAY, honestTeam, T0, WINDOW } from './fixtures.js';

describe('churn', () => {
  it('finds AI-assisted changes reverted soon after shipping, with the revert commits', () => {
    const t = honestTeam();
    const mine = [0, 1, 2, 3, 4, 7].map((day) => t.work('x', day));
    for (const [k, p] of mine.slice(0, 4).entries())
      t.commits.push(
        commit({
          label: `revert-${k}`,
          author: 'x',
          revertsSha: p.commit.sha,
          authorTs: T0 + (10 + k) * DAY,
        }),
      );
    const found = churn(integrityContext(t.model(), { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    const f = found[0]!;
    expect(f.evidence.numbers.churnedChanges).toBe(4);
    expect(f.evidence.commitShas).toEqual([0, 1, 2, 3].map((k) => sha(`revert-${k}`)));
    expect(f.evidence.sessionIds).toHaveLength(4);
  });
});
