import type { Command } from 'commander';
import { measureLineSurvival } from '../../pipeline/line-survival.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { formatInt, renderTable } from '../format/table.js';

interface SurvivalOptions {
  days: string;
  max: string;
  repo?: string;
  json?: boolean;
}

export function registerSurvival(program: Command): void {
  withGlobalOptions(program.command('survival'))
    .description(
      'line survival by git blame: how much of what AI-assisted and other commits added is still there',
    )
    .option('--days <n>', 'horizon in days after each commit', '30')
    .option('--max <n>', 'blame at most this many commits (the newest that reached the horizon)', '200')
    .option('--repo <owner/name>', 'only this repository')
    .option('--json', 'print JSON')
    .action(async (opts: SurvivalOptions, cmd: Command) => {
      const horizonDays = Number(opts.days);
      const maxCommits = Number(opts.max);
      if (!Number.isInteger(horizonDays) || horizonDays < 1)
        throw new CliError('--days must be a positive whole number');
      if (!Number.isInteger(maxCommits) || maxCommits < 1)
        throw new CliError('--max must be a positive whole number');
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const report = await ctx.withStore((store) =>
        measureLineSurvival(store, { horizonDays, maxCommits, ...(opts.repo ? { repo: opts.repo } : {}) }),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const rows = (['aiAssisted', 'other', 'all'] as const).map((key) => ({ key, ...report[key] }));
      const columns = [
        {
          header: 'commits',
          value: (r: (typeof rows)[number]) =>
            ({ aiAssisted: 'AI-assisted', other: 'other', all: 'all' })[r.key],
          align: 'left' as const,
        },
        { header: 'measured', value: (r: (typeof rows)[number]) => formatInt(r.commits) },
        { header: 'lines added', value: (r: (typeof rows)[number]) => formatInt(r.added) },
        {
          header: `surviving at ${horizonDays} d`,
          value: (r: (typeof rows)[number]) => formatInt(r.surviving),
        },
        {
          header: 'survival',
          value: (r: (typeof rows)[number]) => (r.rate === null ? '–' : `${(r.rate * 100).toFixed(1)}%`),
        },
      ];
      const notes = [
        report.tooRecent
          ? `${formatInt(report.tooRecent)} commits are younger than ${horizonDays} days: not measured yet.`
          : '',
        report.notSampled
          ? `${formatInt(report.notSampled)} older commits not blamed (raise --max to include them).`
          : '',
        'AI-assisted here means evidence on the commit itself (an AI trailer or an agent author).',
      ];
      process.stdout.write(`${renderTable(columns, rows)}\n${notes.filter(Boolean).join('\n')}\n`);
    });
}
