/**
 * SQL for the rows that count: the winning copy of every usage id (`FINAL`: the highest version,
 * the later insert on a tie, as merges decide), minus tombstones and superseded sidechain copies.
 * Everything that reads usage rows, rather than roll-ups, starts here.
 * @module
 */
import { utcDay } from './rows.js';
import { inList, join, type Sql, sql, trusted } from './sql.js';

const DAY_MS = 86_400_000;

/*
 * A row's unit day is the UTC day of the first copy of its call that arrived; the copy that wins
 * may be a little later or earlier. Two days of margin on each side of an instant window keeps
 * every unit that can hold a row of the window.
 */
const UNIT_MARGIN_MS = 2 * DAY_MS;

/** Conditions on the unit key alone (so they select whole units) for rows with `since <= ts < until`. */
export function unitDays(window: { since?: number; until?: number }): Sql {
  const parts: Sql[] = [];
  if (window.since !== undefined && Number.isFinite(window.since)) {
    parts.push(sql`k_day >= toDate(${utcDay(Math.max(0, window.since - UNIT_MARGIN_MS))})`);
  }
  if (window.until !== undefined && Number.isFinite(window.until)) {
    parts.push(sql`k_day <= toDate(${utcDay(Math.max(0, window.until + UNIT_MARGIN_MS))})`);
  }
  return parts.length === 0 ? trusted('1') : join(parts, ' AND ');
}

/** Days of unit keys a range may cover before `unitDaysNear` gives up listing them. */
const MAX_LISTED_DAYS = 400;

/**
 * Conditions on the unit key alone for rows inside any of `ranges`: the unit days near each range,
 * not every day from the first range to the last. The fringes of a team's spans are minutes long
 * but lie months apart (a member's first day, "now"), and one window over all of them read the raw
 * rows of every day in between. Null when the ranges are too long to list their days.
 */
export function unitDaysNear(ranges: readonly { from: number; until: number }[]): Sql | null {
  const days = new Set<string>();
  for (const range of ranges) {
    const first = Math.floor(Math.max(0, range.from - UNIT_MARGIN_MS) / DAY_MS) * DAY_MS;
    const last = Math.max(0, range.until + UNIT_MARGIN_MS);
    if (!Number.isFinite(last) || (last - first) / DAY_MS > MAX_LISTED_DAYS) return null;
    for (let ms = first; ms <= last; ms += DAY_MS) days.add(utcDay(ms));
    if (days.size > MAX_LISTED_DAYS) return null;
  }
  return days.size === 0 ? null : sql`k_day IN ${inList([...days].sort())}`;
}

/**
 * `usage FINAL` rows of the units `units` selects that count: live and not superseded. `units`
 * must constrain only `k_day` / `k_person` (FINAL settles copies within a key, and a condition on
 * any other column must apply to the winning copy, after it).
 */
export function liveUsage(columns: Sql, units: Sql, where: Sql = trusted('1')): Sql {
  return sql`SELECT ${columns} FROM usage FINAL
    WHERE ${units} AND deleted = 0 AND superseded = 0 AND (${where})`;
}

/*
 * Costs and credits are summed as doubles, as DuckDB sums them. Fixed-point sums (integer
 * nano-dollars) were tried first: exact and order-free, but rounding each call to 1e-9 moved a
 * day's total of ~1,500 calls by 1e-8, visible in the eighth decimal reports print.
 */
export const COST = trusted('ifNull(cost_usd, 0)');
export const CREDITS = trusted('ifNull(credits, 0)');
