import { describe, expect, it } from 'vitest';
import { ALL_TIME, WEEK_MS } from '../value/time.js';
import { honestTeam } from './fixtures.js';
import { isPeriod, PERIOD_WEEKS, periodLabel, periodOf, periodsOverlapping } from './periods.js';

const day = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe('integrity periods', () => {
  it('are fixed 8-week blocks starting on a Monday, whatever time inside them is asked about', () => {
    const p = periodOf(day('2026-06-10') + 12_345);
    expect(new Date(p.from).getUTCDay()).toBe(1);
    expect(p.until - p.from).toBe(PERIOD_WEEKS * WEEK_MS);
    expect(p.from).toBeLessThanOrEqual(day('2026-06-10'));
    expect(periodOf(p.from)).toEqual(p);
    expect(periodOf(p.until - 1)).toEqual(p);
    expect(periodOf(p.until).from).toBe(p.until);
    expect(isPeriod(p)).toBe(true);
    expect(isPeriod({ from: p.from, until: p.until - 1 })).toBe(false);
    expect(periodLabel({ from: day('2026-06-08'), until: day('2026-08-03') })).toBe(
      '2026-06-08 – 2026-08-02',
    );
  });

  it('covers a range with every period it overlaps, open ends stopping at the data', () => {
    const model = honestTeam().model();
    const all = periodsOverlapping(model, ALL_TIME);
    expect(all.length).toBeGreaterThan(0);
    expect(all[0]!.from).toBeLessThanOrEqual(model.sessions[0]!.firstTs);
    expect(all.at(-1)!.until).toBeGreaterThan(model.asOf);
    for (let i = 1; i < all.length; i++) expect(all[i]!.from).toBe(all[i - 1]!.until);
    const one = periodOf(model.asOf);
    expect(periodsOverlapping(model, { from: model.asOf - 1, until: model.asOf })).toEqual([one]);
    expect(periodsOverlapping(model, { from: 0, until: 1 })).toEqual([]);
  });
});
