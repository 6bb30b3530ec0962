/**
 * Plain-text tables for the terminal: right-aligned numbers, a rule under the header, an
 * optional totals line. No colours, so output pipes cleanly.
 * @module
 */

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: 'left' | 'right';
}

export function renderTable<Row>(columns: Column<Row>[], rows: Row[], totals?: Row): string {
  const body = rows.map((r) => columns.map((c) => c.value(r)));
  const foot = totals ? columns.map((c) => c.value(totals)) : undefined;
  const all = [columns.map((c) => c.header), ...body, ...(foot ? [foot] : [])];
  const widths = columns.map((_, i) => Math.max(...all.map((line) => line[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => (columns[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const lines = [fmt(columns.map((c) => c.header)), rule, ...body.map(fmt)];
  if (foot) lines.push(rule, fmt(foot));
  return lines.join('\n');
}

// Made on first use: building a NumberFormat costs ~10 ms, and JSON output never needs one.
let INT: Intl.NumberFormat | undefined;

export function formatInt(n: number): string {
  INT ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return INT.format(n);
}

export function formatUsd(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
