/**
 * Whether a time zone's days are whole quarter-hours of UTC, which decides whether a report in
 * that zone may be summed from the quarter-hour roll-up: a local midnight that falls inside a
 * quarter hour would split a roll-up row between two days. Every zone in use today has offsets
 * in whole quarter-hours (Asia/Kathmandu +5:45, Australia/Eucla +8:45); zones with older
 * local-mean-time offsets after 1970 (Africa/Monrovia until 1972) are read from raw rows instead.
 * @module
 */

export const QUARTER_HOUR_MS = 15 * 60 * 1000;

const DAY_MS = 86_400_000;
/** From 1970 (the start of ClickHouse's DateTime) to twenty years from now. */
const CHECK_FROM = 0;
const checkUntil = () => Date.now() + 20 * 365 * DAY_MS;

const cache = new Map<string, boolean>();

/** True when `zone` is a name this runtime's time zone database knows. */
export function isKnownZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC at instant `ms`, in milliseconds. */
export function offsetMs(format: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour! % 24,
    parts.minute!,
    parts.second!,
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * True when every offset `zone` takes between 1970 and twenty years from now is a whole number of
 * quarter hours. Sampled weekly: an offset that is not would last for years (local mean time),
 * and sampling daily cost ~300 ms per zone against ~25 ms.
 */
export function isQuarterHourZone(zone: string): boolean {
  const known = cache.get(zone);
  if (known !== undefined) return known;
  let aligned = isKnownZone(zone);
  if (aligned) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const until = checkUntil();
    for (let ms = CHECK_FROM; ms < until && aligned; ms += 7 * DAY_MS) {
      if (offsetMs(format, ms) % QUARTER_HOUR_MS !== 0) aligned = false;
    }
  }
  cache.set(zone, aligned);
  return aligned;
}
