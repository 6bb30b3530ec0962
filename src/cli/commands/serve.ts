import type { Command } from 'commander';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { announceServer, parsePort, serveUntilStopped } from '../serve-run.js';

interface ServeOptions {
  port?: string;
  host?: string;
}

export function registerServe(program: Command): void {
  withGlobalOptions(program.command('serve'))
    .description('run the server: OTLP collector, REST API, webhooks (owns the ledger while it runs)')
    .option('--port <port>', 'port to listen on (default: $TOKENYIELD_PORT, config server.port, or 4318)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      await serveUntilStopped(ctx, { port: parsePort(opts.port), host: opts.host }, (server) => {
        announceServer(server, ctx.storeLabel);
        if (server.tokens.size === 0)
          process.stdout.write(
            `  No tokens yet: every request gets 401 until you create one (no restart needed):\n` +
              `    tokenyield token create --role admin --name <you>\n`,
          );
      });
    });
}
