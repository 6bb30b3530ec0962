/**
 * Reads deployment, incident and task files (docs/sources/work-files.md): CSV/TSV via
 * `csv-parse`, JSON arrays, NDJSON, or one JSON object with `deployments` / `incidents` /
 * `tasks` arrays. Every bad row is skipped with its reason and location; the rows around it
 * are kept. Ids come from the file's own ids, so reading a file again yields the same records.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { type CsvError, parse as parseCsv } from 'csv-parse/sync';
import { emptyWorkBatch, type WorkBatch } from '../../ledger/work.js';
import { parseJsonValues } from '../github/json-values.js';
import { type SkipSummary, SkipTally } from '../github/skips.js';
import { kindOf, kindOfFileName, normalizeHeader, normalizeRow, type WorkFileKind } from './fields.js';
import { type WorkRecord, workRecordFromRow } from './rows.js';

export interface WorkFileResult {
  batch: WorkBatch;
  skipped: SkipSummary[];
}

interface RawRow {
  /** `row 3`, `record 2`, `line 5`: where a skip points the reader. */
  where: string;
  value: unknown;
  /** Kind given by the enclosing JSON key, when there is one. */
  kind: WorkFileKind | null;
}

const COMBINED_KEYS: ReadonlyArray<readonly [string, WorkFileKind]> = [
  ['deployments', 'deployment'],
  ['incidents', 'incident'],
  ['tasks', 'task'],
];

function csvRows(text: string, delimiter: string, skips: SkipTally, file: string): RawRow[] {
  const records = parseCsv(text, {
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      skips.add(`CSV: ${err?.code ?? 'unreadable record'}`, `${file} near line ${err?.lines ?? '?'}`);
    },
  }) as string[][];
  const [header, ...data] = records;
  if (!header) return [];
  const names = header.map(normalizeHeader);
  const rows: RawRow[] = [];
  // Spreadsheet numbering: the header is row 1 (blank lines are not counted).
  let recordNo = 1;
  for (const cells of data) {
    recordNo++;
    const where = `${file} row ${recordNo}`;
    // Fewer cells than columns happens when trailing empty cells are dropped; more would shift values.
    if (cells.length > names.length) {
      skips.add(`CSV: row has more fields than the header`, where);
      continue;
    }
    const value: Record<string, string> = {};
    names.forEach((name, i) => {
      if (name !== '') value[name] = cells[i] ?? '';
    });
    rows.push({ where, value, kind: null });
  }
  return rows;
}

function jsonRows(text: string, skips: SkipTally, file: string): RawRow[] {
  let values: unknown[];
  try {
    values = parseJsonValues(text);
  } catch {
    // Not one valid document: read it as NDJSON so a single broken line costs only that line.
    const rows: RawRow[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file} line ${i + 1}`;
      try {
        rows.push({ where, value: JSON.parse(line), kind: null });
      } catch {
        skips.add('invalid JSON', where);
      }
    });
    return rows;
  }
  const rows: RawRow[] = [];
  const push = (value: unknown, kind: WorkFileKind | null) =>
    rows.push({ where: `${file} record ${rows.length + 1}`, value, kind });
  for (const v of values) {
    if (Array.isArray(v)) {
      for (const item of v) push(item, null);
      continue;
    }
    const obj = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
    const combined = obj ? COMBINED_KEYS.filter(([key]) => Array.isArray(obj[key])) : [];
    if (combined.length === 0) {
      push(v, null);
      continue;
    }
    for (const [key, kind] of combined) for (const item of obj![key] as unknown[]) push(item, kind);
  }
  return rows;
}

/** Collects records across rows and files; a later row with the same id replaces an earlier one. */
class Collector {
  readonly skips = new SkipTally();
  private readonly records = {
    deployment: new Map<string, WorkRecord>(),
    incident: new Map<string, WorkRecord>(),
    task: new Map<string, WorkRecord>(),
  };

  addText(text: string, fileName: string, origin: string): void {
    const ext = extname(fileName).toLowerCase();
    const looksJson = /^\s*[[{]/.test(text.replace(/^\uFEFF/, ''));
    const rows =
      ext === '.csv' || ext === '.tsv' || (!['.json', '.jsonl', '.ndjson'].includes(ext) && !looksJson)
        ? csvRows(text, ext === '.tsv' ? '\t' : ',', this.skips, fileName)
        : jsonRows(text, this.skips, fileName);
    const fileKind = kindOfFileName(fileName);
    for (const raw of rows) {
      if (typeof raw.value !== 'object' || raw.value === null || Array.isArray(raw.value)) {
        this.skips.add('not an object', raw.where);
        continue;
      }
      const row = normalizeRow(raw.value as Record<string, unknown>);
      const kindCell = typeof row.kind === 'string' ? row.kind.trim() : '';
      const kind = kindCell !== '' ? kindOf(kindCell) : (raw.kind ?? fileKind);
      if (kind === null) {
        this.skips.add(
          kindCell !== ''
            ? `unknown kind "${kindCell}"`
            : 'no kind: add a kind column or name the file deployments/incidents/tasks',
          raw.where,
        );
        continue;
      }
      const parsed = workRecordFromRow(kind, row, origin);
      if (!parsed.ok) {
        this.skips.add(parsed.reason, raw.where);
        continue;
      }
      const byId = this.records[kind];
      const id = parsed.value.record.id;
      if (byId.has(id)) this.skips.add(`${kind}: duplicate id, later row kept`, raw.where);
      byId.set(id, parsed.value);
    }
  }

  result(): WorkFileResult {
    const batch = emptyWorkBatch();
    for (const w of this.records.deployment.values())
      if (w.kind === 'deployment') batch.deployments.push(w.record);
    for (const w of this.records.incident.values()) if (w.kind === 'incident') batch.incidents.push(w.record);
    for (const w of this.records.task.values()) if (w.kind === 'task') batch.tasks.push(w.record);
    return { batch, skipped: this.skips.summary() };
  }
}

/**
 * Parses the text of one work file. `fileName` decides the format (`.csv`, `.tsv`, `.json`,
 * `.jsonl`, `.ndjson`; otherwise sniffed) and, absent a `kind` field, the kind.
 */
export function parseWorkFileText(text: string, fileName: string, origin: string = fileName): WorkFileResult {
  const c = new Collector();
  c.addText(text, basename(fileName), origin);
  return c.result();
}

/** Reads work files; a record id repeated across files keeps the last file's row. */
export async function readWorkFiles(paths: readonly string[]): Promise<WorkFileResult> {
  const c = new Collector();
  for (const p of paths) {
    const path = resolve(p);
    c.addText(await readFile(path, 'utf8'), basename(path), path);
  }
  return c.result();
}

export async function readWorkFile(path: string): Promise<WorkFileResult> {
  return readWorkFiles([path]);
}
