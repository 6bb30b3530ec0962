/**
 * Chart options built from API answers as they are: these functions choose axes, series and
 * labels, and never compute a number the API did not give.
 * @module
 */
import type { ChartOption } from './components/Chart.js';
import { formatShare, formatUsd } from './format.js';
import type { BoardEntry, DailyReport, ModelReport, ToolBreakdown, ValueSummary } from './types.js';

const TOOL_COLOURS: Record<string, string> = {
  'claude-code': '#d97757',
  codex: '#10a37f',
  'gemini-cli': '#4285f4',
};
const OTHER_COLOUR = '#8a8f98';

function usdAxisLabel(v: number): string {
  return formatUsd(v).replace(/\.00$/, '');
}

export function dailySpendChart(report: DailyReport): ChartOption {
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatUsd(v) : String(v)),
    },
    grid: { left: 64, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: report.rows.map((r) => r.date) },
    yAxis: { type: 'value', name: 'USD', axisLabel: { formatter: usdAxisLabel } },
    series: [
      {
        name: 'Spend',
        type: 'bar',
        data: report.rows.map((r) => r.cost_usd),
        itemStyle: { color: '#3b6fd6' },
      },
    ],
  };
}

/** A model is coloured by the tool that used it; one used by several tools gets the neutral colour. */
export function modelSpendChart(report: ModelReport): ChartOption {
  const rows = [...report.rows].sort((a, b) => a.cost_usd - b.cost_usd);
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const one = Array.isArray(p) ? p[0] : p;
        const row = rows[one?.dataIndex ?? 0];
        return row ? `${row.model}<br/>${row.tools.join(', ')}<br/>${formatUsd(row.cost_usd)}` : '';
      },
    },
    grid: { left: 190, right: 24, top: 8, bottom: 32 },
    xAxis: { type: 'value', name: 'USD', axisLabel: { formatter: usdAxisLabel } },
    yAxis: { type: 'category', data: rows.map((r) => r.model) },
    series: [
      {
        name: 'Spend',
        type: 'bar',
        data: rows.map((r) => ({
          value: r.cost_usd,
          itemStyle: {
            color: r.tools.length === 1 ? (TOOL_COLOURS[r.tools[0]!] ?? OTHER_COLOUR) : OTHER_COLOUR,
          },
        })),
      },
    ],
  };
}

/** Spend per tool, and beside it the spend of the tool's sessions that became agent work units. */
export function toolSpendChart(breakdown: ToolBreakdown): ChartOption {
  const rows = [...breakdown.rows].reverse();
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatUsd(v) : String(v)),
    },
    legend: { bottom: 0 },
    grid: { left: 110, right: 24, top: 8, bottom: 56 },
    xAxis: { type: 'value', name: 'USD', axisLabel: { formatter: usdAxisLabel } },
    yAxis: { type: 'category', data: rows.map((r) => r.tool) },
    series: [
      {
        name: 'Spend (calls in range)',
        type: 'bar',
        data: rows.map((r) => ({
          value: r.cost_usd,
          itemStyle: { color: TOOL_COLOURS[r.tool] ?? OTHER_COLOUR },
        })),
      },
      {
        name: 'Spend of sessions with a durable outcome',
        type: 'bar',
        data: rows.map((r) => r.outcomes?.outcomes.durable.costUsd ?? 0),
        itemStyle: { color: '#2e9e6a' },
      },
    ],
  };
}

export function toolLegend(): { tool: string; colour: string }[] {
  return Object.entries(TOOL_COLOURS).map(([tool, colour]) => ({ tool, colour }));
}

export function weeklyOutcomesChart(summary: ValueSummary): ChartOption {
  const weeks = summary.nd.weekly;
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: weeks.map((w) => w.week), name: 'week of' },
    yAxis: { type: 'value', name: 'ND' },
    series: [
      {
        name: 'Normalised deployments',
        type: 'bar',
        data: weeks.map((w) => Number(w.nd.toFixed(2))),
        itemStyle: { color: '#2e9e6a' },
      },
    ],
  };
}

export function adoptionChart(summary: ValueSummary): ChartOption {
  const weeks = summary.adoption.weeks;
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatShare(v) : String(v)),
    },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: weeks.map((w) => w.week), name: 'week of' },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)} %` },
    },
    series: [
      { name: 'Active AI users', type: 'line', data: weeks.map((w) => w.activeShare), smooth: false },
      { name: 'Agentic users', type: 'line', data: weeks.map((w) => w.agenticShare), smooth: false },
    ],
  };
}

/**
 * The number charted for each lens: its first component. Bands rank all of a lens's components
 * together (`note` says which), so with exact ranks the chart shows the composite score instead.
 */
export const LENS_METRIC: Record<
  string,
  { label: string; note: string; value: (e: BoardEntry) => number | null }
> = {
  value: {
    label: 'Normalised deployments',
    note: 'Bands rank normalised deployments, agent work units and size-weighted durable changes together.',
    value: (e) => e.metrics.nd,
  },
  efficiency: {
    label: 'ND per $1,000',
    note: 'Bands rank normalised deployments, agent work units and size-weighted durable changes, each per dollar, together.',
    value: (e) => (e.metrics.ndPerDollar === null ? null : e.metrics.ndPerDollar * 1000),
  },
  agent_work: {
    label: 'Agent work units',
    note: 'Bands rank agent work units and their success rate together.',
    value: (e) => e.metrics.agentWorkUnits,
  },
  regularity: {
    label: 'AI regularity (share of working weeks)',
    note: 'Bands rank the share of working weeks with a durable AI-assisted change.',
    value: (e) => e.metrics.regularity,
  },
  spend: { label: 'Spend (USD)', note: 'A cost view: no bands, no merit.', value: (e) => e.metrics.costUsd },
};

export function boardMetric(lens: string, entries: readonly BoardEntry[]) {
  const metric = LENS_METRIC[lens] ?? LENS_METRIC.value!;
  if (lens !== 'spend' && entries.length > 0 && entries.every((e) => e.score !== null))
    return { label: 'Composite score', note: metric.note, value: (e: BoardEntry) => e.score };
  return metric;
}

const BAND_COLOURS: Record<string, string> = {
  top_10: '#1f7a4d',
  top_25: '#2e9e6a',
  top_50: '#7cc49e',
  rest: '#b8c2cc',
};

export function boardChart(lens: string, entries: readonly BoardEntry[]): ChartOption {
  const metric = boardMetric(lens, entries);
  const shown = [...entries].reverse();
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 190, right: 24, top: 8, bottom: 32 },
    xAxis: { type: 'value', name: metric.label },
    yAxis: { type: 'category', data: shown.map((e) => e.name) },
    series: [
      {
        name: metric.label,
        type: 'bar',
        data: shown.map((e) => ({
          value: metric.value(e),
          itemStyle: { color: e.band ? (BAND_COLOURS[e.band] ?? OTHER_COLOUR) : OTHER_COLOUR },
        })),
      },
    ],
  };
}
