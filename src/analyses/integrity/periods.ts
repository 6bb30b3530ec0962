/**
 * Integrity periods: the fixed windows flags are computed for. A flag is about one person in one
 * window, and its id and its review are tied to that window, so the windows must not move when
 * data arrives or when someone asks about another range: they are consecutive 8-week blocks of
 * ISO weeks (Monday 00:00 UTC), counted from the first Monday after the epoch. Eight weeks is the
 * window the signals were evaluated on (docs/integrity.md "Evaluation"), holds one or two
 * monthly board closes, and matches the default baseline length. A board or a list over any
 * range reads the flags of every period it overlaps.
 * @module
 */
import type { ValueModel } from '../value/model.js';
import { WEEK_MS, type Window, weekOf, weekStartMs } from '../value/time.js';

export const PERIOD_WEEKS = 8;

/** The period holding `ts`. */
export function periodOf(ts: number): Window {
  const first = Math.floor(weekOf(ts) / PERIOD_WEEKS) * PERIOD_WEEKS;
  const from = weekStartMs(first);
  return { from, until: from + PERIOD_WEEKS * WEEK_MS };
}

/** Whether `w` is exactly one period (what a flag's window must be). */
export function isPeriod(w: Window): boolean {
  return Number.isFinite(w.from) && periodOf(w.from).from === w.from && periodOf(w.from).until === w.until;
}

/** `YYYY-MM-DD – YYYY-MM-DD`, the last day inclusive. */
export function periodLabel(w: Window): string {
  const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
  return `${day(w.from)} – ${day(w.until - 86_400_000)}`;
}

/**
 * The span of the model's data: the first session or shipped change to `asOf`. Null when there
 * is no data at all.
 */
export function dataSpan(model: ValueModel): Window | null {
  let first = Number.POSITIVE_INFINITY;
  for (const s of model.sessions) if (s.firstTs < first) first = s.firstTs;
  for (const f of model.facts) if (f.shippedAt !== null && f.shippedAt < first) first = f.shippedAt;
  if (!Number.isFinite(first)) return null;
  return { from: first, until: Math.max(first, model.asOf) + 1 };
}

/**
 * Every period that overlaps `window` and holds some of the model's data, oldest first. An open
 * end of `window` stops at the data.
 */
export function periodsOverlapping(model: ValueModel, window: Window): Window[] {
  const span = dataSpan(model);
  if (span === null) return [];
  const from = Math.max(window.from, span.from);
  const until = Math.min(window.until, span.until);
  if (!(from < until)) return [];
  const out: Window[] = [];
  for (let p = periodOf(from); p.from < until; p = periodOf(p.until)) out.push(p);
  return out;
}
