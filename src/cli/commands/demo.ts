import type { Command } from 'commander';
import { board } from '../../analyses/board/index.js';
import { valueModelFromStore, valueSummaries } from '../../analyses/value/index.js';
import { loadPeopleFile } from '../../ledger/people/index.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import { buildDemo, DemoDirectoryError } from '../../pipeline/demo.js';
import { CliError } from '../errors.js';
import { renderBoard } from '../format/board-table.js';
import { renderTable } from '../format/table.js';
import { valueColumns, valueRow } from '../format/value-table.js';

interface DemoOptions {
  dir: string;
  seed: string;
  engineers: string;
  teams: string;
  days: string;
  json?: boolean;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} must be a positive whole number (got "${value}")`);
  return n;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'build the seeded demo organisation (people, teams, AI usage, git repositories, PRs, deployments)',
    )
    .option(
      '--dir <path>',
      'directory to build it in (cleared and rebuilt if it holds an earlier demo)',
      'tokenyield-demo',
    )
    .option('--seed <n>', 'generator seed: the same seed builds the same organisation', '1')
    .option('--engineers <n>', 'number of engineers', '300')
    .option('--teams <n>', 'number of teams', '20')
    .option('--days <n>', 'days of history', '120')
    .option('--json', 'print what was built as JSON')
    .action(async (opts: DemoOptions) => {
      const options = {
        seed: positive(opts.seed, '--seed'),
        engineers: positive(opts.engineers, '--engineers'),
        teams: positive(opts.teams, '--teams'),
        days: positive(opts.days, '--days'),
      };
      if (options.teams > options.engineers) throw new CliError('--teams cannot exceed --engineers');
      let built: Awaited<ReturnType<typeof buildDemo>>;
      try {
        built = await buildDemo(opts.dir, options, (step) => {
          if (!opts.json) process.stderr.write(`demo: ${step}…\n`);
        });
      } catch (error) {
        if (error instanceof DemoDirectoryError) throw new CliError(error.message, 2);
        throw error;
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(built, null, 2)}\n`);
        return;
      }
      const cfg = `--config ${built.config}`;
      const directory = loadPeopleFile(built.peopleFile);
      const store = await openDuckDbStore({ path: built.ledger, readOnly: true });
      let shown: string;
      try {
        const model = await valueModelFromStore(store, directory);
        const org = valueSummaries(model).org;
        shown = `${renderTable(valueColumns(), [valueRow(org)])}\n\n${renderBoard(board(model))}`;
      } finally {
        await store.close();
      }
      process.stdout.write(
        [
          `Built the demo organisation in ${built.dir} (${built.seconds.toFixed(1)} s):`,
          `  ${built.people} engineers in ${built.teams} teams; ${built.usageRecords.toLocaleString('en-US')} model calls, ` +
            `${built.outcomeRecords.toLocaleString('en-US')} commits, PRs, deployments, incidents and tasks`,
          `  git repositories: ${built.gitRepositories.join(', ')}`,
          '',
          shown,
          '',
          'Look further:',
          `  npx tokenyield board ${cfg}`,
          `  npx tokenyield value ${cfg}`,
          `  npx tokenyield board ${cfg} --level person --all --lens efficiency`,
          `  npx tokenyield board ${cfg} --explain <person e-mail>`,
          `  npx tokenyield report monthly ${cfg} --no-ingest`,
          '',
        ].join('\n'),
      );
    });
}
