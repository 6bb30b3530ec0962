/**
 * `tokenyield roi`: the dashboard's ROI page in the terminal (src/analyses/roi): per week or
 * month, spend beside outcomes, cost per outcome and its trend, spend with no durable outcome,
 * flagged waste and the scope's budgets. Locally for the org or a team; `--server` asks
 * `GET /api/v1/roi`, which applies the token's role.
 * @module
 */
import type { Command } from 'commander';
import { createBudgetService } from '../../analyses/budgets/index.js';
import { flagBookFromStore } from '../../analyses/integrity/from-store.js';
import {
  ROI_PERIODS,
  type RoiPeriodKind,
  type RoiPeriodRow,
  type RoiReport,
  type RoiScope,
  roiReport,
} from '../../analyses/roi/index.js';
import { valueModelFromStore } from '../../analyses/value/index.js';
import type { Tool } from '../../ledger/records.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { toCsv } from '../format/csv.js';
import { renderTable } from '../format/table.js';
import { getJson, type RemoteOptions, remoteTarget, withServerOptions } from '../remote.js';
import { parseWindow } from './value.js';

interface RoiOptions extends RemoteOptions {
  since?: string;
  until?: string;
  team?: string;
  tool?: string[];
  period: string;
  minGroup: string;
  json?: boolean;
  csv?: boolean;
}

const TOOLS: readonly Tool[] = ['claude-code', 'codex', 'gemini-cli'];

const usd = (n: number | null) => (n === null ? '–' : `$${n.toFixed(2)}`);
const num = (n: number | null) => (n === null ? '–' : String(Math.round(n * 100) / 100));

/** Column name and raw value; the CSV holds the raw values, the table formats them. */
const FIELDS: Array<[string, (r: RoiPeriodRow) => number | string | null, (r: RoiPeriodRow) => string]> = [
  ['period', (r) => r.start, (r) => (r.partial ? `${r.start}*` : r.start)],
  ['spend_usd', (r) => r.spendUsd, (r) => usd(r.spendUsd)],
  ['durable_changes', (r) => r.durableChanges, (r) => num(r.durableChanges)],
  ['nd', (r) => r.nd, (r) => num(r.nd)],
  ['agent_work_units', (r) => r.agentWorkUnits, (r) => num(r.agentWorkUnits)],
  ['usd_per_nd', (r) => r.costPerNd, (r) => usd(r.costPerNd)],
  ['usd_per_awu', (r) => r.costPerAgentWorkUnit, (r) => usd(r.costPerAgentWorkUnit)],
  ['usd_per_durable_change', (r) => r.costPerDurableChange, (r) => usd(r.costPerDurableChange)],
  ['no_durable_outcome_usd', (r) => r.waste.usd, (r) => usd(r.waste.usd)],
];

function print(r: RoiReport, opts: RoiOptions): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  if (opts.csv) {
    const rows = r.periods.map((p) => Object.fromEntries(FIELDS.map(([h, raw]) => [h, raw(p)])));
    process.stdout.write(
      toCsv(
        rows,
        FIELDS.map(([h]) => h),
      ),
    );
    return;
  }
  const columns = FIELDS.map(([header, , shown]) => ({
    header,
    value: shown,
    align: header === 'period' ? ('left' as const) : ('right' as const),
  }));
  const trend = (label: string, t: RoiReport['trend']['costPerNd']) =>
    t.direction === null
      ? `${label}: no trend (${t.reason})`
      : `${label}: ${t.direction} (${((t.changePerPeriod ?? 0) * 100).toFixed(1)} % a ${r.period}, ${t.periods} ${r.period}s)`;
  const lines = [
    `${r.from ?? '–'} to ${r.until ?? '–'} (exclusive), by ${r.period}; * = partial ${r.period}`,
    '',
    renderTable(columns, r.periods),
    '',
    trend('USD per ND', r.trend.costPerNd),
    trend('USD per agent work unit', r.trend.costPerAgentWorkUnit),
    `No durable outcome: ${usd(r.totals.waste.usd)} of ${usd(r.totals.spendUsd)} (${Object.entries(
      r.totals.waste.byCause,
    )
      .map(([cause, v]) => `${cause} ${usd(v)}`)
      .join(', ')})`,
    ...(r.flagged
      ? [
          `Integrity flags: ${usd(r.flagged.wastedUsd)} estimated waste (${r.flagged.flags.open} open, ${r.flagged.flags.confirmed} confirmed)`,
        ]
      : []),
    ...r.budgets.map(
      (b) =>
        `Budget ${b.id} (${b.period.label}): ${usd(b.spent)} of ${usd(b.limit)}; ND per $1,000 spent ${num(b.ndPerThousandSpent)}${b.note ? ` (${b.note})` : ''}`,
    ),
    ...r.notes,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerRoi(program: Command): void {
  withServerOptions(withGlobalOptions(program.command('roi')))
    .description(
      'is AI paying off: spend vs outcomes per period, cost per outcome and its trend, waste, budgets',
    )
    .option('--since <date>', 'first day (YYYY-MM-DD, UTC)')
    .option('--until <date>', 'last day (YYYY-MM-DD, UTC)')
    .option('--team <id>', 'only this team')
    .option('--tool <tool...>', `only these tools' sessions (${TOOLS.join(', ')})`)
    .option('--period <period>', `${ROI_PERIODS.join(' or ')}`, 'week')
    .option('--min-group <n>', 'withhold teams with fewer contributors', '5')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the periods as CSV')
    .action(async (opts: RoiOptions, cmd: Command) => {
      if (!(ROI_PERIODS as readonly string[]).includes(opts.period))
        throw new CliError(`--period must be ${ROI_PERIODS.join(' or ')} (got "${opts.period}")`);
      const bad = opts.tool?.find((t) => !(TOOLS as readonly string[]).includes(t));
      if (bad) throw new CliError(`--tool must be one of ${TOOLS.join(', ')} (got "${bad}")`);
      const minGroupSize = Number(opts.minGroup);
      if (!Number.isInteger(minGroupSize) || minGroupSize < 1)
        throw new CliError(`--min-group must be a whole number of at least 1 (got "${opts.minGroup}")`);
      const window = parseWindow(opts);
      const target = remoteTarget(opts);
      if (target) {
        const answer = await getJson<RoiReport>(target, '/api/v1/roi', {
          since: opts.since,
          until: opts.until,
          team: opts.team,
          tool: opts.tool?.join(','),
          period: opts.period,
        });
        print(answer, opts);
        return;
      }
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const directory = await ctx.directory();
      if (opts.team && !directory.teams.some((t) => t.id === opts.team))
        throw new CliError(`No team "${opts.team}" in the people directory.`);
      const scope: RoiScope = opts.team ? { kind: 'teams', teams: [opts.team] } : { kind: 'org' };
      const report = await ctx.withStore(async (store) => {
        const model = await valueModelFromStore(store, directory);
        const book = await flagBookFromStore(store, model, window);
        const budgets = createBudgetService({
          store,
          directory: () => directory,
          config: ctx.config.budgets ?? [],
          tickMs: 0,
        });
        try {
          await budgets.ready();
          const members = opts.team
            ? new Set(
                directory
                  .membersOf(opts.team, window.from, Math.min(window.until, Date.now()))
                  .map((p) => p.id),
              )
            : null;
          return roiReport(model, {
            window,
            period: opts.period as RoiPeriodKind,
            scope,
            tools: opts.tool as Tool[] | undefined,
            flags: book.flags.filter((f) => !members || members.has(f.personId)),
            budgets: await budgets.statuses(),
            minGroupSize,
          });
        } finally {
          await budgets.close();
        }
      });
      print(report, opts);
    });
}
