import type { Command } from 'commander';
import { nothingReadable } from '../../pipeline/ingest.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { renderIngestSummary } from '../format/ingest-summary.js';
import { renderWorkSummary } from '../format/work-summary.js';

interface IngestOptions {
  json?: boolean;
  git?: string[];
  github?: string[];
  work?: string[];
  usage: boolean;
}

export function registerIngest(program: Command): void {
  withGlobalOptions(program.command('ingest'))
    .description('read new local usage (Claude Code, Codex, Gemini CLI) into the ledger')
    .description(
      'read new local usage (Claude Code, Codex, Gemini CLI) and outcomes (git, GitHub exports, deployment files) into the ledger',
    )
    .option('--json', 'print the summary as JSON')
    .option(
      '--git <path...>',
      'git clones, or directories to search for clones (adds to config outcomes.git)',
    )
    .option('--github <path...>', 'GitHub export directories or JSON files (docs/sources/github.md)')
    .option('--work <file...>', 'deployment, incident and task files (docs/sources/work-files.md)')
    .option('--no-usage', 'read only outcomes, not local AI usage logs')
    .action(async (opts: IngestOptions, cmd: Command) => {
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const outcomes = ctx.outcomeTargets({ git: opts.git, github: opts.github, files: opts.work });
      const summary = opts.usage ? await ctx.ingestLocal({ progress: !opts.json }) : undefined;
      const work = outcomes ? await ctx.ingestOutcomes(outcomes) : undefined;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ ...(summary ?? {}), ...(work ? { outcomes: work } : {}) }, null, 2)}\n`,
        );
      } else {
        const parts = [summary ? renderIngestSummary(summary) : '', work ? renderWorkSummary(work) : ''];
        process.stdout.write(`${parts.filter(Boolean).join('\n')}\n`);
      }
      const workRead = work?.targets.some((t) => t.status !== 'skipped') ?? false;
      if (summary && nothingReadable(summary) && !workRead)
        throw new CliError(nothingReadMessage(summary), 1);
      if (!summary && work && !workRead)
        throw new CliError('No outcome source could be read (see above).', 1);
    });
}

export function nothingReadMessage(summary: { sources: Array<{ filesSeen: number }> }): string {
  const seen = summary.sources.reduce((n, s) => n + s.filesSeen, 0);
  return seen === 0
    ? 'No usage logs found. Looked for Claude Code transcripts ($CLAUDE_CONFIG_DIR, ~/.claude/projects, ' +
        '~/.config/claude/projects), Codex rollouts ($CODEX_HOME or ~/.codex/sessions) and Gemini CLI chats (~/.gemini/tmp).'
    : 'Nothing could be read: every log file found was unreadable or held no usable line (see the summary above).';
}
