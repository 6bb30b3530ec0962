import type { Command } from 'commander';
import { board } from '../../analyses/board/index.js';
import { valueModelFromStore, valueSummaries } from '../../analyses/value/index.js';
import { loadPeopleFile } from '../../ledger/people/index.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import {
  buildDemo,
  type DemoBuild,
  DemoDirectoryError,
  demoBudgetClock,
  ensureDemoAdminToken,
  existingDemo,
} from '../../pipeline/demo.js';
import { openContext } from '../context.js';
import { CliError } from '../errors.js';
import { renderBoard } from '../format/board-table.js';
import { renderTable } from '../format/table.js';
import { valueColumns, valueRow } from '../format/value-table.js';
import { announceServer, parsePort, serveUntilStopped } from '../serve-run.js';

interface DemoOptions {
  dir: string;
  seed: string;
  engineers: string;
  teams: string;
  days: string;
  json?: boolean;
  serve?: boolean;
  rebuild?: boolean;
  port?: string;
  host?: string;
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
    .option('--serve', 'then run `tokenyield serve` on it and print the dashboard’s address and a token')
    .option('--rebuild', 'with --serve: rebuild a demo already built in --dir instead of serving it as it is')
    .option('--port <port>', 'with --serve: port to listen on (default 4318)')
    .option('--host <host>', 'with --serve: address to listen on (default 127.0.0.1)')
    .action(async (opts: DemoOptions) => {
      if (opts.serve && opts.json) throw new CliError('--json and --serve do not go together');
      if (!opts.serve && (opts.port !== undefined || opts.host !== undefined))
        throw new CliError('--port and --host need --serve');
      const port = parsePort(opts.port);
      const options = {
        seed: positive(opts.seed, '--seed'),
        engineers: positive(opts.engineers, '--engineers'),
        teams: positive(opts.teams, '--teams'),
        days: positive(opts.days, '--days'),
      };
      if (options.teams > options.engineers) throw new CliError('--teams cannot exceed --engineers');
      const reused = opts.serve && !opts.rebuild ? existingDemo(opts.dir) : null;
      if (reused) {
        const o = reused.options;
        process.stderr.write(
          `demo: serving the demo already built in ${reused.dir} (${o.engineers} engineers, ${o.teams} teams, ` +
            `${o.days} days, seed ${o.seed}); --rebuild builds it again\n`,
        );
        await serveDemo(reused, { port, host: opts.host });
        return;
      }
      let built: DemoBuild;
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
      if (opts.serve) {
        process.stdout.write(`${builtLines(built).join('\n')}\n\n`);
        await serveDemo(built, { port, host: opts.host });
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
          ...builtLines(built),
          '',
          shown,
          '',
          'Look further:',
          `  npx tokenyield board ${cfg}`,
          `  npx tokenyield value ${cfg}`,
          `  npx tokenyield board ${cfg} --level person --all --lens efficiency`,
          `  npx tokenyield board ${cfg} --explain <person e-mail>`,
          `  npx tokenyield report monthly ${cfg} --no-ingest`,
          `  npx tokenyield demo --dir ${built.dir} --serve      # the web dashboard on this demo`,
          '',
        ].join('\n'),
      );
    });
}

function builtLines(built: DemoBuild): string[] {
  return [
    `Built the demo organisation in ${built.dir} (${built.seconds.toFixed(1)} s):`,
    `  ${built.people} engineers in ${built.teams} teams; ${built.usageRecords.toLocaleString('en-US')} model calls, ` +
      `${built.outcomeRecords.toLocaleString('en-US')} commits, PRs, deployments, incidents and tasks`,
    `  git repositories: ${built.gitRepositories.join(', ')}`,
  ];
}

/**
 * `tokenyield serve` on the demo: its ledger, its people file and its own tokens file (so nothing
 * lands in ~/.tokenyield), with an admin token made on first use and printed once.
 */
async function serveDemo(built: DemoBuild, flags: { port: number | undefined; host: string | undefined }) {
  // The demo's files, whatever TOKENYIELD_DB or TOKENYIELD_PEOPLE say: this command serves the demo.
  const ctx = {
    ...(await openContext({ config: built.config, db: built.ledger })),
    peopleFile: built.peopleFile,
  };
  const token = ensureDemoAdminToken(built.tokensFile);
  const clock = demoBudgetClock(built.options);
  await serveUntilStopped(ctx, { ...flags, tokensFile: built.tokensFile, now: () => clock }, (server) => {
    announceServer(server, built.ledger);
    const lines = ['', `Open the dashboard: ${server.url}/`];
    if (token)
      lines.push(
        `Sign in with this admin token (shown only now; stored hashed in ${built.tokensFile}):`,
        `  ${token}`,
      );
    else
      lines.push(
        `Sign in with the demo's admin token, printed when it was first served (it is stored hashed only).`,
        `Lost it? Another one: npx tokenyield token create --config ${built.config} --role admin --name <you>`,
      );
    lines.push(
      `Budgets are shown as they stood on the demo's last day, ${new Date(clock).toISOString().slice(0, 10)}.`,
      'Stop with Ctrl-C.',
      '',
    );
    process.stdout.write(lines.join('\n'));
  });
}
