import { describe, expect, it } from 'vitest';
import { costTrend } from './trend.js';

describe('costTrend', () => {
  it('reads a falling cost as a relative change per period', () => {
    // Slope −2 per period over a mean of 8: 25 % cheaper each period.
    expect(costTrend([10, 8, 6])).toEqual({
      direction: 'falling',
      changePerPeriod: -0.25,
      periods: 3,
      reason: null,
    });
  });

  it('calls a change within ±5 % a period flat and skips periods that may not take part', () => {
    // Points (1,100) (2,102) (3,104): slope 2 over a mean of 102 ≈ 2 % a period.
    const t = costTrend([null, 100, 102, 104]);
    expect(t.direction).toBe('flat');
    expect(t.changePerPeriod).toBeCloseTo(2 / 102, 12);
    expect(t.periods).toBe(3);
    expect(costTrend([1, 2, 4]).direction).toBe('rising');
  });

  it('states no direction with fewer than three periods', () => {
    expect(costTrend([5, null, 7])).toMatchObject({ direction: null, changePerPeriod: null, periods: 2 });
  });
});
