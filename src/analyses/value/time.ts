/**
 * Windows and weeks for the value metrics. Weeks are ISO weeks (Monday 00:00 UTC) numbered from
 * the first Monday after the epoch, so a week is a small integer that keys Maps and Sets cheaply;
 * outcome records are bucketed in UTC (reference/formats.md §10.3).
 * @module
 */

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
// 1970-01-05, the first Monday after the epoch (1970-01-01 was a Thursday).
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** A half-open time range [from, until) in epoch milliseconds. */
export interface Window {
  from: number;
  until: number;
}

export const ALL_TIME: Window = { from: Number.NEGATIVE_INFINITY, until: Number.POSITIVE_INFINITY };

export function inWindow(ts: number, w: Window): boolean {
  return ts >= w.from && ts < w.until;
}

export function weekOf(ts: number): number {
  return Math.floor((ts - FIRST_MONDAY_MS) / WEEK_MS);
}

export function weekStartMs(week: number): number {
  return FIRST_MONDAY_MS + week * WEEK_MS;
}

/** The week's Monday as `YYYY-MM-DD`. */
export function weekLabel(week: number): string {
  return new Date(weekStartMs(week)).toISOString().slice(0, 10);
}

export function dayOf(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

/** Every week that overlaps the window (finite windows only). */
export function weeksOf(w: Window): number[] {
  if (!Number.isFinite(w.from) || !Number.isFinite(w.until) || w.until <= w.from) return [];
  const out: number[] = [];
  for (let k = weekOf(w.from); weekStartMs(k) < w.until; k++) out.push(k);
  return out;
}
