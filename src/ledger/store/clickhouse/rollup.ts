/**
 * The quarter-hour roll-up (`usage_rollup`): per unit, sums per quarter hour, person, tool, model
 * and project, which reports read instead of raw rows.
 *
 * It is maintained on insert, but not by summing what is inserted: a batch may replace a stored
 * copy, delete rows (replaced origins) or supersede a sidechain copy, and several servers may
 * insert copies of the same call at once. Instead, every write recomputes the units it touched
 * from the raw rows, in one `INSERT … SELECT` that reads `usage` once, and stamps the result with
 * a watermark: the highest block number among the data parts holding the winning copies it read.
 * ClickHouse numbers parts of a table in insertion order, and merged parts keep their highest
 * number, so a recompute that saw a newer winner has a higher watermark, and two with the same
 * watermark saw the same winners and wrote the same sums. A recompute writes one row per unit, and
 * readers take each unit's row of the highest watermark (what merges also keep in the end; see
 * `newestUnitRows`): whichever order racing writers recompute in, the last insert into a unit is
 * followed by a recompute that sees it.
 * @module
 */
import type { Connection } from './connection.js';
import type { UnitKey } from './rows.js';
import { type Sql, sql, trusted, tupleList } from './sql.js';

const BUCKET_SECONDS = 900;

/** Units recomputed by one statement at most (keeps the IN list and the grouping small). */
const UNITS_PER_STATEMENT = 2_000;

function recomputeStatement(units: readonly UnitKey[]): Sql {
  const unitList = tupleList(units.map((u) => [u.kDay, u.kPerson]));
  // FINAL picks each id's winning copy; its part's highest block number feeds the watermark, so
  // tombstones and rows that do not count still advance it.
  const rows = sql`
    SELECT k_day, k_person,
      toUInt8(deleted = 0 AND superseded = 0) AS counted,
      ts_ms AS r_ts,
      toUInt32(intDiv(intDiv(ts_ms, 1000), ${BUCKET_SECONDS}) * ${BUCKET_SECONDS}) AS r_bucket,
      person_id AS r_person,
      CAST(tool AS String) AS r_tool,
      CAST(ifNull(model, '') AS String) AS r_model,
      toUInt8(isNotNull(model)) AS r_has_model,
      CAST(ifNull(project, '') AS String) AS r_project,
      toUInt8(isNotNull(project)) AS r_has_project,
      input_uncached, cache_read, cache_write_5m, cache_write_1h, cache_write_other, output, reasoning,
      ifNull(cost_usd, 0) AS r_cost, isNull(cost_usd) AS r_unpriced, ifNull(credits, 0) AS r_credits,
      toUInt64(splitByChar('_', _part)[3]) AS blk
    FROM usage FINAL WHERE (k_day, k_person) IN ${unitList}`;
  const groups = sql`
    SELECT k_day, k_person, r_bucket, r_person, r_tool, r_model, r_has_model, r_project, r_has_project,
      sumIf(input_uncached, counted = 1) AS s_input_uncached,
      sumIf(cache_read, counted = 1) AS s_cache_read,
      sumIf(cache_write_5m, counted = 1) AS s_cache_write_5m,
      sumIf(cache_write_1h, counted = 1) AS s_cache_write_1h,
      sumIf(cache_write_other, counted = 1) AS s_cache_write_other,
      sumIf(output, counted = 1) AS s_output,
      sumIf(reasoning, counted = 1) AS s_reasoning,
      sumIf(r_cost, counted = 1) AS s_cost,
      sumIf(r_credits, counted = 1) AS s_credits,
      toInt64(countIf(counted = 1)) AS s_calls,
      toInt64(countIf(counted = 1 AND r_unpriced = 1)) AS s_unpriced,
      minIf(r_ts, counted = 1) AS s_first,
      maxIf(r_ts, counted = 1) AS s_last,
      max(blk) AS g_blk
    FROM (${rows})
    GROUP BY k_day, k_person, r_bucket, r_person, r_tool, r_model, r_has_model, r_project, r_has_project`;
  return sql`
    INSERT INTO usage_rollup (k_day, k_person, wm, bucket, person_id, tool, model, has_model, project, has_project,
      input_uncached, cache_read, cache_write_5m, cache_write_1h, cache_write_other, output, reasoning,
      cost_usd, credits, calls, unpriced_calls, first_ts, last_ts)
    SELECT k_day, k_person, max(g_blk) AS wm,
      groupArray(r_bucket), groupArray(r_person), groupArray(r_tool), groupArray(r_model), groupArray(r_has_model),
      groupArray(r_project), groupArray(r_has_project), groupArray(s_input_uncached), groupArray(s_cache_read),
      groupArray(s_cache_write_5m), groupArray(s_cache_write_1h), groupArray(s_cache_write_other),
      groupArray(s_output), groupArray(s_reasoning), groupArray(s_cost), groupArray(s_credits),
      groupArray(s_calls), groupArray(s_unpriced), groupArray(s_first), groupArray(s_last)
    FROM (${groups})
    GROUP BY k_day, k_person`;
}

/** Recomputes the roll-up rows of `units` from the raw rows they hold now. */
export async function recomputeUnits(connection: Connection, units: Iterable<UnitKey>): Promise<void> {
  const list = [...units];
  for (let start = 0; start < list.length; start += UNITS_PER_STATEMENT) {
    await connection.command(recomputeStatement(list.slice(start, start + UNITS_PER_STATEMENT)));
  }
}

/** The SQL text of one recompute, for tests that check its shape without a server. */
export const recomputeSql = recomputeStatement;

/** The roll-up's group columns, each with the name it has as a fact. */
const GROUP_COLUMNS: readonly [column: string, fact: string][] = [
  ['bucket', 't_ms'],
  ['person_id', 'person_id'],
  ['tool', 'tool'],
  ['model', 'model'],
  ['has_model', 'has_model'],
  ['project', 'project'],
  ['has_project', 'has_project'],
  ['input_uncached', 'input_uncached'],
  ['cache_read', 'cache_read'],
  ['cache_write_5m', 'cache_write_5m'],
  ['cache_write_1h', 'cache_write_1h'],
  ['cache_write_other', 'cache_write_other'],
  ['output', 'output'],
  ['reasoning', 'reasoning'],
  ['cost_usd', 'cost_usd'],
  ['credits', 'credits'],
  ['calls', 'calls'],
  ['unpriced_calls', 'unpriced_calls'],
  ['first_ts', 'first_ts'],
  ['last_ts', 'last_ts'],
];

/** How a fact is made from the unrolled `g_<column>` value. */
const FACT_OF: Record<string, string> = {
  t_ms: 'toInt64(g_bucket) * 1000',
  tool: 'CAST(g_tool AS String)',
  model: 'CAST(g_model AS String)',
  project: 'CAST(g_project AS String)',
};

// Each stage has names of its own (a_, g_): ClickHouse resolves an alias before a column of the
// same name, so reusing the facts' names inside would refer a column to itself.
const UNIT_ARRAYS = trusted(GROUP_COLUMNS.map(([c]) => `${c} AS a_${c}`).join(', '));
const UNROLLED = trusted(GROUP_COLUMNS.map(([c]) => `a_${c} AS g_${c}`).join(', '));
const FACTS = trusted(
  [...GROUP_COLUMNS.map(([c, fact]) => `${FACT_OF[fact] ?? `g_${c}`} AS ${fact}`), "'' AS session_id"].join(
    ', ',
  ),
);

/**
 * The newest row of each unit the `unitDays` condition selects, with its arrays named `a_<column>`.
 *
 * Not `FINAL`: on 18.16 it merges in one thread and copies every array of every row it reads, and
 * took three quarters of a whole-ledger report (2.4 s of server CPU for 30,000 units, against
 * 0.5 s to read the same columns plainly). Instead the highest watermark of each unit is read first
 * (the key columns and `wm` only), and each unit's first row at or above it is kept. A unit's
 * highest watermark only grows (inserts add rows, merges keep the highest), so the main read, which
 * may see later parts than the first, still holds a row at or above it for every unit: either the
 * row the first read saw or a later recompute, each of them whole. Rows of equal watermark hold
 * the same groups, so which of them `LIMIT 1 BY` keeps does not matter.
 */
function newestUnitRows(unitDays: Sql): Sql {
  return sql`
    SELECT k_day, k_person, ${UNIT_ARRAYS}
    FROM usage_rollup
    ANY INNER JOIN (
      SELECT k_day, k_person, max(wm) AS top FROM usage_rollup WHERE ${unitDays} GROUP BY k_day, k_person
    ) USING (k_day, k_person)
    WHERE ${unitDays} AND wm >= top
    LIMIT 1 BY k_day, k_person`;
}

/**
 * Roll-up groups that count, in the shape of raw facts (see usage-query.ts): the newest row of each
 * unit, its groups unrolled, empty groups left out.
 */
export function rollupFacts(unitDays: Sql, where: Sql): Sql {
  return sql`
    SELECT ${FACTS}
    FROM (${newestUnitRows(unitDays)})
    ARRAY JOIN ${UNROLLED}
    WHERE g_calls > 0 AND (${where})`;
}
