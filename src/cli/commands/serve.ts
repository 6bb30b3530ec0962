import type { Command } from 'commander';
import { createPeopleSource } from '../../server/people-source.js';
import { startServer } from '../../server/serve.js';
import { resolveServerSettings } from '../../server/settings.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';

interface ServeOptions {
  port?: string;
  host?: string;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('--port must be 0–65535');
  return port;
}

export function registerServe(program: Command): void {
  withGlobalOptions(program.command('serve'))
    .description('run the server: OTLP collector, REST API, webhooks (owns the ledger while it runs)')
    .option('--port <port>', 'port to listen on (default: $TOKENYIELD_PORT, config server.port, or 4318)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const settings = resolveServerSettings({
        config: ctx.config.server,
        env: process.env,
        home: ctx.home,
        dbPath: ctx.dbPath,
        flags: { port: parsePort(opts.port), host: opts.host },
        expand: ctx.expand,
      });
      const directory = createPeopleSource(ctx.peopleFile, (err) =>
        process.stderr.write(
          `tokenyield: people file not reloaded, keeping the last good one: ${err.message}\n`,
        ),
      );
      const { openDuckDbStore } = await import('../../ledger/store/duckdb/index.js');
      const store = await openDuckDbStore({ path: ctx.dbPath });
      const server = await startServer({
        store,
        settings,
        directory,
        priceBook: ctx.priceBook,
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
      process.stdout.write(`tokenyield serving ${ctx.dbPath} on ${server.url}\n`);
      process.stdout.write(`  OTLP/HTTP: ${server.url}/v1/logs, ${server.url}/v1/metrics\n`);
      process.stdout.write(`  REST API:  ${server.url}/api/v1 (OpenAPI at /api/v1/openapi.json)\n`);
      if (server.tokens.size === 0)
        process.stdout.write(
          `  No tokens yet: every request gets 401 until you create one (no restart needed):\n` +
            `    tokenyield token create --role admin --name <you>\n`,
        );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stdout.write(
            `\n${signal}: finishing in-flight requests and committing accepted batches…\n`,
          );
          server.close().then(resolve, (err) => {
            process.stderr.write(`tokenyield: shutdown failed: ${(err as Error).message}\n`);
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
