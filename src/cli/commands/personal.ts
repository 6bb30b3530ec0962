import type { Command } from 'commander';
import { localDate } from '../../analyses/reports/dates.js';
import { personalReport } from '../../analyses/reports/personal-report.js';
import { nothingReadable } from '../../pipeline/ingest.js';
import { type GlobalOptions, openContext } from '../context.js';
import { formatUsd } from '../format/table.js';
import { renderUsageTable } from '../format/usage-table.js';
import { nothingReadMessage } from './ingest.js';
import { parseReportOptions, type ReportOptions, reportSkips } from './report.js';

/** `tokenyield` with no arguments: this week's usage by day, tool and model. */
export async function runPersonal(program: Command, opts: ReportOptions): Promise<void> {
  const { timeZone } = parseReportOptions({ ...opts, since: undefined, until: undefined });
  const ctx = await openContext(program.opts<GlobalOptions>());
  const now = Date.now();
  const { result: report, summary } = await ctx.report(
    // The week is relative to today, so today is part of what the cached answer depends on.
    JSON.stringify(['personal', timeZone, localDate(now, timeZone)]),
    { ingest: opts.ingest, progress: !opts.json },
    (store) => personalReport(store, timeZone, now),
  );
  if (summary && nothingReadable(summary)) process.stderr.write(`${nothingReadMessage(summary)}\n\n`);
  reportSkips(summary);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const out = [
    `Your AI usage this week (${report.since} – ${report.until}, ${timeZone}): ${formatUsd(report.byDay.totals.cost_usd)}`,
    '',
    renderUsageTable(report.byDay),
    '',
    'By tool',
    renderUsageTable(report.byTool),
    '',
    'By model',
    renderUsageTable(report.byModel),
    '',
    `Ledger: ${ctx.storeLabel}. More: tokenyield report daily|weekly|monthly|session|model|project --help`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
