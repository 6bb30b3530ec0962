/**
 * Robust statistics for the integrity signals: medians and MADs rather than means and standard
 * deviations, because the people we look for are the outliers, and a mean and a standard
 * deviation computed with them in the sample would hide them (one burner can double a team's
 * mean). Spend and counts are compared on a log scale: they are multiplicative (a heavy user
 * spends 5× a light one) and a log turns ratios into distances.
 * @module
 */

/** Median of a sample (mean of the two middle values for even sizes); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation from the median; null when empty. */
export function mad(values: readonly number[], centre = median(values)): number | null {
  if (centre === null) return null;
  return median(values.map((v) => Math.abs(v - centre)));
}

/** Scales a MAD to a standard deviation's units for normal data. */
const MAD_TO_SD = 1.4826;

export interface RobustComparison {
  /** The robust z-score, or null when the sample is smaller than `minSample`. */
  z: number | null;
  median: number | null;
  mad: number | null;
  n: number;
}

export interface RobustOptions {
  /** Fewer values than this: no comparison (z is null). */
  minSample: number;
  /**
   * Lower bound on the MAD. When most of a group is alike the MAD is near 0 and any difference
   * would look infinite; the floor says how much difference is ordinary.
   */
  madFloor: number;
}

/** How many scaled MADs `value` lies above the sample's median (negative: below). */
export function robustZ(value: number, sample: readonly number[], o: RobustOptions): RobustComparison {
  const n = sample.length;
  if (n < o.minSample) return { z: null, median: median(sample), mad: null, n };
  const m = median(sample)!;
  const d = mad(sample, m)!;
  const z = (value - m) / (MAD_TO_SD * Math.max(d, o.madFloor));
  return { z, median: m, mad: d, n };
}

/** log(x + 1): a log scale on which zero (no spend, no changes) is still a value. */
export function log1p(x: number): number {
  return Math.log1p(Math.max(0, x));
}
