import { describe, expect, it } from 'vitest';
import { periodIndex, periodsOf } from './periods.js';

const at = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe('periodsOf', () => {
  it('cuts a window into UTC months, the cut ends partial', () => {
    const p = periodsOf('month', { from: at('2026-01-15'), until: at('2026-03-10') });
    expect(p.map((x) => [x.start, x.partial])).toEqual([
      ['2026-01-01', true],
      ['2026-02-01', false],
      ['2026-03-01', true],
    ]);
    expect(p[0]!.from).toBe(at('2026-01-15'));
    expect(p[2]!.until).toBe(at('2026-03-10'));
  });

  it('cuts a window into ISO weeks starting on Monday', () => {
    // 2026-03-04 is a Wednesday.
    const p = periodsOf('week', { from: at('2026-03-04'), until: at('2026-03-16') });
    expect(p.map((x) => [x.start, x.partial])).toEqual([
      ['2026-03-02', true],
      ['2026-03-09', false],
    ]);
    expect(periodIndex(p, at('2026-03-09'))).toBe(1);
    expect(periodIndex(p, at('2026-03-09') - 1)).toBe(0);
    expect(periodIndex(p, at('2026-03-16'))).toBe(-1);
    expect(periodIndex(p, at('2026-03-03'))).toBe(-1);
  });

  it('refuses an open window', () => {
    expect(() => periodsOf('week', { from: 0, until: Number.POSITIVE_INFINITY })).toThrow(/finite/);
  });
});
