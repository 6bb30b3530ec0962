import type { Command } from 'commander';
import { resolveLocalIdentity } from '../../ledger/identity.js';
import { nothingReadable } from '../../pipeline/ingest.js';
import { LOCAL_SOURCES } from '../../sources/index.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { renderIngestSummary } from '../format/ingest-summary.js';
import { createProgressBar } from '../format/progress.js';
import { PushError } from '../push/client.js';
import { type PushOutcome, pushLocalUsage } from '../push/push.js';
import { nothingReadMessage } from './ingest.js';

interface PushCommandOptions {
  server?: string;
  token?: string;
  json?: boolean;
}

function attribution(outcome: PushOutcome): string {
  return outcome.info.attributedTo
    ? `attributed to ${outcome.info.attributedTo} (the token's person)`
    : "attributed by the server's people directory";
}

export function registerPush(program: Command): void {
  withGlobalOptions(program.command('push'))
    .description(
      'send new local usage (Claude Code, Codex, Gemini CLI) to a tokenyield server; the server prices it and ' +
        'remembers where each file was read up to, so every push sends only what is new',
    )
    .option('--server <url>', 'server URL (default: $TOKENYIELD_SERVER)')
    .option(
      '--token <token>',
      'ingest or engineer token (default: $TOKENYIELD_TOKEN, which keeps it out of ps)',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (opts: PushCommandOptions, cmd: Command) => {
      const server = opts.server ?? process.env.TOKENYIELD_SERVER;
      const token = opts.token ?? process.env.TOKENYIELD_TOKEN;
      if (!server) throw new CliError('No server: pass --server <url> or set TOKENYIELD_SERVER.');
      if (!token)
        throw new CliError('No token: set TOKENYIELD_TOKEN (or pass --token); ask the server admin for one.');
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const bar = opts.json ? undefined : createProgressBar();
      let outcome: PushOutcome;
      try {
        outcome = await pushLocalUsage({
          server,
          token,
          sources: LOCAL_SOURCES,
          env: { env: process.env, homeDir: ctx.home },
          identity: resolveLocalIdentity(ctx.config.identity?.person, process.env),
          priceBook: ctx.priceBook,
          onProgress: bar?.update,
        });
      } catch (err) {
        if (err instanceof PushError)
          throw new CliError(
            `${err.message}\nWhat was sent before this stays stored; the next push continues from there.`,
            1,
          );
        throw err;
      } finally {
        bar?.done();
      }
      const { summary } = outcome;
      if (opts.json) {
        const head = {
          server: outcome.server,
          attributedTo: outcome.info.attributedTo,
          requests: outcome.requests,
        };
        process.stdout.write(`${JSON.stringify({ ...head, ...summary }, null, 2)}\n`);
      } else {
        process.stdout.write(
          `${renderIngestSummary(summary)}\npushed to ${outcome.server} in ${outcome.requests} requests; ${attribution(outcome)}\n`,
        );
      }
      if (nothingReadable(summary)) throw new CliError(nothingReadMessage(summary), 1);
    });
}
