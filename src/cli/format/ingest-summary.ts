/**
 * The summary printed after ingestion: what was read, what was found, what was dropped as a
 * duplicate, and every skipped line with its reason – nothing is skipped silently.
 * @module
 */
import type { IngestSummary } from '../../pipeline/ingest.js';
import { formatBytes, formatInt } from './table.js';

const TOOL_NAMES: Record<string, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex CLI',
  'gemini-cli': 'Gemini CLI',
};

export function renderIngestSummary(summary: IngestSummary): string {
  const out: string[] = [];
  for (const s of summary.sources) {
    const name = TOOL_NAMES[s.tool] ?? s.tool;
    if (s.filesSeen === 0) {
      out.push(`${name}: no files found`);
      continue;
    }
    out.push(
      `${name}: ${formatInt(s.filesSeen)} files (${formatInt(s.filesRead)} read, ${formatInt(s.filesUnchanged)} unchanged` +
        `${s.filesRestarted ? `, ${formatInt(s.filesRestarted)} re-read from the start` : ''}), ` +
        `${formatBytes(s.bytesRead)}, ${formatInt(s.lines)} lines`,
    );
    out.push(
      `  calls found ${formatInt(s.callsFound)}, new ${formatInt(s.newCalls)}, duplicates dropped ${formatInt(s.duplicatesDropped)}; ` +
        `activity new ${formatInt(s.newActivity)}`,
    );
    const skipped = Object.entries(s.skipped).sort((a, b) => b[1] - a[1]);
    if (skipped.length > 0) {
      const total = skipped.reduce((n, [, c]) => n + c, 0);
      out.push(`  skipped ${formatInt(total)} lines:`);
      for (const [reason, count] of skipped) out.push(`    ${formatInt(count).padStart(8)}  ${reason}`);
    }
    if (s.pendingTails > 0) {
      out.push(
        `  ${formatInt(s.pendingTails)} file(s) end in an unfinished line (still being written); it is read next run`,
      );
    }
    for (const u of s.unreadable) out.push(`  could not read ${u.path}: ${u.reason}`);
  }
  if (summary.repriced > 0)
    out.push(`re-priced ${formatInt(summary.repriced)} stored calls (price table or overrides changed)`);
  out.push(`done in ${(summary.durationMs / 1000).toFixed(2)} s`);
  return out.join('\n');
}
