import type { Command } from 'commander';
import { nothingReadable } from '../../pipeline/ingest.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { renderIngestSummary } from '../format/ingest-summary.js';

export function registerIngest(program: Command): void {
  withGlobalOptions(program.command('ingest'))
    .description('read new local usage (Claude Code, Codex, Gemini CLI) into the ledger')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const summary = await ctx.ingestLocal({ progress: !opts.json });
      process.stdout.write(
        opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderIngestSummary(summary)}\n`,
      );
      if (nothingReadable(summary)) throw new CliError(nothingReadMessage(summary), 1);
    });
}

export function nothingReadMessage(summary: { sources: Array<{ filesSeen: number }> }): string {
  const seen = summary.sources.reduce((n, s) => n + s.filesSeen, 0);
  return seen === 0
    ? 'No usage logs found. Looked for Claude Code transcripts ($CLAUDE_CONFIG_DIR, ~/.claude/projects, ' +
        '~/.config/claude/projects), Codex rollouts ($CODEX_HOME or ~/.codex/sessions) and Gemini CLI chats (~/.gemini/tmp).'
    : 'Nothing could be read: every log file found was unreadable or held no usable line (see the summary above).';
}
