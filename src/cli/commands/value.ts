import type { Command } from 'commander';
import { parseDateArg } from '../../analyses/reports/dates.js';
import {
  ALL_TIME,
  type ValueSummary,
  valueModelFromStore,
  valueSummaries,
  type Window,
} from '../../analyses/value/index.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { toCsv } from '../format/csv.js';
import { renderTable } from '../format/table.js';
import { valueColumns, valueRow } from '../format/value-table.js';
import { getJson, type RemoteOptions, remoteTarget, withServerOptions } from '../remote.js';

interface ValueOptions extends RemoteOptions {
  since?: string;
  until?: string;
  team?: string;
  person?: string;
  json?: boolean;
  csv?: boolean;
}

const DAY = 86_400_000;

/** `--since`/`--until` as inclusive UTC days. */
export function parseWindow(opts: { since?: string; until?: string }): Window {
  const since = opts.since === undefined ? undefined : parseDateArg(opts.since, '--since');
  const until = opts.until === undefined ? undefined : parseDateArg(opts.until, '--until');
  if (since && until && since > until) throw new CliError(`--since ${since} is after --until ${until}`);
  return {
    from: since ? Date.parse(`${since}T00:00:00Z`) : ALL_TIME.from,
    until: until ? Date.parse(`${until}T00:00:00Z`) + DAY : ALL_TIME.until,
  };
}

/** What `GET /api/v1/value` answers: the org only for an unscoped admin. */
interface RemoteValue {
  org: ValueSummary | null;
  teams: ValueSummary[];
  people: ValueSummary[];
}

/** `basis` says which shipped-change and ND basis the numbers use (the org's, when known). */
function printValue(
  rows: ValueSummary[],
  basis: ValueSummary | undefined,
  opts: ValueOptions,
  json: unknown,
): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else if (opts.csv) {
    const columns = valueColumns();
    process.stdout.write(
      toCsv(
        rows.map((r) => valueRow(r)),
        columns.map((c) => c.header),
      ),
    );
  } else {
    const head = basis
      ? `Shipped changes are ${basis.shipped.basis.replaceAll('_', ' ')}; ND from ${basis.nd.basis.replaceAll('_', ' ')}.\n\n`
      : '';
    process.stdout.write(
      `${head}${renderTable(
        valueColumns(),
        rows.map((r) => valueRow(r)),
      )}\n`,
    );
  }
}

export function registerValue(program: Command): void {
  withServerOptions(withGlobalOptions(program.command('value')))
    .description(
      'what AI delivered: shipped and durable changes, normalised deployments, agent work, cost per outcome',
    )
    .option('--since <date>', 'first day (YYYY-MM-DD, UTC)')
    .option('--until <date>', 'last day (YYYY-MM-DD, UTC)')
    .option('--team <id>', 'only this team (and its people)')
    .option('--person <id>', 'only this person')
    .option('--json', 'print the summaries as JSON')
    .option('--csv', 'print the table as CSV')
    .action(async (opts: ValueOptions, cmd: Command) => {
      const window = parseWindow(opts);
      const target = remoteTarget(opts);
      if (target) {
        const answer = await getJson<RemoteValue>(target, '/api/v1/value', {
          since: opts.since,
          until: opts.until,
          team: opts.team,
          person: opts.person,
        });
        const rows = [...(answer.org ? [answer.org] : []), ...answer.teams, ...answer.people];
        printValue(rows, rows[0], opts, answer);
        return;
      }
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const directory = await ctx.directory();
      const all = await ctx.withStore(async (store) =>
        valueSummaries(await valueModelFromStore(store, directory), window),
      );
      let rows: ValueSummary[] = [all.org, ...all.teams];
      if (opts.team) {
        const team = all.teams.find((t) => t.scope.kind === 'team' && t.scope.team === opts.team);
        if (!team) throw new CliError(`No team "${opts.team}" in the people directory or the data.`);
        rows = [
          team,
          ...all.people.filter(
            (p) =>
              p.scope.kind === 'person' &&
              directory.teamAt(p.scope.personId, Math.min(Date.now(), window.until - 1)) === opts.team,
          ),
        ];
      }
      if (opts.person) {
        const id = directory.resolve(opts.person)?.id ?? opts.person;
        const person = all.people.find((p) => p.scope.kind === 'person' && p.scope.personId === id);
        if (!person) throw new CliError(`No value data for "${opts.person}" in this window.`);
        rows = [person];
      }
      printValue(rows, all.org, opts, opts.team || opts.person ? { rows } : all);
    });
}
