import { describe, expect, it } from 'vitest';
import { mad, median, robustZ } from './stats.js';

describe('robust statistics', () => {
  it('median and MAD ignore one wild value', () => {
    const xs = [1, 2, 3, 4, 1000];
    expect(median(xs)).toBe(3);
    expect(mad(xs)).toBe(1);
    expect(median([])).toBeNull();
  });

  it('robust z needs a minimum sample and floors the MAD', () => {
    expect(robustZ(10, [1, 1], { minSample: 3, madFloor: 0.1 }).z).toBeNull();
    const cmp = robustZ(2, [1, 1, 1, 1, 1], { minSample: 3, madFloor: 0.5 });
    // MAD is 0; the floor makes a difference of 1 about 1.35 scaled MADs, not infinity.
    expect(cmp.z).toBeCloseTo(1 / (1.4826 * 0.5), 6);
    expect(cmp.median).toBe(1);
  });
});
