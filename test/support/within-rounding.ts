/**
 * Deep comparison that lets floating-point sums differ in their last bits: engines add the same
 * costs in different orders, so their totals may differ by ~1e-13 relative, while every count,
 * key, name and order must be identical. Printed costs (8 decimals) may then differ by one in the
 * last place: prices such as $1.25 per million tokens make sums that end in exactly 5 at the
 * ninth decimal, where the last bit decides which way the printed figure rounds.
 * @module
 */

/** Relative difference two sums of the same numbers may show. */
export const RELATIVE_TOLERANCE = 1e-9;
/** One unit in the eighth decimal, the precision reports print costs with. */
export const PRINTED_UNIT = 1e-8;

function close(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  return diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)) || diff <= PRINTED_UNIT * 1.000001;
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
