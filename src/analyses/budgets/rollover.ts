/**
 * Roll-over: what the previous period left unused is added to this period's limit, up to the
 * budget's cap. Only the previous period's own amount carries, never what it had carried in
 * itself, so unused money cannot pile up period after period beyond one cap.
 * @module
 */

/** The amount carried into a period, given the previous period's spend. */
export function carriedOver(amount: number, previousSpent: number, cap: number): number {
  return Math.min(cap, Math.max(0, amount - previousSpent));
}
