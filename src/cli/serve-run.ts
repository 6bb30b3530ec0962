/**
 * Runs `tokenyield serve` until SIGINT or SIGTERM: the one start-up path shared by `serve` and
 * `demo --serve`, so the demo's server is the real one (same settings, reloads and shutdown).
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import type { RunningServer } from '../server/serve.js';
import { resolveServerSettings, type ServerSettings } from '../server/settings.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';

export interface ServeFlags {
  port?: number;
  host?: string;
  /** Overrides the configured tokens file (the demo keeps its tokens in its own directory). */
  tokensFile?: string;
  /** The clock budgets are judged by (the demo's is its last day); default the real one. */
  now?: () => number;
}

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('--port must be 0–65535');
  return port;
}

export function serverSettingsOf(ctx: CommandContext, flags: ServeFlags): ServerSettings {
  const settings = resolveServerSettings({
    config: ctx.config.server,
    env: process.env,
    home: ctx.home,
    dbPath: ctx.dbPath,
    flags: { port: flags.port, host: flags.host },
    expand: ctx.expand,
  });
  return flags.tokensFile ? { ...settings, tokensFile: flags.tokensFile } : settings;
}

/**
 * Opens the ledger, starts the server, calls `announce` once it listens, and resolves after a
 * signal has stopped it (in-flight requests finished, accepted batches committed).
 */
export async function serveUntilStopped(
  ctx: CommandContext,
  flags: ServeFlags,
  announce: (server: RunningServer, settings: ServerSettings) => void,
): Promise<void> {
  const settings = serverSettingsOf(ctx, flags);
  // bin/ holds the heap to 20 % above what is live, which suits a command that runs once. A server
  // under load keeps every export's records alive until they are applied (about a second), so each
  // old-generation collection finds most of the heap live and the next one comes at once: back to
  // back, the server bench spent 148 µs of CPU per call with it and 111–119 µs with V8's own factor
  // (0 = V8's).
  setFlagsFromString('--heap-growing-percent=0');
  // Loaded on demand, like the ledger: commands that never serve should not pay for the server.
  const { createPeopleSource } = await import('../server/people-source.js');
  const { startServer } = await import('../server/serve.js');
  const directory = createPeopleSource(ctx.peopleFile, (err) =>
    process.stderr.write(`tokenyield: people file not reloaded, keeping the last good one: ${err.message}\n`),
  );
  const { openStoreAt } = await import('../ledger/store/location.js');
  // Its commits would otherwise scan the ledger's key columns, and slow down as it grows.
  const store = await openStoreAt(ctx.store, { memoryLimit: settings.ledgerMemory, keyFilter: true });
  const server = await startServer({
    store,
    settings,
    directory,
    priceBook: ctx.priceBook,
    budgets: ctx.config.budgets,
    alertChannels: ctx.config.alerts,
    now: flags.now,
    onTokensError: (err) =>
      process.stderr.write(
        `tokenyield: tokens file not reloaded, keeping the last good one: ${err.message}\n`,
      ),
  }).catch(async (err: NodeJS.ErrnoException) => {
    await store.close();
    if (err.code === 'EADDRINUSE')
      throw new CliError(`Port ${settings.port} is in use; pick another with --port.`, 1);
    throw err;
  });
  // Listening before the address is printed: a supervisor (or a test) that stops the server as
  // soon as it reads the address must find the handler, not the default action, which kills the
  // process at once. Printed first, a SIGTERM right after ended 5 of 15 demo runs that way.
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  announce(server, settings);
  const signal = await stopped;
  process.stdout.write(`\n${signal}: finishing in-flight requests and committing accepted batches…\n`);
  await server.close().catch((err: Error) => {
    process.stderr.write(`tokenyield: shutdown failed: ${err.message}\n`);
  });
}

/** The lines `tokenyield serve` prints once it listens. */
export function announceServer(server: RunningServer, dbPath: string): void {
  process.stdout.write(`tokenyield serving ${dbPath} on ${server.url}\n`);
  process.stdout.write(`  Dashboard: ${server.url}/\n`);
  process.stdout.write(`  OTLP/HTTP: ${server.url}/v1/logs, ${server.url}/v1/metrics\n`);
  process.stdout.write(`  REST API:  ${server.url}/api/v1 (OpenAPI at /api/v1/openapi.json)\n`);
}
