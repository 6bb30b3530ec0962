import { describe, expect, it } from 'vitest';
import { addDays } from '../reports/dates.js';
import type { AdoptionPoint } from './adoption.js';
import { datesBetween, weekdayOf } from './calendar.js';
import { type ForecastInput, forecastPeriod, weekdayFactors } from './forecast.js';
import type { DailyAmount } from './spend.js';

/** `days` complete days ending the day before `today`, spend from `amount(i, date)`. */
function series(today: string, days: number, amount: (i: number, date: string) => number): DailyAmount[] {
  const dates = datesBetween(addDays(today, -days), today);
  return dates.map((date, i) => ({ date, amount: amount(i, date) }));
}

function input(overrides: Partial<ForecastInput> & Pick<ForecastInput, 'history'>): ForecastInput {
  return {
    periodStart: '2026-03-01',
    periodEnd: '2026-04-01',
    today: '2026-03-11',
    dayFraction: 0,
    todaySoFar: 0,
    spentToDate: 0,
    limit: 1e12,
    seed: 7,
    ...overrides,
  };
}

/** Seeded uniform numbers in [0, 1), for noise with a known distribution. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('forecastPeriod', () => {
  it('a steady 100 a day: the limit is reached on the day the arithmetic says, with no spread', () => {
    const history = series('2026-03-11', 60, () => 100);
    const f = forecastPeriod(input({ history, spentToDate: 1000, limit: 2500 }));
    expect(f.method).toBe('trend');
    expect(f.burnRatePerDay).toBeCloseTo(100, 6);
    expect(f.trendPerDay).toBeCloseTo(0, 6);
    // 1,000 spent; 15 more days of 100 reach 2,500 at the end of 25 March.
    expect(f.exhaustsOn).toBe('2026-03-25');
    expect(f.projected.mid).toBeCloseTo(1000 + 21 * 100, 6);
    expect(f.projected.low).toBeCloseTo(f.projected.mid, 6);
    expect(f.projected.high).toBeCloseTo(f.projected.mid, 6);
    expect(f.exhaustsRange).toEqual({ early: '2026-03-25', late: '2026-03-25' });
    expect(f.exhaustionProbability).toBe(1);
    expect(f.path).toHaveLength(21);
  });

  it('counts only the rest of today', () => {
    const history = series('2026-03-11', 60, () => 100);
    const f = forecastPeriod(input({ history, spentToDate: 1030, todaySoFar: 30, dayFraction: 0.25 }));
    expect(f.path[0]!.mid).toBeCloseTo(1030 + 75, 6);
    expect(f.projected.mid).toBeCloseTo(1030 + 75 + 20 * 100, 6);
  });

  it('recovers a weekday pattern and projects each weekday at its own level', () => {
    const history = series('2026-03-11', 56, (_i, date) => (weekdayOf(date) >= 5 ? 50 : 120));
    const factors = weekdayFactors(history);
    expect(factors[0]).toBeCloseTo(1.2, 6);
    expect(factors[6]).toBeCloseTo(0.5, 6);
    const f = forecastPeriod(input({ history }));
    const saturday = f.path.find((p) => p.date === '2026-03-14')!;
    const friday = f.path.find((p) => p.date === '2026-03-13')!;
    const thursday = f.path.find((p) => p.date === '2026-03-12')!;
    expect(saturday.mid - friday.mid).toBeCloseTo(50, 6);
    expect(friday.mid - thursday.mid).toBeCloseTo(120, 6);
  });

  it('too little history to see a weekday pattern: flat factors, a plain level', () => {
    expect(weekdayFactors(series('2026-03-11', 10, () => 5))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const f = forecastPeriod(input({ history: series('2026-03-11', 5, (i) => 10 + i) }));
    expect(f.method).toBe('level');
    expect(f.burnRatePerDay).toBeCloseTo(12, 6);
    expect(f.notes.join(' ')).toMatch(/Only 5 day/);
  });

  it('no spend at all: nothing to forecast', () => {
    const f = forecastPeriod(input({ history: series('2026-03-11', 30, () => 0), limit: 10 }));
    expect(f.method).toBe('none');
    expect(f.exhaustsOn).toBeNull();
    expect(f.projected).toEqual({ low: 0, mid: 0, high: 0 });
  });

  it('spend driven by agentic users follows their growth, up to the active users', () => {
    // Agentic users grow by 2 a day from 100; spend is 50 + 3 per agentic user; 300 are active.
    const today = '2026-03-11';
    const history = series(today, 42, (i) => 50 + 3 * (100 + 2 * i));
    const points: AdoptionPoint[] = history.map((d, i) => ({
      date: d.date,
      active: 300,
      agentic: 100 + 2 * i,
    }));
    const spent = 4000;
    const f = forecastPeriod(
      input({ history, spentToDate: spent, limit: 12_000, adoption: { points, headcount: 1000 } }),
    );
    expect(f.method).toBe('adoption');
    expect(f.adoption).toMatchObject({ headcount: 1000, agenticShare: 0.182, activeShare: 0.3 });
    expect(f.adoption!.agenticGrowthPerMonth).toBeCloseTo(0.06, 6);
    expect(f.adoption!.spendPerAgenticUser).toBeCloseTo(3, 6);
    expect(f.adoption!.ceilingShare).toBeCloseTo(0.3, 6);
    // The same arithmetic by hand: agentic users 182 + 2h, at most 300.
    let cum = spent;
    let exhausts: string | null = null;
    for (const [h, date] of datesBetween(today, '2026-04-01').entries()) {
      cum += 50 + 3 * Math.min(300, 182 + 2 * (h + 1));
      if (exhausts === null && cum >= 12_000) exhausts = date;
    }
    expect(f.projected.mid).toBeCloseTo(cum, 6);
    expect(f.exhaustsOn).toBe(exhausts);
  });

  it('a ramp that runs into the headcount stops there', () => {
    const history = series('2026-03-11', 30, (i) => 10 * (80 + i));
    const points = history.map((d, i) => ({ date: d.date, active: 110, agentic: 80 + i }));
    const f = forecastPeriod(input({ history, adoption: { points, headcount: 110 } }));
    // 109 agentic users yesterday, 110 people at most: every later day spends 10 × 110.
    const last = f.path.at(-1)!;
    const before = f.path.at(-2)!;
    expect(last.mid - before.mid).toBeCloseTo(1100, 6);
    expect(f.adoption!.ceilingShare).toBe(1);
  });

  it('already over the limit: the day it happened, with certainty', () => {
    const history = series('2026-03-11', 30, () => 100);
    const f = forecastPeriod(input({ history, spentToDate: 1200, limit: 1000, exhaustedOn: '2026-03-10' }));
    expect(f.exhaustsOn).toBe('2026-03-10');
    expect(f.exhaustionProbability).toBe(1);
    expect(f.exhaustsRange).toEqual({ early: '2026-03-10', late: '2026-03-10' });
  });

  it('the same inputs give the same interval', () => {
    const rand = uniform(3);
    const history = series('2026-03-11', 40, () => 100 * (0.7 + 0.6 * rand()));
    const a = forecastPeriod(input({ history }));
    const b = forecastPeriod(input({ history }));
    expect(a.projected).toEqual(b.projected);
  });

  it('the 80 % interval holds the real period end about 80 % of the time on noisy steady spend', () => {
    let inside = 0;
    const runs = 60;
    for (let run = 0; run < runs; run++) {
      const rand = uniform(100 + run);
      const noise = () => 100 * (0.6 + 0.8 * rand());
      const history = series('2026-03-11', 40, noise);
      const f = forecastPeriod(input({ history, seed: run }));
      // The real future, from the same process.
      let actual = 0;
      for (let i = 0; i < 21; i++) actual += noise();
      if (actual >= f.projected.low && actual <= f.projected.high) inside++;
      expect(f.projected.low).toBeLessThan(f.projected.mid);
      expect(f.projected.high).toBeGreaterThan(f.projected.mid);
    }
    expect(inside / runs).toBeGreaterThanOrEqual(0.7);
    expect(inside / runs).toBeLessThanOrEqual(0.95);
  });

  it('the 80 % interval holds about 80 % of the time when days are autocorrelated (AR(1), ρ = 0.5)', () => {
    // Correlated days carry less information than their count: an interval built as if they were
    // independent is too narrow here. The real future comes from the same process.
    const runs = 100;
    let inside = 0;
    let exhaustInside = 0;
    for (let run = 0; run < runs; run++) {
      const rand = uniform(500 + run);
      const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
      let e = 0;
      const next = () => {
        e = 0.5 * e + Math.sqrt(1 - 0.25) * 0.25 * gauss();
        return Math.max(0, 100 * (1 + e));
      };
      for (let warm = 0; warm < 20; warm++) next();
      const history = series('2026-03-11', 56, () => next());
      let actual = 0;
      const future: number[] = [];
      for (let i = 0; i < 21; i++) {
        actual += next();
        future.push(1000 + actual);
      }
      // A limit the real spend reaches on the 14th day from now.
      const limit = future[13]! - 1e-6;
      const f = forecastPeriod(input({ history, seed: run, spentToDate: 1000, limit }));
      if (1000 + actual >= f.projected.low && 1000 + actual <= f.projected.high) inside++;
      const truth = datesBetween('2026-03-11', '2026-04-01')[future.findIndex((c) => c >= limit)]!;
      const { early, late } = f.exhaustsRange;
      if (early !== null && early <= truth && (late === null || late >= truth)) exhaustInside++;
    }
    // Measured: 73 % and 80 % (100 series); 60 of them vary by about ±6 points.
    expect(inside / runs).toBeGreaterThanOrEqual(0.65);
    expect(inside / runs).toBeLessThanOrEqual(0.95);
    expect(exhaustInside / runs).toBeGreaterThanOrEqual(0.7);
    expect(exhaustInside / runs).toBeLessThanOrEqual(0.97);
  });
});
