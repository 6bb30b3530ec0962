/**
 * The leaderboard as a terminal table and as CSV rows: bands (or ranks when asked), the outcome
 * metrics behind them, badges, and what was suppressed, hidden or held out.
 * @module
 */
import type { Board } from '../../analyses/board/index.js';
import { formatInt, formatUsd, renderTable } from './table.js';

export const BAND_LABELS: Record<string, string> = {
  top_10: 'top 10%',
  top_25: 'top 25%',
  top_50: 'top 50%',
  rest: 'rest',
};

export function boardRows(b: Board): Array<Record<string, string>> {
  const opt = (v: number | null, f: (n: number) => string) => (v === null ? '–' : f(v));
  return b.entries.map((e) => ({
    position: e.rank !== null ? String(e.rank) : e.band ? (BAND_LABELS[e.band] ?? e.band) : '',
    [b.level]: e.name === e.id ? e.id : `${e.name} (${e.id})`,
    people: formatInt(e.size),
    nd: e.metrics.nd.toFixed(2),
    awu: formatInt(e.metrics.agentWorkUnits),
    durable_changes: formatInt(e.metrics.durableChanges),
    cost: formatUsd(e.metrics.costUsd),
    nd_per_1k_usd: opt(e.metrics.ndPerDollar, (n) => (n * 1000).toFixed(2)),
    regularity: opt(e.metrics.regularity, (n) => `${(n * 100).toFixed(0)}%`),
    badges: e.badges.map((x) => x.label).join(', '),
  }));
}

export function renderBoard(b: Board): string {
  const rows = boardRows(b);
  const columns = Object.keys(rows[0] ?? {}).map((header) => ({
    header,
    value: (r: Record<string, string>) => r[header] ?? '',
    align: (header === b.level || header === 'badges' || header === 'position' ? 'left' : 'right') as
      | 'left'
      | 'right',
  }));
  const notes = [
    `${b.label}${b.merit ? '' : ' — a cost view, not a ranking of merit'}`,
    rows.length > 0 ? renderTable(columns, rows) : 'No entries.',
    b.suppressed.length
      ? `Suppressed (fewer than ${b.settings.minGroupSize} people): ${b.suppressed.map((s) => s.id).join(', ')}`
      : '',
    b.hidden ? `${b.hidden} people ranked but not shown (not opted in; --all shows them)` : '',
    b.unranked ? `${b.unranked} not ranked on this lens (below its thresholds)` : '',
    b.heldOut ? `${b.heldOut} held out for open or confirmed integrity flags (tokenyield flags)` : '',
    ...b.heldOutEntries.map(
      (e) => `  held out: ${e.name} (${e.id})${e.flagIds.length ? ` — ${e.flagIds.join(', ')}` : ''}`,
    ),
  ];
  return notes.filter(Boolean).join('\n');
}
