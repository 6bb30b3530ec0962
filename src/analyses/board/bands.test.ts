import { describe, expect, it } from 'vitest';
import { compositeScores, percentileRanks, rankAndBand } from './bands.js';

describe('bands', () => {
  it('gives tied values the mean of their positions', () => {
    // Sorted: 1 (pos 0), 5 and 5 (pos 1, 2 → 1.5), 9 (pos 3); divided by n − 1 = 3.
    expect(percentileRanks([5, 1, 9, 5])).toEqual([0.5, 0, 1, 0.5]);
    expect(percentileRanks([7])).toEqual([0.5]);
  });

  it('averages component percentiles for a composite', () => {
    // Entry 0 is best on the first component (1) and worst on the second (0) → 0.5.
    expect(
      compositeScores([
        [3, 1, 2],
        [0, 2, 1],
      ]),
    ).toEqual([0.5, 0.5, 0.5]);
  });

  it('bands by rank / n and keeps entries without outcome in the rest', () => {
    const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 0, 0, 0];
    const has = scores.map((s) => s > 0);
    const r = rankAndBand(scores, has);
    // n = 12: rank 1 → 1/12 ≤ 10 %; ranks 2–3 ≤ 25 %; ranks 4–6 ≤ 50 %; the rest beyond.
    expect(r.map((x) => x.band)).toEqual([
      'top_10',
      'top_25',
      'top_25',
      'top_50',
      'top_50',
      'top_50',
      'rest',
      'rest',
      'rest',
      'rest',
      'rest',
      'rest',
    ]);
    // Competition ranking: the three zeros share rank 10.
    expect(r.slice(9).map((x) => x.rank)).toEqual([10, 10, 10]);
  });
});
