/**
 * Headline numbers. Each tile shows a formatted value with its unit and keeps the raw value in
 * `data-value`, so what is shown can be checked against the API exactly.
 * @module
 */
import type { ReactNode } from 'react';

export interface TileProps {
  label: string;
  value: string;
  raw: number | null;
  /** Unit, basis or definition, under the number. */
  note?: ReactNode;
  id?: string;
}

export function Tile({ label, value, raw, note, id }: TileProps) {
  return (
    <div className="tile" data-tile={id} data-value={raw === null ? '' : String(raw)}>
      <div className="tile-label">{label}</div>
      <div className="tile-value">{value}</div>
      {note ? <div className="tile-note">{note}</div> : null}
    </div>
  );
}

export function Tiles({ children }: { children: ReactNode }) {
  return <div className="tiles">{children}</div>;
}
