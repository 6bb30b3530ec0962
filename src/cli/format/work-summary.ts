/**
 * What `tokenyield ingest` read from outcome sources: per repository, export or file, what was new,
 * what was already known, and everything skipped with its reason.
 * @module
 */
import type { WorkIngestSummary } from '../../pipeline/ingest-work.js';
import { formatInt } from './table.js';

const SOURCE_NAMES: Record<string, string> = {
  git: 'git',
  github_export: 'GitHub export',
  work_file: 'work file',
};

export function renderWorkSummary(summary: WorkIngestSummary): string {
  const out: string[] = [];
  for (const t of summary.targets) {
    const name = `${SOURCE_NAMES[t.source] ?? t.source} ${t.target}`;
    if (t.status === 'skipped') out.push(`${name}: skipped — ${t.message ?? 'unreadable'}`);
    else if (t.status === 'unchanged') out.push(`${name}: unchanged`);
    else out.push(`${name}: ${formatInt(t.inserted)} new, ${formatInt(t.replaced)} updated`);
    for (const s of t.skipped) {
      const where = s.examples.length > 0 ? ` (e.g. ${s.examples.slice(0, 3).join(', ')})` : '';
      out.push(`    ${formatInt(s.count).padStart(8)}  skipped: ${s.reason}${where}`);
    }
  }
  return out.join('\n');
}
