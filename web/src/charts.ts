/**
 * Chart options built from API answers as they are: these functions choose axes, series and
 * labels, and never compute a number the API did not give.
 * @module
 */
import type { ChartOption } from './components/Chart.js';
import { formatShare, formatTokens, formatUsd } from './format.js';
import type {
  BoardEntry,
  BudgetStatus,
  DailyReport,
  ModelReport,
  RoiReport,
  ToolBreakdown,
  ValueSummary,
} from './types.js';
import { WASTE_CAUSES, type WasteCause } from './types.js';

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

/** Axis and tooltip text of an amount in a budget's unit. */
export function budgetAmount(unit: string, v: number): string {
  if (unit === 'usd') return formatUsd(v);
  return `${formatTokens(v)} ${unit === 'tokens' ? 'tokens' : 'credits'}`;
}

/**
 * Burn-down of a budget period: spend so far (cumulative), the central forecast to the period's
 * end and its 80 % band, the limit and the thresholds. The band is drawn as its low edge plus
 * its width stacked on it, which is how ECharts shades between two lines.
 */
export function burnDownChart(status: BudgetStatus): ChartOption {
  const unit = status.budget.unit;
  const days = status.days ?? [];
  const path = status.forecast?.path ?? [];
  const spentByDate = new Map(days.map((d) => [d.date, d.cumulative]));
  const pathByDate = new Map(path.map((p) => [p.date, p]));
  const dates = [...new Set([...days.map((d) => d.date), ...path.map((p) => p.date)])].sort();
  const limit = status.limit?.total ?? 0;
  const money = (v: number) => budgetAmount(unit, v);
  const exhausts = status.forecast?.exhaustsOn;
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? money(v) : String(v ?? '—')),
    },
    legend: { bottom: 0, data: ['Spent', 'Forecast', '80 % interval', 'Limit'] },
    grid: { left: 84, right: 24, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: dates, boundaryGap: false },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v).replace(/\.00$/, '') } },
    series: [
      {
        name: '80 % interval (low)',
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        data: dates.map((d) => pathByDate.get(d)?.low ?? null),
      },
      {
        name: '80 % interval',
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: 'rgba(59, 111, 214, 0.18)' },
        itemStyle: { color: 'rgba(59, 111, 214, 0.35)' },
        tooltip: { show: false },
        data: dates.map((d) => {
          const p = pathByDate.get(d);
          return p ? p.high - p.low : null;
        }),
      },
      {
        name: 'Spent',
        type: 'line',
        symbol: 'none',
        itemStyle: { color: '#1f2937' },
        lineStyle: { width: 2 },
        data: dates.map((d) => spentByDate.get(d) ?? null),
      },
      {
        name: 'Forecast',
        type: 'line',
        symbol: 'none',
        itemStyle: { color: '#3b6fd6' },
        lineStyle: { type: 'dashed', width: 2 },
        data: dates.map((d) => pathByDate.get(d)?.mid ?? null),
        markLine:
          exhausts && exhausts < status.period.end
            ? {
                symbol: 'none',
                label: { formatter: `runs out ${exhausts}` },
                lineStyle: { color: '#c0392b' },
                data: [{ xAxis: exhausts }],
              }
            : undefined,
      },
      {
        name: 'Limit',
        type: 'line',
        symbol: 'none',
        itemStyle: { color: '#c0392b' },
        lineStyle: { width: 1 },
        data: dates.map(() => limit),
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dotted', color: '#8a8f98' },
          label: { formatter: '{b}' },
          data: (status.thresholds ?? [])
            .filter((t) => t.percent < 100)
            .map((t) => ({ yAxis: t.amount, name: `${t.percent} %` })),
        },
      },
    ],
  };
}

export const WASTE_LABELS: Record<WasteCause, string> = {
  no_edits: 'No edits',
  never_committed: 'Edited, never committed',
  not_shipped: 'Committed, never shipped',
  not_durable: 'Shipped, then reverted, rolled back or an incident',
  not_counted: 'Shipped but not counted (trivial, self-merged, revert)',
};

const WASTE_COLOURS: Record<WasteCause, string> = {
  no_edits: '#c2c7d0',
  never_committed: '#e0a458',
  not_shipped: '#d97757',
  not_durable: '#c0392b',
  not_counted: '#8e6fb8',
};

/** Spend bars with the outcomes as lines on a second axis; an outcome the filter leaves out is not drawn. */
export function roiSpendOutcomesChart(report: RoiReport): ChartOption {
  const rows = report.periods;
  const line = (name: string, data: (number | null)[], color: string) => ({
    name,
    type: 'line' as const,
    yAxisIndex: 1,
    data: data.map((v) => (v === null ? null : Number(v.toFixed(2)))),
    itemStyle: { color },
  });
  const split = report.tools === null;
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 64, right: 56, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: rows.map((r) => r.start), name: `${report.period} of` },
    yAxis: [
      { type: 'value', name: 'USD', axisLabel: { formatter: usdAxisLabel } },
      { type: 'value', name: 'outcomes' },
    ],
    series: [
      {
        name: 'Spend (USD)',
        type: 'bar',
        data: rows.map((r) => r.spendUsd),
        itemStyle: { color: '#3b6fd6' },
      },
      ...(split
        ? [
            line(
              'Normalised deployments',
              rows.map((r) => r.nd),
              '#2e9e6a',
            ),
            line(
              'Durable changes',
              rows.map((r) => r.durableChanges),
              '#8e6fb8',
            ),
          ]
        : []),
      line(
        'Agent work units',
        rows.map((r) => r.agentWorkUnits),
        '#e0a458',
      ),
    ],
  };
}

/** Cost per outcome per period; a period with no outcome has no point (a gap, not zero). */
export function roiCostChart(report: RoiReport): ChartOption {
  const rows = report.periods;
  const line = (name: string, data: (number | null)[], color: string) => ({
    name,
    type: 'line' as const,
    connectNulls: false,
    data,
    itemStyle: { color },
  });
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatUsd(v) : '—'),
    },
    legend: { bottom: 0 },
    grid: { left: 64, right: 16, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: rows.map((r) => r.start), name: `${report.period} of` },
    yAxis: { type: 'value', name: 'USD', axisLabel: { formatter: usdAxisLabel } },
    series: [
      ...(report.tools === null
        ? [
            line(
              'USD per ND',
              rows.map((r) => r.costPerNd),
              '#2e9e6a',
            ),
            line(
              'USD per durable change',
              rows.map((r) => r.costPerDurableChange),
              '#8e6fb8',
            ),
          ]
        : []),
      line(
        'USD per agent work unit',
        rows.map((r) => r.costPerAgentWorkUnit),
        '#e0a458',
      ),
    ],
  };
}

/** Spend with no durable outcome per period, stacked by cause. */
export function roiWasteChart(report: RoiReport): ChartOption {
  const rows = report.periods;
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatUsd(v) : String(v)),
    },
    legend: { bottom: 0 },
    grid: { left: 64, right: 16, top: 24, bottom: 80 },
    xAxis: { type: 'category', data: rows.map((r) => r.start), name: `${report.period} of` },
    yAxis: { type: 'value', name: 'USD', axisLabel: { formatter: usdAxisLabel } },
    series: WASTE_CAUSES.map((cause) => ({
      name: WASTE_LABELS[cause],
      type: 'bar' as const,
      stack: 'waste',
      data: rows.map((r) => r.waste.byCause[cause]),
      itemStyle: { color: WASTE_COLOURS[cause] },
    })),
  };
}
