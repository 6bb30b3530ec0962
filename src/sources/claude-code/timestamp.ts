/**
 * Transcript timestamps (`2026-11-22T23:38:56.268Z`) → epoch ms, read from the raw bytes: every
 * usage and activity record needs one, and `Date.parse` on a fresh string each time is not free.
 * @module
 */
import { decodeString } from './json-scan.js';

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function twoDigits(b: Buffer, i: number): number {
  const a = b[i]! - 0x30;
  const c = b[i + 1]! - 0x30;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : -1;
}

/**
 * Epoch ms of the timestamp string at `p` (its quote). The common `YYYY-MM-DDTHH:MM:SS.sssZ`
 * form is read from the bytes; anything else goes through `Date.parse`. NaN when unparseable.
 */
export function parseTimestamp(b: Buffer, p: number, stringEnd: number): number {
  const s = p + 1;
  const len = stringEnd - 1 - s;
  if (
    len === 24 &&
    b[s + 4] === 0x2d &&
    b[s + 7] === 0x2d &&
    b[s + 10] === 0x54 &&
    b[s + 13] === 0x3a &&
    b[s + 16] === 0x3a &&
    b[s + 19] === 0x2e &&
    b[s + 23] === 0x5a
  ) {
    const y = twoDigits(b, s) * 100 + twoDigits(b, s + 2);
    const mo = twoDigits(b, s + 5);
    const d = twoDigits(b, s + 8);
    const h = twoDigits(b, s + 11);
    const mi = twoDigits(b, s + 14);
    const se = twoDigits(b, s + 17);
    const ms = twoDigits(b, s + 20) * 10 + (b[s + 22]! - 0x30);
    // Date.UTC would roll 2026-02-31 over into March; a real timestamp never needs that.
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h >= 0 && h < 24) {
      if (mi >= 0 && mi < 60 && se >= 0 && se < 60 && ms >= 0) return Date.UTC(y, mo - 1, d, h, mi, se, ms);
    }
    return Number.NaN;
  }
  const text = decodeString(b, p, stringEnd);
  if (text === null || text === '') return Number.NaN;
  return Date.parse(text);
}
