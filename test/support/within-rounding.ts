/**
 * Deep comparison that lets floating-point sums differ in their last bits: engines add the same
 * costs in different orders, so their totals may differ by ~1e-13 relative, while every count,
 * key, name and order must be identical. Printed costs (8 decimals) may then differ by one in the
 * last place: prices such as $1.25 per million tokens make sums that end in exactly 5 at the
 * ninth decimal, where the last bit decides which way the printed figure rounds. Figures printed
 * with fewer decimals (a flag's `--explain` checks: 6) may likewise differ by one in their last place.
 * @module
 */

/** Relative difference two sums of the same numbers may show. */
export const RELATIVE_TOLERANCE = 1e-9;
/** One unit in the eighth decimal, the precision reports print costs with. */
export const PRINTED_UNIT = 1e-8;
/** The fewest decimals a printed figure whose last place may flip is rounded to. */
const MIN_PRINTED_DECIMALS = 6;

/** Decimals `x` was printed with (trailing zeros dropped, as JSON drops them). */
function decimals(x: number): number {
  const text = String(x);
  const point = text.indexOf('.');
  return point < 0 || text.includes('e') ? 0 : text.length - point - 1;
}

function close(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  if (diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)) || diff <= PRINTED_UNIT * 1.000001)
    return true;
  // One in the last place of a figure rounded to 6 or 7 decimals: the larger count of decimals is
  // the precision it was printed at (the other may have dropped a trailing zero).
  const printed = Math.max(decimals(a), decimals(b));
  return printed >= MIN_PRINTED_DECIMALS && printed < 8 && diff <= 10 ** -printed * 1.000001;
}

/**
 * `actual` with every number that is within rounding of the number at the same place in
 * `expected` replaced by that number; compare the result with `toEqual(expected)` to see a
 * readable diff of what really differs.
 */
export function withinRounding<T>(actual: T, expected: unknown): T {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return (close(actual, expected) ? expected : actual) as T;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.map((v, i) => withinRounding(v, expected[i])) as T;
  }
  if (actual instanceof Map && expected instanceof Map) {
    return new Map([...actual].map(([k, v]) => [k, withinRounding(v, expected.get(k))])) as T;
  }
  if (actual !== null && typeof actual === 'object' && expected !== null && typeof expected === 'object') {
    const e = expected as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(actual as Record<string, unknown>).map(([k, v]) => [k, withinRounding(v, e[k])]),
    ) as T;
  }
  return actual;
}
