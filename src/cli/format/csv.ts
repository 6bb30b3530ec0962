/**
 * RFC 4180 CSV for report rows: one header line, arrays joined with `;`.
 * @module
 */

function cell(v: unknown): string {
  const s = Array.isArray(v) ? v.join(';') : v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
