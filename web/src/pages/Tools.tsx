/**
 * Tools and models: calls, tokens and spend by AI tool and by model, and each tool's cost per
 * outcome (agent work units), all pre-aggregated by the server (`/api/v1/tools`,
 * `/api/v1/reports/model`) under the page's filters.
 * @module
 */
import { modelSpendChart, toolSpendChart } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Filters } from '../components/Filters.js';
import { Await, Empty } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { Tile, Tiles } from '../components/Tiles.js';
import { readFilters } from '../filters.js';
import { formatCount, formatShare, formatTokens, formatUsd } from '../format.js';
import { useLocation } from '../router.js';
import { readableTeams, useSession } from '../session.js';
import type { ModelReport, ToolBreakdown, ToolRow } from '../types.js';
import { useApi } from '../use-api.js';

type ModelRow = ModelReport['rows'][number];

/** Calls, tokens and spend: the same columns for a tool and for a model. */
function usageColumns<R extends ToolRow | ModelRow>(): Column<R>[] {
  return [
    {
      key: 'calls',
      header: 'Calls',
      numeric: true,
      value: (r) => r.calls,
      render: (r) => formatCount(r.calls),
    },
    {
      key: 'input',
      header: 'Input tokens',
      numeric: true,
      value: (r) => r.input_tokens,
      render: (r) => formatTokens(r.input_tokens),
      title: 'Uncached input',
    },
    {
      key: 'output',
      header: 'Output tokens',
      numeric: true,
      value: (r) => r.output_tokens,
      render: (r) => formatTokens(r.output_tokens),
    },
    {
      key: 'cache-read',
      header: 'Cache read',
      numeric: true,
      value: (r) => r.cache_read_tokens,
      render: (r) => formatTokens(r.cache_read_tokens),
    },
    {
      key: 'cache-write',
      header: 'Cache write',
      numeric: true,
      value: (r) => r.cache_write_tokens,
      render: (r) => formatTokens(r.cache_write_tokens),
    },
    {
      key: 'tokens',
      header: 'Total tokens',
      numeric: true,
      value: (r) => r.total_tokens,
      render: (r) => formatTokens(r.total_tokens),
    },
    {
      key: 'spend',
      header: 'Spend (USD)',
      numeric: true,
      value: (r) => r.cost_usd,
      render: (r) => formatUsd(r.cost_usd),
    },
    { key: 'unpriced', header: 'Unpriced calls', numeric: true, value: (r) => r.unpriced_calls },
  ];
}

const TOOL_COLUMNS: Column<ToolRow>[] = [
  { key: 'tool', header: 'Tool', value: (r) => r.tool },
  ...usageColumns<ToolRow>(),
  { key: 'sessions', header: 'Sessions', numeric: true, value: (r) => r.outcomes?.sessions ?? null },
  {
    key: 'attempted',
    header: 'Attempted',
    numeric: true,
    value: (r) => r.outcomes?.attempted ?? null,
    title: 'Sessions that edited files or committed',
  },
  {
    key: 'awu',
    header: 'Agent work units',
    numeric: true,
    value: (r) => r.outcomes?.agentWorkUnits ?? null,
    title: 'Sessions that produced a qualifying durable shipped change',
  },
  {
    key: 'success',
    header: 'Success rate',
    numeric: true,
    value: (r) => r.outcomes?.successRate ?? null,
    render: (r) => formatShare(r.outcomes?.successRate),
  },
  {
    key: 'per-awu',
    header: 'USD per AWU',
    numeric: true,
    value: (r) => r.outcomes?.costPerAgentWorkUnit ?? null,
    render: (r) => formatUsd(r.outcomes?.costPerAgentWorkUnit),
    title: 'Spend of the tool’s sessions started in the range, per agent work unit',
  },
];

const MODEL_COLUMNS: Column<ModelRow>[] = [
  { key: 'model', header: 'Model', value: (r) => r.model },
  { key: 'tools', header: 'Tools', value: (r) => r.tools.join(' ') },
  ...usageColumns<ModelRow>(),
];

export function Tools() {
  const session = useSession();
  const { query } = useLocation();
  const f = readFilters(query);
  const scope = { since: f.since, until: f.until, team: f.team, tool: f.tool };
  const tools = useApi<ToolBreakdown>('/api/v1/tools', scope);
  const models = useApi<ModelReport>('/api/v1/reports/model', { ...scope, tz: 'UTC' });

  return (
    <section data-page="tools">
      <h1>Tools and models</h1>
      <Filters teams={readableTeams(session)} />

      <h2>By tool</h2>
      <Await loaded={tools} what="usage by tool">
        {(answer) =>
          answer.rows.length === 0 ? (
            <Empty>No AI usage in this range{f.tool ? ` for ${f.tool}` : ''}.</Empty>
          ) : (
            <>
              <Tiles>
                <Tile
                  id="spend"
                  label="Spend"
                  value={formatUsd(answer.totals.cost_usd)}
                  raw={answer.totals.cost_usd}
                  note="USD, every tool shown"
                />
                <Tile
                  id="calls"
                  label="Model calls"
                  value={formatCount(answer.totals.calls)}
                  raw={answer.totals.calls}
                />
                <Tile
                  id="tokens"
                  label="Tokens"
                  value={formatTokens(answer.totals.total_tokens)}
                  raw={answer.totals.total_tokens}
                />
              </Tiles>
              <div className="panel">
                <h3>Spend by tool (USD)</h3>
                <Chart
                  label="Spend by tool"
                  option={toolSpendChart(answer)}
                  height={Math.max(180, answer.rows.length * 48 + 80)}
                />
              </div>
              <Table
                caption="Tools"
                filename="tools"
                rows={answer.rows}
                columns={TOOL_COLUMNS}
                rowKey={(r) => r.tool}
              />
              <p className="muted">
                Calls, tokens and spend count the calls made in the range. Sessions, agent work units and USD
                per AWU count the sessions started in the range (their spend can differ slightly at the
                range’s edges). Normalised deployments are not split by tool: one change is often made with
                several.
              </p>
            </>
          )
        }
      </Await>

      <h2>By model</h2>
      <Await loaded={models} what="usage by model">
        {(report) =>
          report.rows.length === 0 ? (
            <Empty>No model calls in this range.</Empty>
          ) : (
            <>
              <div className="panel">
                <h3>Spend by model (USD)</h3>
                <Chart
                  label="Spend by model"
                  option={modelSpendChart(report)}
                  height={Math.max(160, report.rows.length * 28 + 48)}
                />
              </div>
              <Table
                caption="Models"
                filename="models"
                rows={report.rows}
                columns={MODEL_COLUMNS}
                rowKey={(r) => r.model}
              />
            </>
          )
        }
      </Await>
    </section>
  );
}
