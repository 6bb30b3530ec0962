/**
 * `tokenyield flags`: integrity flags (DESIGN §7) — list them, show one with its evidence,
 * explain how to reproduce that evidence from the ledger, and review one (confirm or dismiss,
 * with a note). Against the local ledger, or a server with `--server`/`--token` (where the
 * server's roles decide what may be read and reviewed).
 * @module
 */
import type { Command } from 'commander';
import {
  explainFlag,
  FLAG_STATUSES,
  type Flag,
  type FlagBook,
  type FlagDetail,
  type FlagExplanation,
  type FlagList,
  type FlagStatus,
  findFlag,
  flagBookFromStore,
  flagDetail,
  flagList,
  periodFingerprints,
  ReviewError,
  recordReview,
  selectFlags,
} from '../../analyses/integrity/index.js';
import { ALL_TIME, valueModelFromStore, type Window } from '../../analyses/value/index.js';
import type { PeopleDirectory } from '../../ledger/people/types.js';
import { type CommandContext, type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { toCsv } from '../format/csv.js';
import { flagRows, renderExplanation, renderFlag, renderFlagList } from '../format/flags-table.js';
import { getJson, type RemoteOptions, remoteTarget, requestJson, withServerOptions } from '../remote.js';
import { parseWindow } from './value.js';

interface ListOptions extends RemoteOptions {
  since?: string;
  until?: string;
  status?: string[];
  person?: string;
  team?: string;
  json?: boolean;
  csv?: boolean;
}

interface ShowOptions extends RemoteOptions {
  explain?: boolean;
  json?: boolean;
}

interface ReviewOptions extends RemoteOptions {
  confirm?: boolean;
  dismiss?: boolean;
  note?: string;
  by?: string;
  json?: boolean;
}

function statuses(given: string[] | undefined): FlagStatus[] | undefined {
  if (!given || given.length === 0) return undefined;
  const list = given.flatMap((s) => s.split(',')).map((s) => s.trim());
  const bad = list.filter((s) => !(FLAG_STATUSES as readonly string[]).includes(s));
  if (bad.length) throw new CliError(`--status must be ${FLAG_STATUSES.join(', ')} (got ${bad.join(', ')})`);
  return list as FlagStatus[];
}

function print(value: unknown, json: boolean | undefined, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
}

/** The person ids a local `--person`/`--team` selects (the local ledger's user sees everyone). */
function localPeople(dir: PeopleDirectory, opts: ListOptions, window: Window): Set<string> | undefined {
  if (opts.person === undefined && opts.team === undefined) return undefined;
  const out = new Set<string>();
  if (opts.person !== undefined) {
    const p = dir.person(opts.person) ?? dir.resolve(opts.person);
    out.add(p?.id ?? opts.person.toLowerCase());
  }
  if (opts.team !== undefined) {
    if (!dir.teams.some((t) => t.id === opts.team))
      throw new CliError(`No team "${opts.team}" in the people directory.`);
    const from = Number.isFinite(window.from) ? window.from : 0;
    const until = Number.isFinite(window.until) ? window.until - 1 : Date.now();
    for (const m of dir.membersOf(opts.team, from, until)) out.add(m.id);
  }
  return out;
}

/** Runs `body` on the local ledger's flags over `window`, reviewed. */
async function withLocalFlags<T>(
  ctx: CommandContext,
  window: Window,
  body: (
    flags: Flag[],
    extra: {
      book: FlagBook;
      dir: PeopleDirectory;
      explain: (f: Flag) => Promise<FlagExplanation>;
      review: (f: Flag, r: Parameters<typeof recordReview>[2]) => Promise<Flag>;
    },
  ) => Promise<T>,
): Promise<T> {
  const dir = await ctx.directory();
  return ctx.withStore(async (store) => {
    const model = await valueModelFromStore(store, dir);
    const book = await flagBookFromStore(store, model, window);
    return body(book.flags, {
      book,
      dir,
      explain: async (f) =>
        explainFlag(model, f, { fingerprints: await periodFingerprints(store, f.window) }),
      review: (f, r) => recordReview(store, f, r),
    });
  });
}

function pick(flags: readonly Flag[], id: string): Flag {
  const found = findFlag(flags, id);
  if (found === 'ambiguous') throw new CliError(`"${id}" starts several flags' ids; give more of it.`);
  if (!found) throw new CliError(`No flag "${id}"; \`tokenyield flags\` lists them.`);
  return found;
}

async function list(opts: ListOptions, cmd: Command): Promise<void> {
  const window = parseWindow(opts);
  const wanted = statuses(opts.status);
  const target = remoteTarget(opts);
  let answer: FlagList;
  if (target) {
    answer = await getJson<FlagList>(target, '/api/v1/flags', {
      since: opts.since,
      until: opts.until,
      person: opts.person,
      team: opts.team,
      status: wanted?.join(','),
    });
  } else {
    const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
    answer = await withLocalFlags(ctx, window, async (flags, { dir, book }) =>
      flagList(
        book,
        selectFlags(flags, { people: localPeople(dir, opts, window), statuses: wanted }),
        dir,
        true,
      ),
    );
  }
  if (opts.csv) {
    const rows = flagRows(answer.flags);
    process.stdout.write(toCsv(rows, Object.keys(rows[0] ?? { id: '' })));
  } else print(answer, opts.json, () => renderFlagList(answer));
}

async function show(id: string, opts: ShowOptions, cmd: Command): Promise<void> {
  const target = remoteTarget(opts);
  const path = `/api/v1/flags/${encodeURIComponent(id)}`;
  if (target) {
    if (opts.explain) {
      const x = await getJson<FlagExplanation>(target, `${path}/explain`);
      print(x, opts.json, () => renderExplanation(x));
    } else {
      const f = await getJson<FlagDetail>(target, path);
      print(f, opts.json, () => renderFlag(f));
    }
    return;
  }
  const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
  await withLocalFlags(ctx, ALL_TIME, async (flags, { dir, explain }) => {
    const flag = pick(flags, id);
    if (opts.explain) {
      const x = await explain(flag);
      print(x, opts.json, () => renderExplanation(x));
    } else {
      const f = flagDetail(flag, dir, flag.personId !== ctx.personId);
      print(f, opts.json, () => renderFlag(f));
    }
  });
}

async function review(id: string, opts: ReviewOptions, cmd: Command): Promise<void> {
  if (Boolean(opts.confirm) === Boolean(opts.dismiss))
    throw new CliError('Give one of --confirm or --dismiss.');
  if (!opts.note || opts.note.trim() === '')
    throw new CliError('Give --note "why": a review says why it was decided that way.');
  const status = opts.confirm ? 'confirmed' : 'dismissed';
  const target = remoteTarget(opts);
  let reviewed: FlagDetail;
  if (target) {
    if (opts.by) throw new CliError('--by is for the local ledger; a server records the token’s person.');
    reviewed = await requestJson<FlagDetail>(
      target,
      'POST',
      `/api/v1/flags/${encodeURIComponent(id)}/review`,
      {
        body: { status, note: opts.note },
      },
    );
  } else {
    const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
    reviewed = await withLocalFlags(ctx, ALL_TIME, async (flags, { dir, review: record }) => {
      const flag = pick(flags, id);
      try {
        const done = await record(flag, { status, note: opts.note!, by: opts.by ?? ctx.personId });
        return flagDetail(done, dir, true);
      } catch (err) {
        if (err instanceof ReviewError) throw new CliError(err.message);
        throw err;
      }
    });
  }
  print(reviewed, opts.json, () => renderFlag(reviewed));
}

export function registerFlags(program: Command): void {
  const flags = program
    .command('flags')
    .description(
      'integrity flags: signs of tokenmaxxing with their evidence; open flags hold a person out of the board until reviewed',
    );
  withServerOptions(withGlobalOptions(flags.command('list', { isDefault: true })))
    .description('the flags of the 8-week periods the range overlaps (default: all)')
    .option('--since <date>', 'first day (YYYY-MM-DD, UTC)')
    .option('--until <date>', 'last day (YYYY-MM-DD, UTC)')
    .option('--status <status...>', `only these: ${FLAG_STATUSES.join(', ')}`)
    .option('--person <id>', 'only this person (id or alias)')
    .option('--team <id>', 'only the people of this team')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action((opts: ListOptions, cmd: Command) => list(opts, cmd));
  withServerOptions(withGlobalOptions(flags.command('show <id>')))
    .description(
      'one flag: its findings, evidence and review history (an id prefix of 6+ characters will do)',
    )
    .option(
      '--explain',
      'every session and change behind the evidence, each number recomputed, and the SQL to check it',
    )
    .option('--json', 'print JSON')
    .action((id: string, opts: ShowOptions, cmd: Command) => show(id, opts, cmd));
  withServerOptions(withGlobalOptions(flags.command('review <id>')))
    .description('confirm or dismiss a flag, with a note; reviewing again adds to its history')
    .option('--confirm', 'the behaviour is real: the person stays out of the board for that period')
    .option('--dismiss', 'the behaviour is explained: the person is back on the board')
    .option('--note <text>', 'why (required)')
    .option('--by <person>', 'local ledger only: who decides (default: this machine’s identity)')
    .option('--json', 'print JSON')
    .action((id: string, opts: ReviewOptions, cmd: Command) => review(id, opts, cmd));
}
