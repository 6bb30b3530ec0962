import type { Command } from 'commander';
import {
  type Board,
  board,
  type Explanation,
  explain,
  LENSES,
  type Lens,
} from '../../analyses/board/index.js';
import { flagBookFromStore } from '../../analyses/integrity/index.js';
import { valueModelFromStore } from '../../analyses/value/index.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { BAND_LABELS, boardRows, renderBoard } from '../format/board-table.js';
import { toCsv } from '../format/csv.js';
import { formatInt, formatUsd } from '../format/table.js';
import {
  getJson,
  type RemoteOptions,
  type RemoteTarget,
  remoteTarget,
  withServerOptions,
} from '../remote.js';
import { parseWindow } from './value.js';

interface BoardCliOptions extends RemoteOptions {
  lens: string;
  level: string;
  exact?: boolean;
  all?: boolean;
  explain?: string;
  minGroup: string;
  since?: string;
  until?: string;
  json?: boolean;
  csv?: boolean;
}

function renderExplanation(x: Explanation): string {
  const t = x.totals;
  const lines = [
    `${x.name} (${x.personId})${x.heldOut ? ` — held out of the board by integrity flag ${x.heldOutBy.join(', ')}` : ''}`,
    x.position
      ? `Board position: ${x.position.band ? (BAND_LABELS[x.position.band] ?? x.position.band) : 'not ranked'}${x.position.rank ? ` (rank ${x.position.rank})` : ''}`
      : 'Not on the board for this lens.',
    `Spend ${formatUsd(t.spend.costUsd)} in ${formatInt(t.spend.sessions)} sessions; ND ${t.nd.nd.toFixed(3)}; ` +
      `${formatInt(t.shipped.qualifying)} qualifying durable changes of ${formatInt(t.shipped.shipped)} shipped; ` +
      `${formatInt(t.agentWork.units)} agent work units of ${formatInt(t.agentWork.attempted)} attempted.`,
    '',
    'Changes:',
  ];
  for (const c of x.changes) {
    const why = c.qualifying
      ? `ND share ${c.ndShare.toFixed(3)}`
      : `not counted: ${c.excludedBecause.join('; ')}`;
    const ai = c.aiAssisted
      ? ` AI: ${[...new Set(c.evidence.map((e) => `${e.kind}(${e.tool})`))].join(', ')}`
      : '';
    lines.push(
      `  ${c.id} +${c.additions}/-${c.deletions} — ${why}${ai}${c.sessionIds.length ? ` sessions: ${c.sessionIds.join(', ')}` : ''}`,
    );
  }
  lines.push('', 'Deployments:');
  for (const d of x.deployments) {
    lines.push(
      `  ${d.id} ${d.service} ${new Date(d.ts).toISOString()} ${d.outcome}: split over ${d.recipients}, yours ${d.personTotal.toFixed(3)}`,
    );
  }
  lines.push('', `Sessions: ${x.sessions.length} (use --json for each with its cost and outcome)`);
  return lines.join('\n');
}

/** The board (or an explanation) as the server computes it for the token's holder. */
async function remoteBoard(
  target: RemoteTarget,
  opts: BoardCliOptions,
  cmd: Command,
): Promise<Board | Explanation> {
  const query = {
    lens: opts.lens,
    since: opts.since,
    until: opts.until,
    exact: opts.exact,
    // The server's minimum can only be raised; send ours only when it was asked for.
    min_group: cmd.getOptionValueSource('minGroup') === 'default' ? undefined : opts.minGroup,
  };
  if (opts.explain)
    return getJson<Explanation>(target, `/api/v1/board/explain/${encodeURIComponent(opts.explain)}`, query);
  return getJson<Board>(target, '/api/v1/board', { ...query, level: opts.level, all: opts.all });
}

function printBoard(b: Board, opts: BoardCliOptions): void {
  const rows = boardRows(b);
  if (opts.json) process.stdout.write(`${JSON.stringify(b)}\n`);
  else if (opts.csv) process.stdout.write(toCsv(rows, Object.keys(rows[0] ?? { position: '' })));
  else process.stdout.write(`${renderBoard(b)}\n`);
}

function printExplanation(x: Explanation, opts: BoardCliOptions): void {
  process.stdout.write(opts.json ? `${JSON.stringify(x)}\n` : `${renderExplanation(x)}\n`);
}

export function registerBoard(program: Command): void {
  withServerOptions(withGlobalOptions(program.command('board')))
    .description('the leaderboard of outcomes, not tokens: teams first, percentile bands, explainable')
    .option(
      '--lens <lens>',
      `what to rank by: ${LENSES.join(', ')} (spend is a cost view, not merit)`,
      'value',
    )
    .option('--level <level>', 'team or person (individual boards show only people who opted in)', 'team')
    .option('--exact', 'show exact ranks instead of percentile bands')
    .option('--all', 'include people who did not opt in (an admin view)')
    .option('--min-group <n>', 'suppress groups smaller than this', '5')
    .option('--explain <person>', 'every number and link behind one person’s position')
    .option('--since <date>', 'first day (YYYY-MM-DD, UTC)')
    .option('--until <date>', 'last day (YYYY-MM-DD, UTC)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (opts: BoardCliOptions, cmd: Command) => {
      if (!LENSES.includes(opts.lens as Lens))
        throw new CliError(`--lens must be one of ${LENSES.join(', ')}`);
      if (opts.level !== 'team' && opts.level !== 'person')
        throw new CliError('--level must be team or person');
      const minGroupSize = Number(opts.minGroup);
      if (!Number.isInteger(minGroupSize) || minGroupSize < 1)
        throw new CliError('--min-group must be a positive whole number');
      const window = parseWindow(opts);
      const target = remoteTarget(opts);
      if (target) {
        const answer = await remoteBoard(target, opts, cmd);
        if (opts.explain) printExplanation(answer as Explanation, opts);
        else printBoard(answer as Board, opts);
        return;
      }
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const directory = await ctx.directory();
      const options = {
        lens: opts.lens as Lens,
        level: opts.level as 'team' | 'person',
        window,
        exactRanks: Boolean(opts.exact),
        allowIndividuals: Boolean(opts.all),
        minGroupSize,
        viewer: ctx.personId,
      };
      const { model, heldOut } = await ctx.withStore(async (store) => {
        const m = await valueModelFromStore(store, directory);
        return { model: m, heldOut: (await flagBookFromStore(store, m, window)).heldOut };
      });
      if (opts.explain) {
        const id = directory.resolve(opts.explain)?.id ?? directory.person(opts.explain)?.id;
        if (!id) throw new CliError(`"${opts.explain}" is nobody in the people directory.`);
        printExplanation(explain(model, id, { ...options, level: 'person', heldOut }), opts);
        return;
      }
      printBoard(board(model, { ...options, heldOut }), opts);
    });
}
