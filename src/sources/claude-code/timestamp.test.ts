import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './timestamp.js';

describe('parseTimestamp', () => {
  const ts = (s: string) => {
    const b = Buffer.from(JSON.stringify(s));
    return parseTimestamp(b, 0, b.length);
  };
  it('reads ISO timestamps with and without the fast path', () => {
    expect(ts('2026-11-22T23:38:56.268Z')).toBe(Date.parse('2026-11-22T23:38:56.268Z'));
    expect(ts('2024-02-29T00:00:00.000Z')).toBe(Date.parse('2024-02-29T00:00:00.000Z'));
    expect(ts('2026-11-22T23:38:56Z')).toBe(Date.parse('2026-11-22T23:38:56Z'));
    expect(ts('2026-11-22T23:38:56.268+01:00')).toBe(Date.parse('2026-11-22T22:38:56.268Z'));
  });
  it('rejects impossible dates and garbage', () => {
    expect(ts('2026-02-30T00:00:00.000Z')).toBeNaN();
    expect(ts('2026-13-01T00:00:00.000Z')).toBeNaN();
    expect(ts('not a date')).toBeNaN();
    expect(ts('')).toBeNaN();
  });
});
