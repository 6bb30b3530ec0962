/**
 * Tools side by side: each AI tool's usage (calls, tokens, spend, from the ledger's calls) next
 * to its sessions' outcomes (from the value model), in one answer small enough for a dashboard,
 * whatever the size of the organisation.
 * @module
 */
import type { PersonSpan } from '../../ledger/people/types.js';
import type { Tool } from '../../ledger/records.js';
import type { Store } from '../../ledger/store/store.js';
import { type TokenTotals, toolReport } from '../reports/usage-report.js';
import { outcomesByTool, type ToolOutcomes } from '../value/by-tool.js';
import type { ValueModel } from '../value/model.js';
import type { Window } from '../value/time.js';

export interface ToolRow extends TokenTotals {
  tool: Tool;
  models: string[];
  /** The tool's sessions started in the window and their outcomes; null when it had none. */
  outcomes: Omit<ToolOutcomes, 'tool'> | null;
}

export interface ToolBreakdown {
  since: string | null;
  until: string | null;
  rows: ToolRow[];
  totals: TokenTotals;
  unpriced_models: string[];
}

export interface ToolBreakdownQuery {
  /** Inclusive UTC days; `window` is the same range as the value analyses take it. */
  since?: string;
  until?: string;
  window: Window;
  tools?: Tool[];
  personIds?: string[];
  personSpans?: readonly PersonSpan[];
}

export async function toolBreakdown(
  store: Store,
  model: ValueModel,
  query: ToolBreakdownQuery,
): Promise<ToolBreakdown> {
  const usage = await toolReport(store, {
    timeZone: 'UTC',
    since: query.since,
    until: query.until,
    tools: query.tools,
    personIds: query.personIds,
    personSpans: query.personSpans,
  });
  const outcomes = new Map(
    outcomesByTool(model, {
      window: query.window,
      personIds: query.personIds,
      personSpans: query.personSpans,
      tools: query.tools,
    }).map(({ tool, ...rest }) => [tool as string, rest]),
  );
  const rows: ToolRow[] = usage.rows.map((r) => {
    const { first_ts: _first, last_ts: _last, tools: _tools, tool, ...totals } = r;
    return { ...totals, tool: tool as Tool, outcomes: outcomes.get(tool as string) ?? null };
  });
  rows.sort((a, b) => b.cost_usd - a.cost_usd || a.tool.localeCompare(b.tool));
  return {
    since: query.since ?? null,
    until: query.until ?? null,
    rows,
    totals: usage.totals,
    unpriced_models: usage.unpriced_models,
  };
}
