/**
 * `Store.usage` on ClickHouse: one statement that sums "facts" — quarter-hour roll-up rows where
 * they answer the question exactly, raw rows where they do not — and groups them by the requested
 * key in the requested time zone.
 *
 * The roll-up answers a query when its time zone's days are whole quarter hours (zone.ts) and the
 * grouping is not by session. Person spans that start or end inside a quarter hour (a window ending
 * "now") are answered from the roll-up for the quarter hours they cover whole and from raw rows
 * for the fringes. Otherwise every fact is a raw row. Both kinds have the same columns and go
 * through the same grouping, so the answer does not depend on which one served it.
 * @module
 */
import type { UsageGrouping, UsageQuery } from '../store.js';
import { TOKEN_COLUMNS } from '../usage-columns.js';
import { COST, CREDITS, liveUsage, unitDays, unitDaysNear } from './live.js';
import { rollupFacts } from './rollup.js';
import { coverByQuarterHours, type MsRange, mergeSpans } from './spans.js';
import { inList, join, literal, type Sql, sql, trusted } from './sql.js';
import { isQuarterHourZone } from './zone.js';

const DAY_MS = 86_400_000;

const LOCAL_TIME = trusted('toDateTime(intDiv(t_ms, 1000))');

/** The group key of each grouping, over facts, with `tz` the (escaped) time zone literal. */
function groupKey(grouping: UsageGrouping, tz: Sql): Sql {
  switch (grouping) {
    case 'day':
      return sql`toString(toDate(${LOCAL_TIME}, ${tz}))`;
    case 'week':
      return sql`toString(toMonday(toDate(${LOCAL_TIME}, ${tz})))`;
    case 'month':
      return sql`formatDateTime(${LOCAL_TIME}, '%Y-%m', ${tz})`;
    case 'session':
      return trusted('session_id');
    case 'model':
      return trusted("if(has_model = 1, model, '(unknown)')");
    case 'project':
      return trusted("if(has_project = 1, project, '(none)')");
    case 'tool':
      return trusted('tool');
    case 'person':
      return trusted('person_id');
  }
  throw new Error(`Unknown grouping '${String(grouping)}'`);
}

export const GROUPINGS: readonly UsageGrouping[] = [
  'day',
  'week',
  'month',
  'session',
  'model',
  'project',
  'tool',
  'person',
];

/** Epoch ms of UTC midnight of a `YYYY-MM-DD` date; throws on anything else. */
export function parseLocalDate(label: string, value: string): number {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new Error(`${label} must be a date YYYY-MM-DD, got '${value}'`);
  }
  return ms;
}

/** Columns a grouping reads besides time, tool and model. */
const KEY_COLUMNS: Partial<Record<UsageGrouping, string[]>> = {
  session: ['session_id'],
  project: ['project', 'has_project'],
  person: ['person_id'],
};

const SUM_COLUMNS = [...TOKEN_COLUMNS, 'cost_usd', 'credits', 'calls', 'unpriced_calls'];

/** The columns every fact has, raw or rolled up. */
const FACT_COLUMNS =
  't_ms, person_id, tool, model, has_model, project, has_project, session_id, input_uncached, cache_read, cache_write_5m, cache_write_1h, cache_write_other, output, reasoning, cost_usd, credits, calls, unpriced_calls, first_ts, last_ts';

/** Raw rows as facts: each row one call. */
function rawFacts(units: Sql, where: Sql): Sql {
  const inner = liveUsage(
    sql`ts_ms AS u_ts, person_id AS u_person, tool AS u_tool, model AS u_model, project AS u_project,
      session_id AS u_session, input_uncached AS u_input_uncached, cache_read AS u_cache_read,
      cache_write_5m AS u_cache_write_5m, cache_write_1h AS u_cache_write_1h,
      cache_write_other AS u_cache_write_other, output AS u_output, reasoning AS u_reasoning,
      ${COST} AS u_cost, ${CREDITS} AS u_credits, toInt64(isNull(cost_usd)) AS u_unpriced`,
    units,
    where,
  );
  return sql`SELECT u_ts AS t_ms, u_person AS person_id, CAST(u_tool AS String) AS tool,
      CAST(ifNull(u_model, '') AS String) AS model, toUInt8(isNotNull(u_model)) AS has_model,
      CAST(ifNull(u_project, '') AS String) AS project, toUInt8(isNotNull(u_project)) AS has_project,
      u_session AS session_id, u_input_uncached AS input_uncached, u_cache_read AS cache_read,
      u_cache_write_5m AS cache_write_5m, u_cache_write_1h AS cache_write_1h,
      u_cache_write_other AS cache_write_other, u_output AS output, u_reasoning AS reasoning,
      u_cost AS cost_usd, u_credits AS credits, toInt64(1) AS calls, u_unpriced AS unpriced_calls,
      u_ts AS first_ts, u_ts AS last_ts
    FROM (${inner})`;
}

/** Facts of people only within their ranges: a join on person, then the instant inside the range. */
function withinRanges(facts: Sql, ranges: readonly MsRange[]): Sql {
  const people = ranges.map((r) => r.personId);
  const from = ranges.map((r) => String(r.from));
  const until = ranges.map((r) => String(r.until));
  return sql`SELECT ${trusted(FACT_COLUMNS)} FROM (${facts})
    ALL INNER JOIN (
      SELECT p[i] AS person_id, toInt64(f[i]) AS range_from, toInt64(u[i]) AS range_until
      FROM (SELECT ${people} AS p, ${from} AS f, ${until} AS u, arrayJoin(arrayEnumerate(p)) AS i)
    ) USING person_id
    WHERE t_ms >= range_from AND t_ms <= range_until`;
}

interface Filters {
  tools?: Sql;
  models?: Sql;
  persons?: Sql;
}

/** Conditions on raw rows (`ts_ms`, nullable `model`) or on roll-up facts (`t_ms`, `has_model`). */
function factFilter(
  filters: Filters,
  kind: 'raw' | 'rollup',
  window: { since?: number; until?: number },
): Sql {
  const time = kind === 'raw' ? 'ts_ms' : 't_ms';
  const parts: Sql[] = [];
  if (filters.tools) parts.push(sql`tool IN ${filters.tools}`);
  if (filters.models) {
    parts.push(
      kind === 'raw' ? sql`model IN ${filters.models}` : sql`has_model = 1 AND model IN ${filters.models}`,
    );
  }
  if (filters.persons) parts.push(sql`person_id IN ${filters.persons}`);
  if (window.since !== undefined) parts.push(sql`${trusted(time)} >= ${window.since}`);
  if (window.until !== undefined) parts.push(sql`${trusted(time)} < ${window.until}`);
  return parts.length === 0 ? trusted('1') : join(parts, ' AND ');
}

export interface UsageStatementOptions {
  /** Read the roll-up where it answers exactly; false reads raw rows only. */
  rollups: boolean;
}

/**
 * The statement for `query`, or null when the query selects nobody (an empty people list).
 * The time zone must already be known to be valid.
 */
export function usageStatement(query: UsageQuery, options: UsageStatementOptions): Sql | null {
  const tz = trusted(literal(query.timeZone));
  const key = groupKey(query.groupBy, tz);
  const local: Sql[] = [];
  // Coarse instant bounds first: UTC offsets stay within a day of midnight UTC.
  const window: { since?: number; until?: number } = {};
  if (query.since !== undefined) {
    window.since = parseLocalDate('since', query.since) - DAY_MS;
    local.push(sql`toDate(${LOCAL_TIME}, ${tz}) >= toDate(${query.since})`);
  }
  if (query.until !== undefined) {
    window.until = parseLocalDate('until', query.until) + 2 * DAY_MS;
    local.push(sql`toDate(${LOCAL_TIME}, ${tz}) <= toDate(${query.until})`);
  }

  const filters: Filters = {};
  // An empty tool list means no filter (a CLI's absent repeatable flag); an empty people list, nobody.
  if (query.tools !== undefined && query.tools.length > 0) filters.tools = inList([...query.tools]);
  if (query.models !== undefined && query.models.length > 0) filters.models = inList([...query.models]);
  let people: string[] | undefined;
  if (query.personId !== undefined) people = [query.personId];
  if (query.personIds !== undefined) {
    people = people === undefined ? [...query.personIds] : people.filter((p) => query.personIds!.includes(p));
  }
  if (people !== undefined) {
    if (people.length === 0) return null;
    filters.persons = inList(people);
  }
  const ranges = query.personSpans === undefined ? undefined : mergeSpans(query.personSpans);
  if (ranges !== undefined && ranges.length === 0) return null;

  const units = unitDays(window);
  const parts: Sql[] = [];
  const useRollup = options.rollups && query.groupBy !== 'session' && isQuarterHourZone(query.timeZone);
  if (useRollup) {
    const rolled = rollupFacts(units, factFilter(filters, 'rollup', window));
    if (ranges === undefined) {
      parts.push(rolled);
    } else {
      const cover = coverByQuarterHours(ranges);
      if (cover.whole.length > 0) parts.push(withinRanges(rolled, cover.whole));
      if (cover.fringe.length > 0) {
        const lo = Math.min(...cover.fringe.map((r) => r.from));
        const hi = Math.max(...cover.fringe.map((r) => r.until));
        const fringeWindow = {
          since: Math.max(window.since ?? lo, lo),
          until: Math.min(window.until ?? hi + 1, hi + 1),
        };
        if (fringeWindow.since < fringeWindow.until) {
          const near = unitDaysNear(cover.fringe);
          const fringeUnits = unitDays(fringeWindow);
          const raw = rawFacts(
            near === null ? fringeUnits : sql`${fringeUnits} AND ${near}`,
            factFilter(filters, 'raw', fringeWindow),
          );
          parts.push(withinRanges(raw, cover.fringe));
        }
      }
    }
  } else {
    const raw = rawFacts(units, factFilter(filters, 'raw', window));
    parts.push(ranges === undefined ? raw : withinRanges(raw, ranges));
  }
  if (parts.length === 0) return null;

  // Only the columns this grouping reads travel up from the facts: 18.16 copies every string
  // column through each level, and person, project and session ids are most of the bytes.
  const columns = [
    't_ms',
    'tool',
    'model',
    'has_model',
    ...(KEY_COLUMNS[query.groupBy] ?? []),
    ...SUM_COLUMNS,
    'first_ts',
    'last_ts',
  ].join(', ');
  const facts = join(
    parts.map((p) => sql`SELECT ${trusted(columns)} FROM (${p})`),
    ' UNION ALL ',
  );
  const order = query.groupBy === 'session' ? 'max(s_last_ts), group_key' : 'group_key';
  /*
   * Two levels: sums per group, tool and model first, then per group with the names collected.
   * Collecting names over every fact (groupUniqArray on 530,000 roll-up groups) took longer
   * than the rest of the query.
   */
  return sql`
    SELECT group_key,
      toString(sum(s_input_uncached)) AS input_uncached,
      toString(sum(s_cache_read)) AS cache_read,
      toString(sum(s_cache_write_5m)) AS cache_write_5m,
      toString(sum(s_cache_write_1h)) AS cache_write_1h,
      toString(sum(s_cache_write_other)) AS cache_write_other,
      toString(sum(s_output)) AS output,
      toString(sum(s_reasoning)) AS reasoning,
      sum(s_cost_usd) AS cost_usd,
      sum(s_credits) AS credits,
      toString(sum(s_calls)) AS calls,
      toString(sum(s_unpriced_calls)) AS unpriced_calls,
      groupUniqArrayIf(model, has_model = 1) AS models,
      groupUniqArray(tool) AS tools,
      toString(min(s_first_ts)) AS first_ts,
      toString(max(s_last_ts)) AS last_ts
    FROM (
      SELECT ${key} AS group_key, tool, model, has_model,
        sum(input_uncached) AS s_input_uncached, sum(cache_read) AS s_cache_read,
        sum(cache_write_5m) AS s_cache_write_5m, sum(cache_write_1h) AS s_cache_write_1h,
        sum(cache_write_other) AS s_cache_write_other, sum(output) AS s_output, sum(reasoning) AS s_reasoning,
        sum(cost_usd) AS s_cost_usd, sum(credits) AS s_credits, sum(calls) AS s_calls,
        sum(unpriced_calls) AS s_unpriced_calls, min(first_ts) AS s_first_ts, max(last_ts) AS s_last_ts
      FROM (${facts})
      ${local.length > 0 ? sql`WHERE ${join(local, ' AND ')}` : trusted('')}
      GROUP BY group_key, tool, model, has_model
    )
    GROUP BY group_key
    ORDER BY ${trusted(order)}`;
}
