/**
 * A table of API rows with sortable columns and a CSV export of exactly the rows shown, in the
 * order shown. Each cell carries its raw value (`data-value`), which is also what the CSV holds:
 * spreadsheets want 1421.56, not "$1,421.56".
 * @module
 */
import { type ReactNode, useMemo, useState } from 'react';
import { type Cell, downloadText, toCsv } from '../csv.js';
import { Empty } from './States.js';

export interface Column<R> {
  key: string;
  header: string;
  /** The raw value: sorted on, exported, and shown when there is no `render`. */
  value: (row: R) => Cell;
  render?: (row: R) => ReactNode;
  numeric?: boolean;
  /** A hover note on the header: units, definitions. */
  title?: string;
}

export interface TableProps<R> {
  caption: string;
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string;
  /** File name of the export, without `.csv`. */
  filename: string;
  empty?: ReactNode;
}

type Sort = { key: string; descending: boolean } | null;

function compare(a: Cell, b: Cell): number {
  // Missing values sort last in either direction's natural reading.
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

export function Table<R>({ caption, rows, columns, rowKey, filename, empty }: TableProps<R>) {
  const [sort, setSort] = useState<Sort>(null);

  const shown = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col) return rows;
    const sorted = [...rows].sort((x, y) => compare(col.value(x), col.value(y)));
    return sort.descending ? sorted.reverse() : sorted;
  }, [rows, columns, sort]);

  if (rows.length === 0)
    return <Empty>{empty ?? `No rows for ${caption.toLowerCase()} in this range.`}</Empty>;

  const exportCsv = () =>
    downloadText(
      `${filename}.csv`,
      toCsv(
        columns.map((c) => c.header),
        shown.map((r) => columns.map((c) => c.value(r))),
      ),
    );

  const toggle = (key: string) =>
    setSort((s) => (s?.key === key ? { key, descending: !s.descending } : { key, descending: true }));

  return (
    <div className="table-block">
      <div className="table-tools">
        <span className="table-caption">{caption}</span>
        <span className="muted">{shown.length} rows</span>
        <button type="button" className="csv" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <div className="table-scroll">
        <table data-table={filename}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} className={c.numeric ? 'num' : undefined} title={c.title}>
                  <button type="button" className="sort" onClick={() => toggle(c.key)}>
                    {c.header}
                    {sort?.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c) => {
                  const v = c.value(r);
                  return (
                    <td
                      key={c.key}
                      className={c.numeric ? 'num' : undefined}
                      data-value={v === null || v === undefined ? '' : String(v)}
                    >
                      {c.render ? c.render(r) : v === null || v === undefined ? '—' : String(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
