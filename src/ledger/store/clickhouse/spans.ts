/**
 * Person spans (a team's members while they were members) prepared for SQL: merged so that each
 * instant of a person falls in at most one span (overlapping spans then count a row once, with a
 * plain join), and cut into the quarter hours the roll-up covers whole plus the fringes at either
 * end that only raw rows can answer.
 * @module
 */
import type { PersonSpan } from '../../people/types.js';
import { QUARTER_HOUR_MS } from './zone.js';

/** Instants ClickHouse's Int64 milliseconds hold with room to spare (±273,000 years). */
export const MIN_MS = -8.64e15;
export const MAX_MS = 8.64e15;

/** Inclusive integer millisecond bounds. */
export interface MsRange {
  personId: string;
  from: number;
  until: number;
}

/**
 * The instants of `spans` per person as disjoint inclusive integer ranges: a row at `ts` is in a
 * span when `from <= ts <= until`, exactly as `BETWEEN` over the original spans.
 */
export function mergeSpans(spans: readonly PersonSpan[]): MsRange[] {
  const byPerson = new Map<string, MsRange[]>();
  for (const span of spans) {
    if (Number.isNaN(span.fromTs) || Number.isNaN(span.untilTs)) continue;
    const from = Math.max(MIN_MS, Math.ceil(span.fromTs));
    const until = Math.min(MAX_MS, Math.floor(span.untilTs));
    if (from > until) continue;
    const list = byPerson.get(span.personId) ?? [];
    list.push({ personId: span.personId, from, until });
    byPerson.set(span.personId, list);
  }
  const merged: MsRange[] = [];
  for (const list of byPerson.values()) {
    list.sort((a, b) => a.from - b.from);
    let current: MsRange | undefined;
    for (const range of list) {
      if (current !== undefined && range.from <= current.until + 1) {
        current.until = Math.max(current.until, range.until);
      } else {
        if (current !== undefined) merged.push(current);
        current = { ...range };
      }
    }
    if (current !== undefined) merged.push(current);
  }
  return merged;
}

export interface SpanCover {
  /** Whole quarter hours: the roll-up answers rows with `from <= bucket start` and `bucket end <= until`. */
  whole: MsRange[];
  /** What is left at the ends: raw rows answer these. */
  fringe: MsRange[];
}

const floorQ = (ms: number) => Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
const ceilQ = (ms: number) => Math.ceil(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;

/** Splits merged ranges into the quarter hours they cover whole and their fringes. */
export function coverByQuarterHours(ranges: readonly MsRange[]): SpanCover {
  const whole: MsRange[] = [];
  const fringe: MsRange[] = [];
  for (const r of ranges) {
    const wholeFrom = r.from <= MIN_MS ? MIN_MS : ceilQ(r.from);
    const wholeEnd = r.until >= MAX_MS ? MAX_MS + 1 : floorQ(r.until + 1);
    if (wholeEnd <= wholeFrom) {
      fringe.push({ ...r });
      continue;
    }
    whole.push({ personId: r.personId, from: wholeFrom, until: wholeEnd - 1 });
    if (r.from < wholeFrom) fringe.push({ personId: r.personId, from: r.from, until: wholeFrom - 1 });
    if (wholeEnd <= r.until) fringe.push({ personId: r.personId, from: wholeEnd, until: r.until });
  }
  return { whole, fringe };
}
