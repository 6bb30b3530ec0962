/**
 * Terminal rendering of usage reports.
 * @module
 */
import type { ReportRow, UsageReport } from '../../analyses/reports/usage-report.js';
import { type Column, formatInt, formatUsd, renderTable } from './table.js';

const HEADERS: Record<string, string> = {
  date: 'Date',
  week: 'Week of',
  month: 'Month',
  session_id: 'Session',
  model: 'Model',
  project: 'Project',
  tool: 'Tool',
};

export function renderUsageTable(report: UsageReport, options: { showModels?: boolean } = {}): string {
  const showModels = options.showModels ?? !['model', 'tool'].includes(report.key);
  const columns: Column<ReportRow>[] = [
    { header: HEADERS[report.key] ?? report.key, value: (r) => String(r[report.key] ?? ''), align: 'left' },
    { header: 'Input', value: (r) => formatInt(r.input_tokens) },
    { header: 'Output', value: (r) => formatInt(r.output_tokens) },
    { header: 'Cache write', value: (r) => formatInt(r.cache_write_tokens) },
    { header: 'Cache read', value: (r) => formatInt(r.cache_read_tokens) },
    { header: 'Total tokens', value: (r) => formatInt(r.total_tokens) },
    {
      header: 'Cost',
      value: (r) => `${formatUsd(r.cost_usd)}${r.unpriced_calls > 0 ? '*' : ''}`,
    },
  ];
  if (showModels) columns.push({ header: 'Models', value: (r) => r.models.join(', '), align: 'left' });
  const totals = {
    [report.key]: 'Total',
    ...report.totals,
    models: [],
    tools: [],
    first_ts: '',
    last_ts: '',
  } as ReportRow;
  const lines = [
    report.rows.length > 0 ? renderTable(columns, report.rows, totals) : '(no usage in this period)',
  ];
  if (report.totals.unpriced_calls > 0) {
    lines.push(
      `* ${formatInt(report.totals.unpriced_calls)} call(s) have no known price and are not in the cost ` +
        `(models: ${report.unpriced_models.join(', ')}); add them under "pricing.overrides" in your config.`,
    );
  }
  return lines.join('\n');
}
