import type { Command } from 'commander';
import { seenIdentities } from '../../analyses/people/seen-identities.js';
import { unresolvedIdentities } from '../../ledger/people/unresolved.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { formatInt, formatUsd, renderTable } from '../format/table.js';

export function registerPeople(program: Command): void {
  const people = program.command('people').description('people and teams from the people file');
  withGlobalOptions(people.command('list', { isDefault: true }))
    .description('everyone in the people directory, with their team today')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const directory = await ctx.directory();
      const now = Date.now();
      const rows = directory.people.map((p) => ({
        id: p.id,
        name: p.name,
        team: directory.teamAt(p.id, now) ?? '',
        aliases: p.aliases.length,
        board: p.boardOptIn ? 'opt-in' : 'opt-out',
      }));
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ version: directory.version, people: directory.people, teams: directory.teams })}\n`,
        );
        return;
      }
      const columns = (['id', 'name', 'team', 'aliases', 'board'] as const).map((header) => ({
        header,
        value: (r: (typeof rows)[number]) => String(r[header]),
        align: (header === 'aliases' ? 'right' : 'left') as 'left' | 'right',
      }));
      process.stdout.write(
        `${renderTable(columns, rows)}\n${rows.length} people in ${directory.teams.length} teams\n`,
      );
    });

  withGlobalOptions(people.command('unresolved'))
    .description('identities in the data that map to no one, with the spend and work they carry')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const directory = await ctx.directory();
      const report = await ctx.withStore(async (store) => {
        const [usage, work] = await Promise.all([
          store.identities(),
          store.work({ kinds: ['commits', 'pullRequests'] }),
        ]);
        return unresolvedIdentities(directory, seenIdentities(directory, usage, work));
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const u = report.unresolved;
      const s = report.seen;
      const head =
        `${formatInt(u.identities)} of ${formatInt(s.identities)} identities map to no one: ` +
        `${formatUsd(u.costUsd)} of ${formatUsd(s.costUsd)} spend, ${formatInt(u.commits)} of ${formatInt(s.commits)} commits, ` +
        `${formatInt(u.pullRequests)} of ${formatInt(s.pullRequests)} pull requests.`;
      const columns = (['kind', 'value', 'costUsd', 'calls', 'commits', 'pullRequests'] as const).map(
        (header) => ({
          header,
          value: (r: (typeof report.identities)[number]) =>
            header === 'costUsd'
              ? formatUsd(r.costUsd)
              : typeof r[header] === 'number'
                ? formatInt(r[header] as number)
                : String(r[header]),
          align: (header === 'kind' || header === 'value' ? 'left' : 'right') as 'left' | 'right',
        }),
      );
      const table = report.identities.length > 0 ? `\n\n${renderTable(columns, report.identities)}` : '';
      process.stdout.write(`${head}${table}\nAdd them as aliases in the people file (docs/people.md).\n`);
    });
}
