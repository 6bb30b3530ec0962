/**
 * OTLP nanosecond timestamps and ISO `event.timestamp` values → epoch ms. Timestamps of today are
 * ~1.8e18 ns, beyond a double's exact range, so ms are computed from the digits (JSON) or from the
 * two 32-bit halves (protobuf) instead of dividing a rounded double: `…151000000` ns must be
 * `…151` ms, not `…150`.
 * @module
 */

/** A protobufjs 64-bit value (long.js `Long`); only what is read here. */
export interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
  toString(): string;
}

/** Marks a value that is present but not a timestamp (the item is then rejected). */
export const INVALID_TIME = false;

const TWO_32_MS = 4294; // ⌊2³² / 10⁶⌋
const TWO_32_REST = 967_296; // 2³² mod 10⁶

function floorMs(ns: number): number {
  return (ns - (ns % 1_000_000)) / 1_000_000;
}

/**
 * Epoch ms of a JSON `…UnixNano` value (decimal string or number). null when absent or 0 (OTLP's
 * "unset"), `false` when not a non-negative integer.
 */
export function jsonNsToMs(v: unknown): number | null | false {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || !Number.isInteger(v)) return INVALID_TIME;
    return v === 0 ? null : floorMs(v);
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > 20) return INVALID_TIME;
  let ms = 0;
  let zero = true;
  const msDigits = v.length - 6;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return INVALID_TIME;
    if (d !== 0) zero = false;
    if (i < msDigits) ms = ms * 10 + d;
  }
  return zero ? null : ms;
}

/** The exact decimal digits of a JSON `…UnixNano` value; null when absent or 0, false when invalid. */
export function jsonNsDigits(v: unknown): string | null | false {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || !Number.isInteger(v)) return INVALID_TIME;
    // Beyond 2^53 the number is already rounded; BigInt prints the value the sender's JSON became.
    return v === 0 ? null : Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > 20) return INVALID_TIME;
  let first = -1;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return INVALID_TIME;
    if (d !== 0 && first === -1) first = i;
  }
  if (first === -1) return null;
  return first === 0 ? v : v.slice(first);
}

/** Epoch ms of a decoded protobuf `fixed64` (a Long, or a number without long.js); null when 0. */
export function longNsToMs(v: LongLike | number | null | undefined): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v > 0 ? floorMs(v) : null;
  const hi = v.high >>> 0;
  const lo = v.low >>> 0;
  if (hi === 0 && lo === 0) return null;
  return hi * TWO_32_MS + floorMs(hi * TWO_32_REST + lo);
}

/** The exact decimal digits of a decoded protobuf `fixed64`; null when 0. */
export function longNsDigits(v: LongLike | number | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v > 0 ? String(v) : null;
  if (v.high === 0 && v.low === 0) return null;
  return v.toString();
}

/** Epoch ms of decimal digits (as produced above). */
export function digitsToMs(digits: string): number {
  let ms = 0;
  const end = digits.length - 6;
  for (let i = 0; i < end; i++) ms = ms * 10 + (digits.charCodeAt(i) - 48);
  return ms;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function num(s: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Epoch ms of an ISO 8601 `event.timestamp`. Every tool writes `YYYY-MM-DDTHH:MM:SS.sssZ`, read
 * here without `Date.parse`; other ISO forms (offsets, no fraction) go through `Date.parse`, but
 * only when the string starts like a date, since `Date.parse` also accepts things like "1".
 */
export function isoToMs(s: string): number | null {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  if (s.length === 24 && s.charCodeAt(10) === 84 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90) {
    const y = num(s, 0, 4);
    const mo = num(s, 5, 2);
    const d = num(s, 8, 2);
    const h = num(s, 11, 2);
    const mi = num(s, 14, 2);
    const sec = num(s, 17, 2);
    const ms = num(s, 20, 3);
    if (
      y >= 0 &&
      mo >= 1 &&
      mo <= 12 &&
      d >= 1 &&
      d <= daysInMonth(y, mo) &&
      h >= 0 &&
      h <= 23 &&
      mi >= 0 &&
      mi <= 59 &&
      sec >= 0 &&
      sec <= 59 &&
      ms >= 0 &&
      s.charCodeAt(13) === 58 &&
      s.charCodeAt(16) === 58
    ) {
      return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
    }
    return null;
  }
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}
