/**
 * The `tokenyield` command line. Commands parse options, call analyses and print; errors the
 * user can act on are one line on stderr with a non-zero exit code, never a stack trace
 * (set TOKENYIELD_DEBUG=1 to see one).
 * @module
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { PeopleFileError } from '../ledger/people/index.js';
import { PricingConfigError } from '../ledger/pricing/index.js';
import { StoreLockedError } from '../ledger/store/store.js';
import { TokenFileError } from '../server/auth/tokens.js';
import { registerBoard } from './commands/board.js';
import { registerBudget } from './commands/budget.js';
import { registerDemo } from './commands/demo.js';
import { registerFlags } from './commands/flags.js';
import { registerIngest } from './commands/ingest.js';
import { registerPeople } from './commands/people.js';
import { runPersonal } from './commands/personal.js';
import { registerPrices } from './commands/prices.js';
import { registerPush } from './commands/push.js';
import { type ReportOptions, registerReport } from './commands/report.js';
import { registerRoi } from './commands/roi.js';
import { registerServe } from './commands/serve.js';
import { registerSurvival } from './commands/survival.js';
import { registerToken } from './commands/token.js';
import { registerValue } from './commands/value.js';
import { withGlobalOptions } from './context.js';
import { CliError } from './errors.js';

function buildProgram(): Command {
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
    .action(async (_opts, cmd: Command) => runPersonal(cmd, cmd.opts<ReportOptions>()));
  registerIngest(program);
  registerReport(program);
  registerPrices(program);
  registerDemo(program);
  registerBoard(program);
  registerFlags(program);
  registerValue(program);
  registerRoi(program);
  registerPeople(program);
  registerSurvival(program);
  registerServe(program);
  registerToken(program);
  registerPush(program);
  registerBudget(program);
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
  const program = buildProgram();
  try {
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
