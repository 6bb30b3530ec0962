/**
 * The `tokenyield` command line. Commands parse options, call analyses and print; errors the
 * user can act on are one line on stderr with a non-zero exit code, never a stack trace
 * (set TOKENYIELD_DEBUG=1 to see one).
 * @module
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { PeopleFileError } from '../ledger/people/errors.js';
import { PricingConfigError } from '../ledger/pricing/errors.js';
import { StoreLockedError } from '../ledger/store/store.js';
import { TokenFileError } from '../server/auth/token-file-error.js';
import type { ReportOptions } from './commands/report.js';
import { withGlobalOptions } from './context.js';
import { CliError } from './errors.js';
import { commandNameIn } from './process-tuning.js';

/*
 * Each command's module is loaded only when that command runs. Together they reach ~235 modules
 * (the database engine, the server, e-mail, the synthetic organisation); a warm `report daily`
 * answered from the ledger manifest needs under half of them, and loading the rest was most of
 * its time. Help and unknown commands load every command, so commander lists and suggests them.
 */
type Register = (program: Command) => void;
const COMMANDS: Record<string, () => Promise<Register>> = {
  ingest: async () => (await import('./commands/ingest.js')).registerIngest,
  report: async () => (await import('./commands/report.js')).registerReport,
  prices: async () => (await import('./commands/prices.js')).registerPrices,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  board: async () => (await import('./commands/board.js')).registerBoard,
  flags: async () => (await import('./commands/flags.js')).registerFlags,
  value: async () => (await import('./commands/value.js')).registerValue,
  roi: async () => (await import('./commands/roi.js')).registerRoi,
  people: async () => (await import('./commands/people.js')).registerPeople,
  survival: async () => (await import('./commands/survival.js')).registerSurvival,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  token: async () => (await import('./commands/token.js')).registerToken,
  push: async () => (await import('./commands/push.js')).registerPush,
  budget: async () => (await import('./commands/budget.js')).registerBudget,
};

/**
 * The commands `args` (process.argv) can need: the one it names, none for the personal report, or
 * all of them for help and for a name that is not a command.
 */
export function commandsFor(args: readonly string[]): string[] {
  const all = Object.keys(COMMANDS);
  const name = commandNameIn(args);
  if (name !== null) return name in COMMANDS ? [name] : all;
  const rest = args.slice(2);
  return rest.includes('--help') || rest.includes('-h') ? all : [];
}

async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command('tokenyield')
    .description(
      'AI coding-assistant spend, per engineer, tool and model, joined to the work that shipped.\n' +
        'With no command: your usage this week, by day, tool and model.',
    )
    // Root options apply only before a command name, so `report daily --json` reaches the report.
    .enablePositionalOptions();
  withGlobalOptions(program)
    .option('--tz <zone>', 'IANA time zone for the personal report (default: this machine’s)')
    .option('--json', 'print the personal report as JSON')
    .option('--no-ingest', 'do not read new local usage first')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .action(async (_opts, cmd: Command) =>
      (await import('./commands/personal.js')).runPersonal(cmd, cmd.opts<ReportOptions>()),
    );
  const registers = await Promise.all(commandsFor(args).map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

function explain(err: unknown): { message: string; code: number } {
  if (err instanceof CliError) return { message: err.message, code: err.exitCode };
  if (err instanceof ConfigError) return { message: err.message, code: 2 };
  if (err instanceof PeopleFileError) return { message: err.message, code: 2 };
  if (err instanceof TokenFileError) return { message: err.message, code: 2 };
  if (err instanceof PricingConfigError) return { message: `pricing config: ${err.message}`, code: 2 };
  if (err instanceof StoreLockedError) {
    return {
      message: `${err.message}\nWait for the other tokenyield process to finish, or point --db (or TOKENYIELD_DB) at another file.`,
      code: 3,
    };
  }
  if (err instanceof Error && /^--(since|until|tz)|time zone/i.test(err.message))
    return { message: err.message, code: 2 };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EROFS' || e?.code === 'ENOSPC') {
    return { message: `Cannot write the ledger: ${e.message}`, code: 1 };
  }
  return {
    message: `Unexpected error: ${e?.message ?? String(err)}\nRe-run with TOKENYIELD_DEBUG=1 for details.`,
    code: 1,
  };
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (process.env.TOKENYIELD_DEBUG) console.error(err);
    const { message, code } = explain(err);
    process.stderr.write(`tokenyield: ${message}\n`);
    return code;
  }
}
