/**
 * Budget periods in a budget's own time zone. A period is a range of local calendar dates (start
 * inclusive, end exclusive) and the two instants where it begins and ends: local midnight, which
 * is not always 24 hours after the previous one (DST) and is not always 00:00 (a few zones skip
 * midnight when they change clocks; then the period starts at the first instant of the day).
 * @module
 */
import { addDays, localDate } from '../reports/dates.js';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** First local date of the period, `YYYY-MM-DD`. */
  start: string;
  /** First local date after the period (exclusive end). */
  end: string;
  /** Epoch ms of the first instant of `start` in the zone. */
  startTs: number;
  /** Epoch ms of the first instant of `end` in the zone. */
  endTs: number;
  timeZone: string;
  /** For people: "April 2026", "Q2 2026 (from 2026-04-01)", "fiscal year 2026-04-01 – 2027-03-31". */
  label: string;
  /** Local days in the period (28 to 366). */
  days: number;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ts: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ts))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return asUtc - (ts - (((ts % 1000) + 1000) % 1000));
}

/**
 * The first instant of a local date in `zone`. Usually local 00:00; when a DST change skips
 * midnight (e.g. America/Santiago), the first instant that is on that date.
 */
export function startOfLocalDay(date: string, zone: string): number {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // Two passes settle the offset on either side of a transition.
  let ts = midnightUtc - zoneOffsetMs(midnightUtc, zone);
  ts = midnightUtc - zoneOffsetMs(ts, zone);
  if (localDate(ts, zone) === date) {
    // Where clocks go back across midnight the date begins twice; the period starts at the first.
    while (localDate(ts - 1, zone) === date) ts -= 3_600_000;
    return ts;
  }
  // Midnight does not exist: walk forward to the first quarter hour that is on `date`.
  for (let step = 1; step <= 16; step++) {
    const candidate = ts + step * 900_000;
    if (localDate(candidate, zone) === date) return candidate;
  }
  throw new Error(`Cannot find the start of ${date} in ${zone}`);
}

function ymd(year: number, month: number): string {
  // month is 1-based and may overflow either way.
  const y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Local dates of the period containing local date `date`, `fiscalYearStart` 1–12 (1 = January). */
export function periodDates(
  kind: PeriodKind,
  date: string,
  fiscalYearStart = 1,
): { start: string; end: string } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (kind === 'month') return { start: ymd(year, month), end: ymd(year, month + 1) };
  // Months since the fiscal year began, 0–11.
  const intoYear = (month - fiscalYearStart + 12) % 12;
  const length = kind === 'quarter' ? 3 : 12;
  const first = month - (intoYear % length);
  return { start: ymd(year, first), end: ymd(year, first + length) };
}

function labelOf(kind: PeriodKind, start: string, end: string, fiscalYearStart: number): string {
  const year = start.slice(0, 4);
  const month = Number(start.slice(5, 7));
  const last = addDays(end, -1);
  if (kind === 'month') return `${MONTHS[month - 1]} ${year}`;
  if (kind === 'year') return fiscalYearStart === 1 ? `year ${year}` : `fiscal year ${start} – ${last}`;
  if (fiscalYearStart === 1) return `Q${(month - 1) / 3 + 1} ${year}`;
  return `fiscal quarter ${start} – ${last}`;
}

/** The period of kind `kind` that contains instant `ts`, in `zone`. */
export function periodAt(kind: PeriodKind, ts: number, zone: string, fiscalYearStart = 1): Period {
  return periodOfDate(kind, localDate(ts, zone), zone, fiscalYearStart);
}

/** The period that contains the local date `date`. */
export function periodOfDate(kind: PeriodKind, date: string, zone: string, fiscalYearStart = 1): Period {
  const { start, end } = periodDates(kind, date, fiscalYearStart);
  return {
    kind,
    start,
    end,
    startTs: startOfLocalDay(start, zone),
    endTs: startOfLocalDay(end, zone),
    timeZone: zone,
    label: labelOf(kind, start, end, fiscalYearStart),
    days: daysBetween(start, end),
  };
}

/** The period just before `period`. */
export function previousPeriod(period: Period, fiscalYearStart = 1): Period {
  return periodOfDate(period.kind, addDays(period.start, -1), period.timeZone, fiscalYearStart);
}

const QUARTER_HOUR = 900_000;

/**
 * `localDate` for many instants in one zone: every UTC offset in use is a multiple of 15 minutes,
 * so the date is the same throughout each quarter hour and is computed once per quarter hour.
 */
export function localDater(zone: string): (ts: number) => string {
  const memo = new Map<number, string>();
  return (ts) => {
    const bucket = Math.floor(ts / QUARTER_HOUR);
    let date = memo.get(bucket);
    if (date === undefined) {
      date = localDate(bucket * QUARTER_HOUR, zone);
      memo.set(bucket, date);
    }
    return date;
  };
}

/** Local dates from `from` (inclusive) to `to` (exclusive). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** 0 = Monday … 6 = Sunday, of a `YYYY-MM-DD` calendar date. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** "14 April" (and the year when it is not `year`). */
export function humanDate(date: string, year?: string): string {
  const d = Number(date.slice(8, 10));
  const m = MONTHS[Number(date.slice(5, 7)) - 1];
  return year === undefined || date.startsWith(year) ? `${d} ${m}` : `${d} ${m} ${date.slice(0, 4)}`;
}
