import { describe, expect, it } from 'vitest';
import { unitDaysNear } from './live.js';

const DAY = 86_400_000;
const T = Date.parse('2024-03-10T00:00:00Z');

describe('unitDaysNear', () => {
  it('lists the unit days around each range, not the days between ranges months apart', () => {
    const condition = unitDaysNear([
      { from: T + 8 * 3_600_000, until: T + 8 * 3_600_000 + 600_000 },
      { from: T + 90 * DAY + 60_000, until: T + 90 * DAY + 120_000 },
    ]);
    expect(condition?.text).toBe(
      "k_day IN ('2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12', '2024-06-06', '2024-06-07', '2024-06-08', '2024-06-09', '2024-06-10')",
    );
  });

  it('keeps a range that crosses midnight whole, and clamps instants before 1970', () => {
    expect(unitDaysNear([{ from: T - 60_000, until: T + 60_000 }])?.text).toBe(
      "k_day IN ('2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12')",
    );
    expect(unitDaysNear([{ from: -5 * DAY, until: -4 * DAY }])?.text).toBe("k_day IN ('1970-01-01')");
  });

  it('gives up on ranges too long to list, so that the caller bounds the read by its window', () => {
    expect(unitDaysNear([{ from: T, until: T + 2_000 * DAY }])).toBeNull();
    expect(unitDaysNear([])).toBeNull();
  });
});
