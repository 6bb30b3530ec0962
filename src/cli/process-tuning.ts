/**
 * Settings the process must take before it does anything else, applied by `bin/tokenyield.js`.
 * The launcher is CommonJS and loads this module with `require` (synchronous): the libuv thread
 * pool reads `UV_THREADPOOL_SIZE` when it first starts, and the ES module loader starts the pool
 * to read its first file, so the setting has to be in place before anything is `import`ed.
 * Keep this module's own imports to Node built-ins.
 * @module
 */
import { setFlagsFromString } from 'node:v8';

/** Root options that take a value: the token after them is that value, not a command. */
const ROOT_VALUE_OPTIONS = new Set(['--db', '--store', '--config', '--tz']);

/**
 * The command `argv` (process.argv) names: its first argument that is not an option, `null`
 * for none (the personal report), whether or not it is a known command.
 */
export function commandNameIn(argv: readonly string[]): string | null {
  const rest = argv.slice(2);
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === '--') break;
    if (token.startsWith('-')) {
      if (ROOT_VALUE_OPTIONS.has(token)) i++;
      continue;
    }
    return token;
  }
  return null;
}

/** Commands that read local usage files into the ledger in this process. */
const LOCAL_INGEST_COMMANDS: ReadonlySet<string | null> = new Set([null, 'report', 'ingest']);

/**
 * Tunes this process for the command `argv` names; `env` is the process environment, changed in
 * place. Measured on a cold ingest of the 2 GB bench history (peak RSS, 2 cores):
 * - The V8 old generation kept to 20 % above what is live (without it, 561 MiB). Read at every
 *   collection, so it works when set at run time; `serve` puts V8's own factor back.
 * - For commands that ingest local files, the young generation kept at its first size (1 MiB
 *   semi-spaces instead of growing to 16): 358–362 → 314–318 MiB, for 0–10 % more CPU spent on
 *   scavenges. Read when a semi-space would grow, so it works at run time; the maximum size
 *   itself is fixed when the heap is created. Set at launch: set when the ingest starts, after
 *   the manifest and the plan have grown the semi-spaces, the peak was 293–300 MiB.
 * - For the same commands, one libuv worker thread unless the user chose a number: the ledger's
 *   queries run on the pool, and each thread that ran one kept its own malloc arena of freed
 *   engine memory (394–402 → 358–362 MiB). Ingest reads files synchronously and the ledger runs
 *   one statement at a time, so nothing waits on the smaller pool; a server would (its journal
 *   writes share the pool with the ledger), so `serve` keeps the default.
 */
export function tuneProcess(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  setFlagsFromString('--heap-growing-percent=20');
  if (!LOCAL_INGEST_COMMANDS.has(commandNameIn(argv))) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  env.UV_THREADPOOL_SIZE ??= '1';
}
