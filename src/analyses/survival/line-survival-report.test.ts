import { describe, expect, it } from 'vitest';
import { lineSurvivalReport } from './line-survival-report.js';

describe('lineSurvivalReport', () => {
  it('splits survival by AI assistance and sums lines, not commit rates', () => {
    const r = lineSurvivalReport(
      [
        { sha: 'a', repo: 'r', aiAssisted: true, added: 10, surviving: 5 },
        { sha: 'b', repo: 'r', aiAssisted: true, added: 30, surviving: 30 },
        { sha: 'c', repo: 'r', aiAssisted: false, added: 20, surviving: 10 },
        { sha: 'd', repo: 'r', aiAssisted: false, added: 0, surviving: 0 },
      ],
      30,
      2,
      1,
    );
    // AI: (5 + 30) / (10 + 30) = 0.875, not the mean of 0.5 and 1.
    expect(r.aiAssisted).toEqual({ commits: 2, added: 40, surviving: 35, rate: 0.875 });
    expect(r.other).toEqual({ commits: 2, added: 20, surviving: 10, rate: 0.5 });
    expect(r.all).toEqual({ commits: 4, added: 60, surviving: 45, rate: 0.75 });
    expect(r).toMatchObject({ horizonDays: 30, tooRecent: 2, notSampled: 1 });
  });

  it('has no rate when nothing was added', () => {
    expect(lineSurvivalReport([], 30, 0, 0).all.rate).toBeNull();
  });
});
