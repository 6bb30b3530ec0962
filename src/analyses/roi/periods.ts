/**
 * The periods an ROI report is cut into: ISO weeks (Monday 00:00 UTC) or UTC calendar months,
 * clipped to the report's window. A period the window or the data cuts short is `partial`, so a
 * trend is never read off half a week that looks cheap only because it is half a week.
 * @module
 */
import { DAY_MS, type Window, weekOf, weekStartMs } from '../value/time.js';

export const ROI_PERIODS = ['week', 'month'] as const;
export type RoiPeriodKind = (typeof ROI_PERIODS)[number];

export interface RoiPeriod {
  /** First instant (epoch ms) inside the window. */
  from: number;
  /** First instant after it (exclusive). */
  until: number;
  /** The whole calendar period's first day, `YYYY-MM-DD` (the label). */
  start: string;
  /** Cut short by the window's ends. */
  partial: boolean;
}

function periodStart(kind: RoiPeriodKind, ts: number): number {
  if (kind === 'week') return weekStartMs(weekOf(ts));
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextStart(kind: RoiPeriodKind, start: number): number {
  if (kind === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The periods covering a finite window, oldest first. */
export function periodsOf(kind: RoiPeriodKind, window: Window): RoiPeriod[] {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.until))
    throw new Error('ROI periods need a finite window.');
  const out: RoiPeriod[] = [];
  for (let s = periodStart(kind, window.from); s < window.until; s = nextStart(kind, s)) {
    const e = nextStart(kind, s);
    out.push({
      from: Math.max(s, window.from),
      until: Math.min(e, window.until),
      start: new Date(s).toISOString().slice(0, 10),
      partial: s < window.from || e > window.until,
    });
  }
  return out;
}

/** Index of the period holding `ts`, or -1 (binary search: the pass calls this per record). */
export function periodIndex(periods: readonly RoiPeriod[], ts: number): number {
  let lo = 0;
  let hi = periods.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = periods[mid]!;
    if (ts < p.from) hi = mid - 1;
    else if (ts >= p.until) lo = mid + 1;
    else return mid;
  }
  return -1;
}
