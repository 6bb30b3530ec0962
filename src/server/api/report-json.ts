/**
 * The wire form of a usage report: what `tokenyield report <kind> --json` prints and what
 * `GET /api/v1/reports/<kind>` answers, byte for byte the same, so a script written against one
 * works against the other and `report --server` renders the server's answer with the local renderers.
 * @module
 */
import type { ReportKind, ReportRow, TokenTotals, UsageReport } from '../../analyses/reports/usage-report.js';

export interface ReportJson {
  rows: ReportRow[];
  totals: TokenTotals;
  kind: ReportKind;
  time_zone: string;
  since: string | null;
  until: string | null;
  unpriced_models: string[];
}

/** The row field each kind is keyed by; `report-json.test.ts` checks it against `usageReport`. */
export const REPORT_KEYS: Record<ReportKind, string> = {
  daily: 'date',
  weekly: 'week',
  monthly: 'month',
  session: 'session_id',
  model: 'model',
  project: 'project',
};

export function reportJson(kind: ReportKind, report: UsageReport): ReportJson {
  return {
    rows: report.rows,
    totals: report.totals,
    kind,
    time_zone: report.timeZone,
    since: report.since,
    until: report.until,
    unpriced_models: report.unpriced_models,
  };
}

export function reportFromJson(json: ReportJson): UsageReport {
  return {
    kind: json.kind,
    key: REPORT_KEYS[json.kind],
    timeZone: json.time_zone,
    since: json.since,
    until: json.until,
    rows: json.rows,
    totals: json.totals,
    unpriced_models: json.unpriced_models,
  };
}
