/**
 * Which way a cost per outcome is going: a least-squares line through the per-period values,
 * read as a relative change per period. Only whole periods with enough outcomes take part; with
 * fewer than three of them there is no trend to state, and the answer says why instead of drawing
 * a line through noise.
 * @module
 */
import { linearRegression, mean } from 'simple-statistics';

export type TrendDirection = 'falling' | 'flat' | 'rising';

export interface Trend {
  /** Null when there are too few periods to say. */
  direction: TrendDirection | null;
  /** Slope / mean: the share by which the cost changes per period (-0.1: 10 % cheaper each period). */
  changePerPeriod: number | null;
  /** Periods the line went through. */
  periods: number;
  /** Why there is no direction, when there is none. */
  reason: string | null;
}

/** Below this relative change per period a cost is called flat. */
export const FLAT_BAND = 0.05;
export const MIN_TREND_PERIODS = 3;

/** `values`: per period, the cost per outcome, or null where the period may not take part. */
export function costTrend(values: ReadonlyArray<number | null>): Trend {
  const points = values.flatMap((v, i) => (v === null ? [] : [[i, v] as [number, number]]));
  if (points.length < MIN_TREND_PERIODS)
    return {
      direction: null,
      changePerPeriod: null,
      periods: points.length,
      reason: `${points.length} whole period(s) with enough outcomes; a trend needs ${MIN_TREND_PERIODS}`,
    };
  const avg = mean(points.map((p) => p[1]));
  const change = avg > 0 ? linearRegression(points).m / avg : 0;
  return {
    direction: change <= -FLAT_BAND ? 'falling' : change >= FLAT_BAND ? 'rising' : 'flat',
    changePerPeriod: change,
    periods: points.length,
    reason: null,
  };
}
