/**
 * Usage reports: daily, weekly, monthly, per session, model or project. This is the shape the
 * CLI prints and later surfaces rely on (the JSON contract of issue #2):
 * `{ rows: [{ <key>, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens,
 * total_tokens, cost_usd, models, … }], totals: { …same token and cost fields } }`.
 * `input_tokens` is uncached input; `cache_write_tokens` sums every cache-write TTL.
 * @module
 */
import type { PersonSpan } from '../../ledger/people/types.js';
import type { Tool } from '../../ledger/records.js';
import type { Store, UsageGrouping, UsageGroupRow } from '../../ledger/store/store.js';

export const REPORT_KINDS = ['daily', 'weekly', 'monthly', 'session', 'model', 'project'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const GROUPING: Record<ReportKind, { groupBy: UsageGrouping; key: string }> = {
  daily: { groupBy: 'day', key: 'date' },
  weekly: { groupBy: 'week', key: 'week' },
  monthly: { groupBy: 'month', key: 'month' },
  session: { groupBy: 'session', key: 'session_id' },
  model: { groupBy: 'model', key: 'model' },
  project: { groupBy: 'project', key: 'project' },
};

export interface TokenTotals {
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  total_tokens: number;
  /** Priced calls only; see `unpriced_calls`. */
  cost_usd: number;
  /** Informational subset of output_tokens. */
  reasoning_tokens: number;
  calls: number;
  /** Calls whose model has no known price: their tokens are counted, their cost is not. */
  unpriced_calls: number;
}

export type ReportRow = { [key: string]: unknown } & TokenTotals & {
    models: string[];
    tools: Tool[];
    first_ts: string;
    last_ts: string;
  };

export interface UsageReport {
  kind: ReportKind | 'tool';
  /** Name of the key field in each row (`date`, `week`, `month`, `session_id`, `model`, `project`). */
  key: string;
  timeZone: string;
  since: string | null;
  until: string | null;
  rows: ReportRow[];
  totals: TokenTotals;
  /** Models seen without a price, so the user can add an override. */
  unpriced_models: string[];
}

export interface UsageReportQuery {
  kind: ReportKind;
  timeZone: string;
  since?: string;
  until?: string;
  tools?: Tool[];
  personId?: string;
  /** Only these people (e.g. a team); an empty list selects nobody. */
  personIds?: string[];
  /** Only these people within these spans (a team's members while members); see UsageQuery. */
  personSpans?: readonly PersonSpan[];
}

function tokenTotals(r: UsageGroupRow): TokenTotals {
  const cacheWrite = r.cacheWrite5m + r.cacheWrite1h + r.cacheWriteOther;
  return {
    input_tokens: r.inputUncached,
    output_tokens: r.output,
    cache_write_tokens: cacheWrite,
    cache_read_tokens: r.cacheRead,
    total_tokens: r.inputUncached + r.output + cacheWrite + r.cacheRead,
    cost_usd: roundUsd(r.costUsd),
    reasoning_tokens: r.reasoning,
    calls: r.calls,
    unpriced_calls: r.unpricedCalls,
  };
}

/** Sums in floating point drift in the last digits; reports show cost to 1e-8 USD. */
function roundUsd(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

function addTotals(a: TokenTotals, b: TokenTotals): TokenTotals {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_write_tokens: a.cache_write_tokens + b.cache_write_tokens,
    cache_read_tokens: a.cache_read_tokens + b.cache_read_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    cost_usd: roundUsd(a.cost_usd + b.cost_usd),
    reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
    calls: a.calls + b.calls,
    unpriced_calls: a.unpriced_calls + b.unpriced_calls,
  };
}

export const ZERO_TOTALS: Readonly<TokenTotals> = Object.freeze({
  input_tokens: 0,
  output_tokens: 0,
  cache_write_tokens: 0,
  cache_read_tokens: 0,
  total_tokens: 0,
  cost_usd: 0,
  reasoning_tokens: 0,
  calls: 0,
  unpriced_calls: 0,
});

export async function usageReport(store: Store, query: UsageReportQuery): Promise<UsageReport> {
  const { groupBy, key } = GROUPING[query.kind];
  return groupedReport(store, query.kind, groupBy, key, query);
}

/** Usage by tool (Claude Code, Codex, Gemini CLI …): part of the personal report. */
export function toolReport(store: Store, query: Omit<UsageReportQuery, 'kind'>): Promise<UsageReport> {
  return groupedReport(store, 'tool', 'tool', 'tool', query);
}

async function groupedReport(
  store: Store,
  kind: UsageReport['kind'],
  groupBy: UsageGrouping,
  key: string,
  query: Omit<UsageReportQuery, 'kind'>,
): Promise<UsageReport> {
  const groups = await store.usage({
    groupBy,
    timeZone: query.timeZone,
    since: query.since,
    until: query.until,
    tools: query.tools,
    personId: query.personId,
    personIds: query.personIds,
    personSpans: query.personSpans,
  });
  let totals: TokenTotals = { ...ZERO_TOTALS };
  const rows: ReportRow[] = groups.map((g) => {
    const t = tokenTotals(g);
    totals = addTotals(totals, t);
    return {
      [key]: g.key,
      ...t,
      models: g.models,
      tools: g.tools,
      first_ts: new Date(g.firstTs).toISOString(),
      last_ts: new Date(g.lastTs).toISOString(),
    };
  });
  const unpriced = new Set<string>();
  if (totals.unpriced_calls > 0) {
    const byModel = await store.usage({ ...query, groupBy: 'model' });
    for (const m of byModel) if (m.unpricedCalls > 0) unpriced.add(m.key);
  }
  return {
    kind,
    key,
    timeZone: query.timeZone,
    since: query.since ?? null,
    until: query.until ?? null,
    rows,
    totals,
    unpriced_models: [...unpriced].sort(),
  };
}
