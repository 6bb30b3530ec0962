import type { Command } from 'commander';
import { isValidTimeZone, localTimeZone, parseDateArg } from '../../analyses/reports/dates.js';
import { REPORT_KINDS, type ReportKind, usageReport } from '../../analyses/reports/usage-report.js';
import type { Tool } from '../../ledger/records.js';
import type { IngestSummary } from '../../pipeline/ingest.js';
import { type ReportJson, reportFromJson, reportJson } from '../../server/api/report-json.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { toCsv } from '../format/csv.js';
import { renderIngestSummary } from '../format/ingest-summary.js';
import { renderUsageTable } from '../format/usage-table.js';
import { getJson, type RemoteOptions, remoteTarget, withServerOptions } from '../remote.js';

const TOOLS: Tool[] = ['claude-code', 'codex', 'gemini-cli'];

export interface ReportOptions {
  since?: string;
  until?: string;
  tz?: string;
  tool?: string[];
  json?: boolean;
  csv?: boolean;
  ingest: boolean;
}

/** Validated report window and filters. */
export interface ReportWindow {
  since?: string;
  until?: string;
  timeZone: string;
  tools?: Tool[];
}

export function parseReportOptions(opts: ReportOptions): ReportWindow {
  const timeZone = opts.tz ?? localTimeZone();
  if (!isValidTimeZone(timeZone))
    throw new CliError(`--tz must be an IANA time zone such as Europe/Berlin (got "${timeZone}")`);
  const since = opts.since === undefined ? undefined : parseDateArg(opts.since, '--since');
  const until = opts.until === undefined ? undefined : parseDateArg(opts.until, '--until');
  if (since && until && since > until) throw new CliError(`--since ${since} is after --until ${until}`);
  if (opts.json && opts.csv) throw new CliError('choose one of --json and --csv');
  let tools: Tool[] | undefined;
  if (opts.tool) {
    tools = opts.tool.flatMap((t) => t.split(',')).map((t) => t.trim()) as Tool[];
    const bad = tools.filter((t) => !TOOLS.includes(t));
    if (bad.length) throw new CliError(`--tool must be one of ${TOOLS.join(', ')} (got "${bad.join(', ')}")`);
  }
  return { since, until, timeZone, tools };
}

/** Adds the options every report shares. */
export function withReportOptions(cmd: Command): Command {
  return cmd
    .option('--since <date>', 'first day to include (YYYY-MM-DD, in --tz)')
    .option('--until <date>', 'last day to include (YYYY-MM-DD, in --tz)')
    .option('--tz <zone>', 'IANA time zone that cuts days (default: this machine’s)')
    .option('--tool <tool...>', `only these tools (${TOOLS.join(', ')})`)
    .option('--json', 'print JSON: {"rows": [...], "totals": {...}}')
    .option('--csv', 'print CSV')
    .option('--no-ingest', 'report on the ledger as it is, without reading new local usage first');
}

/** Says on stderr what the ingest before a report skipped, so nothing is dropped silently. */
export function reportSkips(summary: IngestSummary | undefined): void {
  if (!summary) return;
  const skipped = summary.sources.some((s) => Object.keys(s.skipped).length > 0 || s.unreadable.length > 0);
  if (skipped) process.stderr.write(`${renderIngestSummary(summary)}\n\n`);
}

interface ServerReportOptions extends ReportOptions, RemoteOptions {
  person?: string;
  team?: string;
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('usage reports from the ledger');
  for (const kind of REPORT_KINDS) {
    withServerOptions(
      withReportOptions(
        withGlobalOptions(report.command(kind).description(`usage by ${describeKind(kind)}`)),
      ),
    )
      .option('--person <id>', 'with --server: only this person (id or alias), as far as your token may read')
      .option('--team <id>', 'with --server: only the people of this team')
      .action(async (opts: ServerReportOptions, cmd: Command) => {
        const window = parseReportOptions(opts);
        const target = remoteTarget(opts);
        if (target) {
          const json = await getJson<ReportJson>(target, `/api/v1/reports/${kind}`, {
            since: window.since,
            until: window.until,
            tz: window.timeZone,
            tool: window.tools?.join(','),
            person: opts.person,
            team: opts.team,
          });
          printReport(kind, reportFromJson(json), opts);
          return;
        }
        if (opts.person !== undefined || opts.team !== undefined)
          throw new CliError(
            '--person and --team read a server: add --server URL (or set TOKENYIELD_SERVER)',
          );
        await localReport(kind, window, opts, cmd);
      });
  }
}

async function localReport(kind: ReportKind, window: ReportWindow, opts: ReportOptions, cmd: Command) {
  const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
  const { result, summary } = await ctx.report(
    JSON.stringify(['usage', kind, window]),
    { ingest: opts.ingest, progress: !opts.json && !opts.csv },
    (store) => usageReport(store, { kind, ...window }),
  );
  reportSkips(summary);
  printReport(kind, result, opts);
}

function describeKind(kind: ReportKind): string {
  return {
    daily: 'day',
    weekly: 'week (Monday first)',
    monthly: 'month',
    session: 'session',
    model: 'model',
    project: 'project (working directory)',
  }[kind];
}

function printReport(
  kind: ReportKind,
  result: Awaited<ReturnType<typeof usageReport>>,
  opts: ReportOptions,
): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(reportJson(kind, result))}\n`);
  } else if (opts.csv) {
    process.stdout.write(
      toCsv(result.rows, [
        result.key,
        'input_tokens',
        'output_tokens',
        'cache_write_tokens',
        'cache_read_tokens',
        'total_tokens',
        'cost_usd',
        'calls',
        'unpriced_calls',
        'models',
      ]),
    );
  } else {
    process.stdout.write(`${renderUsageTable(result)}\n`);
  }
}
